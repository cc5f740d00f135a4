"""The admin site, its index ordered by the staff's daily work rather than alphabetically.

Programs, indicators and their measurements, MoUs, evaluations and follow-ups come first; the national reference
data (pillars, sub-dimensions, agencies, evaluation schemes) is gathered in one section near the end, and the
login-lockout records of django-axes stand last. Installed through `AdminConfig.default_site`, so
`django.contrib.admin.site` (and every `@admin.register`) is this site.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.sites import AdminSite
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .policy import owner_choices

# The order staff open them in, app by app; a model not listed follows the listed ones of its app.
DAILY_WORK = [
    "pillars.Program",
    "pillars.Indicator",
    "pillars.Measurement",
    "pillars.BudgetLine",
    "pillars.DigitalService",
    "pillars.InfrastructureAsset",
    "partnerships.MoU",
    "partnerships.Commitment",
    "partnerships.ProgressReport",
    "partnerships.Partner",
    "evaluations.Evaluation",
    "evaluations.FollowUpAction",
    "evaluations.Finding",
    "evaluations.FieldVisit",
    "frameworks.SelfAssessment",
    "frameworks.ExternalIndex",
]
# Set up once and rarely changed: one section of their own, after the daily work.
REFERENCE_DATA = [
    "pillars.Pillar",
    "pillars.SubDimension",
    "pillars.Agency",
    "pillars.Masterplan",
    "partnerships.ScopeArea",
    "evaluations.EvaluationScheme",
    "frameworks.Framework",
    "pillars.District",
    "pillars.Village",
]
APP_ORDER = ["pillars", "partnerships", "evaluations", "frameworks", "federation"]
LAST_APPS = ["auth", "axes"]  # users and groups, then the login-lockout records


ORDER = DAILY_WORK + REFERENCE_DATA


def _label(model: dict) -> str:
    return f"{model['model']._meta.app_label}.{model['object_name']}"


def _model_key(model: dict):
    label = _label(model)
    return (ORDER.index(label), "") if label in ORDER else (len(ORDER), str(model["name"]))


def _app_key(app: dict):
    label = app["app_label"]
    if label in APP_ORDER:
        return (0, APP_ORDER.index(label), "")
    if label == "reference":
        return (2, 0, "")
    if label in LAST_APPS:
        return (3, LAST_APPS.index(label), "")
    return (1, 0, str(app["name"]))


class PolicyAutocompleteJsonView(AutocompleteJsonView):
    """The autocomplete of a relation answers only the rows its form accepts: on the policy's owner path (a
    measurement's indicator) those of the user's own agencies, as the writer requires."""

    def get_queryset(self):
        queryset = super().get_queryset()
        choices = owner_choices(self.source_field.model, self.source_field.name, self.request.user)
        return queryset if choices is None else queryset.filter(pk__in=choices.values("pk"))


class KotaCerdasAdminSite(AdminSite):
    """The Django admin with its index in the order of the office's daily work, opening on the signed-in person's
    workspace: what is due or waiting for them (settings.WORKSPACE_SELECTOR, named so the core imports no app), then
    the shortcuts that model admins offer the user (`index_shortcuts(request)` -> [(label, url)], e.g. "Add staff")."""

    index_template = "admin/workspace_index.html"

    def index(self, request, extra_context=None):
        workspace = import_string(settings.WORKSPACE_SELECTOR)(request.user, today=timezone.localdate())
        shortcuts = [
            link
            for model_admin in self._registry.values()
            if hasattr(model_admin, "index_shortcuts")
            for link in model_admin.index_shortcuts(request)
        ]
        context = {"workspace": workspace, "today": timezone.localdate(), "shortcuts": shortcuts}
        return super().index(request, {**context, **(extra_context or {})})

    def autocomplete_view(self, request):
        return PolicyAutocompleteJsonView.as_view(admin_site=self)(request)

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if app_label is None:
            apps = self._with_reference_section(request, apps)
        for app in apps:
            app["models"].sort(key=_model_key)
        return sorted(apps, key=_app_key)

    def login(self, request, extra_context=None):
        """The login page, with a button to the city's identity provider when OpenID Connect is configured."""
        if settings.OIDC_ENABLED:
            after = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(after, allowed_hosts={request.get_host()}):
                after = reverse("admin:index", current_app=self.name)
            extra_context = {
                **(extra_context or {}),
                "oidc_login_url": f"{reverse('oidc_authentication_init')}?{urlencode({'next': after})}",
                "oidc_provider_name": settings.OIDC_PROVIDER_NAME,
                "oidc_local_login": settings.OIDC_LOCAL_LOGIN,
            }
        return super().login(request, extra_context)

    def _with_reference_section(self, request, apps: list[dict]) -> list[dict]:
        reference = []
        for app in apps:
            reference += [model for model in app["models"] if _label(model) in REFERENCE_DATA]
            app["models"] = [model for model in app["models"] if _label(model) not in REFERENCE_DATA]
        apps = [app for app in apps if app["models"]]
        if reference:
            section = {"name": _("Reference data"), "app_label": "reference", "has_module_perms": True}
            apps.append({**section, "app_url": reverse("admin:index", current_app=self.name), "models": reference})
        return apps


class KotaCerdasAdminConfig(AdminConfig):
    default_site = "smartcity.admin_site.KotaCerdasAdminSite"

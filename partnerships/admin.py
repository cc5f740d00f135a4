"""The partnerships admin: every page, inline, history revert and bulk action writes through the model's writer
(partnerships/services.py) by way of smartcity.admin.ServiceAdmin and ServiceInlineMixin."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import APIKey

from smartcity.admin import (
    VERSION_FIELD,
    ParentAwareFormSet,
    ServiceAdmin,
    ServiceInlineMixin,
    VersionedModelForm,
    form_data,
)
from smartcity.services import writer_for

from . import services, webhooks
from .choices import EXPIRING_WITHIN_DAYS, MoUStatus, PartnerKind, WebhookEvent
from .models import (
    Commitment,
    MoU,
    MoUParty,
    Partner,
    PartnerAPIKey,
    PartnerContact,
    ProgressReport,
    ScopeArea,
    WebhookDelivery,
    WebhookEndpoint,
)

admin.site.unregister(APIKey)  # the library's own key model is unused: every key belongs to a partner


class RulesOnDeleteFormSet(ParentAwareFormSet):
    """An inline whose rows the writer may refuse to delete (a party that still has commitments): the refusal is
    a form error before anything is saved, from the same rule the writer runs when it deletes."""

    def clean(self):
        super().clean()
        writer = writer_for(self.model)
        for form in self.initial_forms:
            if not (self.can_delete and self._should_delete_form(form)):
                continue
            stored = self.model._base_manager.filter(pk=form.instance.pk).first()
            if stored is None:
                continue
            try:
                writer.check(before=stored, after=None, many={}, actor=form.actor)
            except PermissionDenied as denied:
                raise ValidationError(str(denied)) from denied
            except ValidationError as error:  # a formset's own errors are a list, not errors per field
                raise ValidationError(error.messages) from error


# --- Partners and their keys --------------------------------------------------------------------------------------
class PartnerContactInline(ServiceInlineMixin, admin.TabularInline):
    model = PartnerContact
    fields = ["name", "role", "email", "phone"]
    extra = 0


class PartnerMoUInline(admin.TabularInline):
    """The partner's MoUs, read here and edited on the MoU."""

    model = MoUParty
    verbose_name = _("MoU")
    verbose_name_plural = _("MoUs")
    fields = ["mou_link", "partner_number", "signatory_name"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # read here only: nothing to write

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("mou")

    @admin.display(description=_("MoU"))
    def mou_link(self, party):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:partnerships_mou_change", args=[party.mou_id]), party.mou
        )


class PartnerAPIKeyInline(admin.TabularInline):
    """The partner's keys; a new key is made with "Add partner API key", which shows it once."""

    model = PartnerAPIKey
    fields = ["key_link", "name", "created", "expiry_date", "revoked", "last_used_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # read here only: nothing to write

    @admin.display(description=_("prefix"))
    def key_link(self, key):
        url = reverse("admin:partnerships_partnerapikey_change", args=[key.pk])
        return format_html('<a href="{}">{}</a>', url, key.prefix)


@admin.register(Partner)
class PartnerAdmin(ServiceAdmin):
    list_display = ["name", "short_name", "kind", "publication", "updated_at"]
    list_filter = ["kind", "publication"]
    prepopulated_fields = {"slug": ["name"]}
    fields = [
        "name",
        "short_name",
        "slug",
        "kind",
        "website",
        "description_ind",
        "description_en",
        "publication",
        "publish_from",
    ]
    inlines = [PartnerContactInline, PartnerMoUInline, PartnerAPIKeyInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class PartnerAPIKeyForm(VersionedModelForm):
    """Carries no row version: each call with the key stamps its last use (once a minute), which would make
    revoking a busy key a race lost every time; the fields staff change here are only name, expiry and revoked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial[VERSION_FIELD] = ""


@admin.register(PartnerAPIKey)
class PartnerAPIKeyAdmin(ServiceAdmin):
    """Keys are made by djangorestframework-api-key (only the hash is kept, the key is shown once) and saved, like
    every later change, through the key's writer: a key never moves to another partner; a revoked key is final.
    Keys keep no versions (no simple-history), so their history page is Django's own log and nothing is reverted."""

    form = PartnerAPIKeyForm
    object_history_template = None  # Django's log of admin changes
    list_display = ["prefix", "name", "partner", "expiry_date", "revoked", "last_used_at"]  # created: a filter
    list_filter = ["partner", "revoked", "created"]
    list_select_related = ["partner"]
    search_fields = ["name", "prefix", "partner__name"]
    fields = ["partner", "name", "expiry_date", "revoked", "prefix", "created", "last_used_at"]

    def get_readonly_fields(self, request, obj=None):
        fields = ("prefix", "created", "last_used_at")
        if obj is not None:
            fields += ("partner",)  # a key never moves to another partner
        if obj is not None and obj.revoked:
            fields += ("name", "revoked", "expiry_date")
        return fields

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        key = PartnerAPIKey.objects.assign_key(obj)  # the library makes the key and sets id, prefix and hash
        generated = {"id": obj.id, "prefix": obj.prefix, "hashed_key": obj.hashed_key}
        saved = services.partner_api_key_create(data={**form_data(form), **generated}, actor=request.user)
        obj.pk, obj._state.adding = saved.pk, False
        message = gettext(
            "The API key for %(partner)s is %(key)s. Copy it now and hand it over safely: it is stored only as a "
            "hash and will not be shown again."
        ) % {"partner": obj.partner, "key": key}
        messages.warning(request, message)

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return admin.ModelAdmin.history_view(self, request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        raise Http404


# --- Reference data -----------------------------------------------------------------------------------------------
@admin.register(ScopeArea)
class ScopeAreaAdmin(ServiceAdmin):
    """Scope areas come from a data migration: staff may reword them, never remove one an MoU uses."""

    list_display = ["order", "name_ind", "name_en", "slug"]
    list_display_links = ["name_ind"]
    prepopulated_fields = {"slug": ["name_en"]}
    fields = ["order", "slug", "name_ind", "name_en"]


# --- MoUs -----------------------------------------------------------------------------------------------------------
class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return MoUStatus.choices

    def queryset(self, request, queryset):
        return queryset.with_status(self.value()) if self.value() in MoUStatus.values else queryset


class PartnerKindFilter(admin.SimpleListFilter):
    title = _("partner kind")
    parameter_name = "partner_kind"

    def lookups(self, request, model_admin):
        return PartnerKind.choices

    def queryset(self, request, queryset):
        if self.value() not in PartnerKind.values:
            return queryset
        return queryset.filter(pk__in=MoUParty.objects.filter(partner__kind=self.value()).values("mou_id"))


class ExpiringFilter(admin.SimpleListFilter):
    title = _("expiring")
    parameter_name = "expiring"

    def lookups(self, request, model_admin):
        return [("90", _("Within 90 days"))]

    def queryset(self, request, queryset):
        if self.value() != "90":
            return queryset
        return queryset.expiring_before(timezone.localdate() + datetime.timedelta(days=EXPIRING_WITHIN_DAYS + 1))


class MoUPartyInline(ServiceInlineMixin, admin.TabularInline):
    model = MoUParty
    formset = RulesOnDeleteFormSet  # a party that still has commitments is not removed
    fields = ["partner", "partner_number", "signatory_name", "signatory_position"]
    autocomplete_fields = ["partner"]
    extra = 0
    min_num = 1


class CommitmentFormSet(ParentAwareFormSet):
    """Lets the commitment writer's rule (its partner is a party of the MoU) see the parties as the parties inline
    of the same form is about to make them, while the form validates; when saving, the parties inline is saved
    first and the rule reads them from the database."""

    party_formset = None  # set by MoUAdmin._create_formsets

    def full_clean(self):
        if self.is_bound and self.party_formset is not None and self.party_formset.is_valid():
            self.instance.pending_party_ids = {
                form.cleaned_data["partner"].pk
                for form in self.party_formset.forms
                if form.cleaned_data.get("partner") and not self.party_formset._should_delete_form(form)
            }
        super().full_clean()


class CommitmentInline(ServiceInlineMixin, admin.StackedInline):
    model = Commitment
    formset = CommitmentFormSet
    fields = [
        ("partner", "pillar"),
        ("description_ind", "description_en"),
        ("target_quantity", "unit_ind", "unit_en"),
        "due_on",
    ]
    autocomplete_fields = ["partner"]
    extra = 0


@admin.register(MoU)
class MoUAdmin(ServiceAdmin):
    list_display = [
        "title_ind",
        "partner_names",
        "status_display",
        "valid_from",
        "valid_until",
    ]  # signed on: the change form; publication: a filter
    list_filter = [StatusFilter, PartnerKindFilter, "scope_areas", ExpiringFilter, "publication", "signed_online"]
    prepopulated_fields = {"slug": ["title_ind"]}
    filter_horizontal = ["scope_areas", "pillars", "programs"]
    raw_id_fields = ["contact"]
    date_hierarchy = "valid_from"
    readonly_fields = ["status_display"]
    fieldsets = [
        (None, {"fields": ["title_ind", "title_en", "slug", "city_number", "summary_ind", "summary_en"]}),
        (
            _("Signing"),
            {
                "fields": [
                    ("city_signatory_name", "city_signatory_position"),
                    ("state", "status_display"),
                    ("signed_on", "signed_place", "signed_online"),
                    ("valid_from", "valid_until"),
                    "contact",
                    "signed_document",
                    ("terminated_on", "termination_reason"),
                ]
            },
        ),
        (_("Scope"), {"fields": ["scope_areas", "pillars", "programs"]}),
        (_("Publication"), {"fields": ["publication", "publish_from"]}),
    ]
    inlines = [MoUPartyInline, CommitmentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("parties__partner")

    @admin.display(description=_("partners"))
    def partner_names(self, mou):
        return ", ".join(party.partner.short_name or party.partner.name for party in mou.parties.all())

    @admin.display(description=_("status"))
    def status_display(self, mou):
        return mou.get_status_display() if mou.pk else "—"

    def _create_formsets(self, request, obj, change):
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        parties = next((f for f in formsets if f.model is MoUParty), None)
        for formset in formsets:
            if isinstance(formset, CommitmentFormSet):
                formset.party_formset = parties
        return formsets, inline_instances

    def save_related(self, request, form, formsets, change):
        # Saving: the parties inline comes first (inline order), and the commitment rule reads the stored parties.
        form.instance.__dict__.pop("pending_party_ids", None)
        super().save_related(request, form, formsets, change)


@admin.register(Commitment)
class CommitmentAdmin(ServiceAdmin):
    list_display = ["__str__", "mou", "partner", "due_on", "pillar"]
    list_filter = ["partner__kind", "pillar"]
    list_select_related = ["mou", "partner", "pillar"]
    autocomplete_fields = ["mou", "partner"]


@admin.register(ProgressReport)
class ProgressReportAdmin(ServiceAdmin):
    """Staff enter reports here; the writer names the staff member as the reporter (partners report with their
    key through the API) and keeps the reporter as it is on every later change."""

    list_display = ["commitment", "reported_on", "quantity_reached", "reported_by", "reported_by_key"]
    list_select_related = ["commitment", "reported_by", "reported_by_key"]
    list_filter = ["reported_on"]
    autocomplete_fields = ["commitment"]
    fields = ["commitment", "reported_on", "quantity_reached", "note", "evidence", "reported_by", "reported_by_key"]
    readonly_fields = ["reported_by", "reported_by_key"]


# --- Webhooks -------------------------------------------------------------------------------------------------------
class WebhookEndpointForm(VersionedModelForm):
    events = forms.MultipleChoiceField(
        label=capfirst(_("events")), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ServiceAdmin):
    """Staff register a partner's endpoint here (its key can do so through the API). The signing secret is made by
    the writer and shown once, on saving a new endpoint and on rotating; the URL is checked by the same rule the
    API runs. An endpoint switched off after repeated failures is switched on again by ticking "active"."""

    form = WebhookEndpointForm
    list_display = ["url", "partner", "active", "failure_count", "disabled_at"]
    list_filter = ["active", "partner"]
    list_select_related = ["partner"]
    fields = ["partner", "url", "description", "events", "active", "failure_count", "disabled_at",
              "previous_secret_expires_at"]  # fmt: skip
    readonly_fields = ["failure_count", "disabled_at", "previous_secret_expires_at"]
    autocomplete_fields = ["partner"]
    actions = ["rotate_secret"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "partner"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            self._show_secret(request, WebhookEndpoint.objects.get(pk=obj.pk))

    def _show_secret(self, request, endpoint):
        message = gettext(
            "The signing secret of %(url)s is %(secret)s. Hand it to %(partner)s safely: it is not shown again."
        ) % {"url": endpoint.url, "secret": endpoint.secret, "partner": endpoint.partner}
        messages.warning(request, message)

    @admin.action(description=_("Give the selected endpoints a new signing secret"), permissions=["change"])
    def rotate_secret(self, request, queryset):
        for endpoint in queryset:
            self._show_secret(request, webhooks.webhook_secret_rotate(endpoint=endpoint, actor=request.user))


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log, read only; "send again" makes a new delivery of the same event through the service."""

    list_display = ["event_type", "endpoint", "status", "attempts", "response_code", "created_at"]
    list_filter = ["status", "event_type"]
    list_select_related = ["endpoint__partner"]
    search_fields = WebhookDelivery.search_fields
    actions = ["replay"]
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_replay_permission(self, request):
        return request.user.has_perm("partnerships.replay_webhookdelivery")

    @admin.action(description=_("Send the selected deliveries again"), permissions=["replay"])
    def replay(self, request, queryset):
        try:
            with transaction.atomic():
                replays = [webhooks.webhook_delivery_replay(delivery=row, actor=request.user) for row in queryset]
        except (ValidationError, PermissionDenied) as refusal:
            message = str(refusal) if isinstance(refusal, PermissionDenied) else " ".join(refusal.messages)
            self.message_user(request, message, level=messages.ERROR)
            return
        self.message_user(request, gettext("%(count)d deliveries queued again.") % {"count": len(replays)})

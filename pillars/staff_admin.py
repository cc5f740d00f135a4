"""Staff in the admin: add a person with their role and agency in one form ("Add staff"), and roles read by their
translated names. Django's raw permission names stay out of sight of everyone but superusers.

Lives in pillars because an OPD editor's agency (pillars.Agency "members") is part of adding them; the account,
group and membership are written together by `pillars.services.staff_invite`.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from smartcity.admin import LabelledWidgetsMixin
from smartcity.roles import AGENCY_BOUND_ROLES, ROLE_LABELS, ROLES, role_label

from . import services
from .models import Agency

User = get_user_model()
ADD_USERS = "auth.add_user"
# Only a superuser sees or gives these: a role is the way to give permissions, and only a superuser makes another.
SUPERUSER_ONLY_FIELDS = ("is_superuser", "user_permissions")


class StaffForm(forms.Form):
    """Who the new staff member is, and what they do: the service checks it all again, in one transaction."""

    name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"), help_text=_("Also the user name they sign in with."))
    role = forms.ChoiceField(label=_("Role"), choices=[("", "---------"), *ROLE_LABELS.items()])
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.order_by("name"),
        required=False,
        help_text=_("Required for an OPD editor, who edits only their own agency's records."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") in AGENCY_BOUND_ROLES and not cleaned.get("agency"):
            message = _("A %(role)s edits only for their own agency: choose the agency.")
            self.add_error("agency", message % {"role": role_label(cleaned["role"])})
        return cleaned


class RoleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return role_label(obj.name)


class RoleFilter(admin.SimpleListFilter):
    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return list(ROLE_LABELS.items())

    def queryset(self, request, queryset):
        return queryset.filter(groups__name=self.value()) if self.value() in ROLES else queryset


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class StaffUserAdmin(LabelledWidgetsMixin, UserAdmin):
    """Django's user admin, with "Add staff" beside it, roles by name, and no raw permissions for non-superusers."""

    change_list_template = "admin/auth/user/staff_change_list.html"
    list_display = ("username", "email", "first_name", "roles", "agency_names", "is_staff", "is_active")
    list_filter = ("is_staff", "is_superuser", "is_active", RoleFilter)
    actions = ["resend_invitation"]

    def get_queryset(self, request):
        groups = Prefetch("groups", queryset=Group.objects.order_by("name"))
        return super().get_queryset(request).prefetch_related(groups, "agencies")

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return ", ".join(role_label(group.name) for group in obj.groups.all())

    @admin.display(description=_("agencies"))
    def agency_names(self, obj):
        return ", ".join(agency.acronym or agency.name for agency in obj.agencies.all())

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in SUPERUSER_ONLY_FIELDS]})
            for name, options in fieldsets
        ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["form_class"] = RoleChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_urls(self):
        add_staff = self.admin_site.admin_view(self.add_staff_view)
        return [path("add-staff/", add_staff, name="auth_user_add_staff"), *super().get_urls()]

    def index_shortcuts(self, request) -> list[tuple[str, str]]:
        """The admin index's shortcut to the one-form way of adding a staff member."""
        if not request.user.has_perm(ADD_USERS):
            return []
        return [(_("Add staff"), reverse("admin:auth_user_add_staff", current_app=self.admin_site.name))]

    def has_invite_permission(self, request) -> bool:
        return request.user.has_perm(ADD_USERS)

    @admin.action(description=_("Re-send the invitation (staff who never chose a password)"), permissions=["invite"])
    def resend_invitation(self, request, queryset):
        """The invitation again, with a fresh link, through the service the add-staff form's e-mail comes from."""
        try:
            users = services.staff_invitation_resend(
                users=queryset, actor=request.user, base_url=request.build_absolute_uri("/")
            )
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR)
            return None
        message = ngettext("The invitation was sent again to %(count)d person.",
                           "The invitation was sent again to %(count)d people.", len(users))  # fmt: skip
        self.message_user(request, message % {"count": len(users)}, messages.SUCCESS)
        return None

    def add_staff_view(self, request):
        """Name, e-mail, role and agency in one form; the invitation e-mail carries the link to choose a password."""
        if not request.user.has_perm(ADD_USERS):
            raise PermissionDenied
        form = StaffForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                user = services.staff_invite(
                    **form.cleaned_data, actor=request.user, base_url=request.build_absolute_uri("/")
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                message = _("%(name)s was added and invited by e-mail to %(email)s.")
                self.message_user(request, message % {"name": user.first_name, "email": user.email}, messages.SUCCESS)
                return redirect("admin:auth_user_change", user.pk)
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "opts": self.model._meta,
            "title": _("Add staff"),
        }
        return TemplateResponse(request, "admin/auth/user/staff_add.html", context)


def _form_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@admin.register(Group)
class RoleGroupAdmin(LabelledWidgetsMixin, GroupAdmin):
    """Groups by their role names; a role's internal name is fixed (other code names it), and only a superuser sees
    or changes the raw permissions behind a role."""

    list_display = ("name", "role")

    @admin.display(description=_("role"))
    def role(self, obj):
        return role_label(obj.name)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if request.user.is_superuser else [f for f in fields if f != "permissions"]

    def get_readonly_fields(self, request, obj=None):
        return ["name"] if obj is not None and obj.name in ROLES else []

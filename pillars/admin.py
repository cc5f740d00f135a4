import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin

from smartcity.admin import RecordFieldsMixin, ServiceAdmin, ServiceInlineMixin
from smartcity.widgets import MoneyField, PillarSubDimensionSelect

from . import resources, services
from .imports import LimitedImportMixin
from .models import (
    Agency,
    BudgetLine,
    DigitalService,
    District,
    Indicator,
    IndicatorTarget,
    InfrastructureAsset,
    Masterplan,
    Measurement,
    Milestone,
    Pillar,
    Program,
    ProgramIndicator,
    SubDimension,
    Village,
)


# --- reference data -------------------------------------------------------------------------------------
class ReferenceDataMixin:
    """The six pillars and eighteen sub-dimensions are fixed by the national framework: staff may
    reword them, never add or remove them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SubDimensionInline(ReferenceDataMixin, ServiceInlineMixin, admin.TabularInline):
    model = SubDimension
    fields = ["order", "slug", "name_ind", "name_en"]
    readonly_fields = ["slug"]
    extra = 0


@admin.register(Pillar)
class PillarAdmin(ReferenceDataMixin, ServiceAdmin):
    list_display = ["order", "name_ind", "name_en", "slug", "colour", "updated_at"]
    list_display_links = ["name_ind"]
    readonly_fields = ["slug"]
    fields = ["slug", "order", "name_ind", "name_en", "description_ind", "description_en", "colour"]
    inlines = [SubDimensionInline]


@admin.register(SubDimension)
class SubDimensionAdmin(ReferenceDataMixin, ServiceAdmin):
    list_display = ["name_ind", "name_en", "pillar", "order"]
    list_filter = ["pillar"]
    list_select_related = ["pillar"]
    readonly_fields = ["slug", "pillar"]
    fields = ["pillar", "slug", "order", "name_ind", "name_en"]


@admin.register(Agency)
class AgencyAdmin(ServiceAdmin):
    list_display = ["name", "acronym", "slug", "updated_at"]
    prepopulated_fields = {"slug": ["acronym"]}
    fields = ["name", "acronym", "slug", "members"]
    filter_horizontal = ["members"]


# --- the portfolio: every form, inline, revert and import writes through the model's writer ----------------------
class PortfolioAdmin(RecordFieldsMixin, LimitedImportMixin, ImportExportMixin, ServiceAdmin):
    """Admin of a portfolio model: import/export and history; OPD editors reach and name only their own agencies'
    rows (the model's policy, read by ServiceAdmin). Its change form shows the record's fields (RecordFieldsMixin),
    less those it leaves out, with why."""

    record_left_out = {
        "id": "the database's own key",
        "created_at": resources.SET_BY_WRITER,
        "updated_at": resources.SET_BY_WRITER,
    }


class MilestoneInline(ServiceInlineMixin, admin.TabularInline):
    model = Milestone
    fields = ["title_ind", "title_en", "due_on", "done_on", "evidence"]
    extra = 0


class MoneyFieldsMixin:
    """Budget amounts typed and shown with thousands separators ("750.000.000"); the writer receives an int."""

    money_fields = ("planned_amount", "realised_amount")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.money_fields:
            return db_field.formfield(form_class=MoneyField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def rupiah(amount: int) -> str:
    return "Rp" + formats.number_format(amount, decimal_pos=0, use_l10n=True, force_grouping=True)


class BudgetLineInline(MoneyFieldsMixin, ServiceInlineMixin, admin.TabularInline):
    model = BudgetLine
    fields = ["year", "source", "planned_amount", "realised_amount", "smart_city", "note"]
    extra = 0


@admin.register(Masterplan)
class MasterplanAdmin(ServiceAdmin):
    list_display = ["title", "first_year", "last_year", "regulation", "rpjmd_period"]


class ProgramIndicatorInline(ServiceInlineMixin, admin.TabularInline):
    """The indicators a program is meant to move, written through the link writer (the lead agency's editors);
    the choices are the indicators the person may see."""

    model = ProgramIndicator
    fk_name = "program"
    fields = ["indicator", "role", "expected_value", "expected_year", "note"]
    extra = 0
    verbose_name = _("indicator it moves")
    verbose_name_plural = _("indicators it moves")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "indicator":
            kwargs["queryset"] = Indicator.objects.visible_to(request.user).order_by("name_ind")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator")


def _admin_link(obj, label) -> str:
    opts = obj._meta
    return format_html(
        '<a href="{}">{}</a>', reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]), label
    )


@admin.register(Program)
class ProgramAdmin(PortfolioAdmin):
    resource_classes = [resources.ProgramResource]
    list_display = ["title_ind", "pillar", "lead_agency", "stage", "progress"]  # horizon, publication: filters
    list_filter = ["pillar", "lead_agency", "stage", "horizon", "first_year", "publication"]
    list_select_related = ["pillar", "lead_agency"]
    prepopulated_fields = {"slug": ["title_ind"]}
    autocomplete_fields = ["supporting_agencies"]
    inlines = [ProgramIndicatorInline, MilestoneInline, BudgetLineInline]
    readonly_fields = ["activity_list"]
    record_left_out = {
        **PortfolioAdmin.record_left_out,
        "indicators": "linked with their role in the inline above (ProgramIndicatorInline)",
    }
    fieldsets = [
        (None, {"fields": ["slug", "title_ind", "title_en", "description_ind", "description_en"]}),
        (
            _("Where it belongs"),
            {"fields": ["pillar", "sub_dimensions", "lead_agency", "supporting_agencies", "masterplan"]},
        ),
        # The chain masterplan → pillar → program → indicator → activity reads on one page: the indicators are the
        # inline below, the activities (each written by its own agency, in its own form) are listed here.
        (_("Activities (action plan)"), {"fields": ["activity_list"]}),
        (_("Progress"), {"fields": ["horizon", "stage", "progress", "completed_on", "first_year", "last_year"]}),
        (_("Location"), {"fields": ["location", "districts", "latitude", "longitude"]}),
        (_("Publication"), {"fields": ["publication", "publish_from"]}),
    ]

    def get_export_queryset(self, request):
        """The export's `indicators` column reads the links the person may see, prefetched."""
        return super().get_export_queryset(request).with_indicator_links(request.user)

    @admin.display(description=_("activities"))
    def activity_list(self, obj):
        """Each activity with its year, agency and progress, linked to its own form."""
        if obj is None or obj.pk is None:
            return "—"
        activities = obj.activities.select_related("owner_agency").order_by("year", "pk")
        rows = [
            (_admin_link(a, a.title), a.year, a.owner_agency.acronym or a.owner_agency.name, a.progress)
            for a in activities
        ]
        if not rows:
            return _("No activities planned yet.")
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} ({}, {}): {} %</li>", rows))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "sub_dimensions":
            kwargs["widget"] = PillarSubDimensionSelect  # only the chosen pillar's three are shown
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class TargetInline(ServiceInlineMixin, admin.TabularInline):
    model = IndicatorTarget
    fields = ["year", "value"]
    extra = 0


class MeasurementInline(ServiceInlineMixin, admin.TabularInline):
    model = Measurement
    fields = ["measured_on", "value", "source_note", "evidence"]
    extra = 0


class MeasurementDueFilter(admin.SimpleListFilter):
    """Indicators whose next measurement is due (by their frequency) within the staff workspace's look-ahead."""

    title = _("measurement")
    parameter_name = "measurement"

    def lookups(self, request, model_admin):
        return [("due", _("Due")), ("stale", _("Stale"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "due":
            ahead = today + datetime.timedelta(days=settings.WORKSPACE_DAYS_AHEAD)
            return queryset.with_measurement_due().filter(measurement_due_on__lte=ahead)
        if self.value() == "stale":
            return queryset.stale(on=today)
        return queryset


@admin.register(Indicator)
class IndicatorAdmin(PortfolioAdmin):
    resource_classes = [resources.IndicatorResource]
    list_display = [
        "name_ind",
        "pillar",
        "unit",
        "owner_agency",
        "approval",
        "access",
    ]  # headline, publication: filters
    list_filter = [
        MeasurementDueFilter,
        "pillar",
        "owner_agency",
        "approval",
        "access",
        "iso_theme",
        "frequency",
        "is_headline",
        "publication",
    ]
    list_select_related = ["pillar", "owner_agency"]
    prepopulated_fields = {"slug": ["name_ind"]}
    filter_horizontal = ["building_blocks"]  # any agency's indicator can be a building block
    readonly_fields = ["approval", "approval_note", "approved_at", "program_list"]
    inlines = [TargetInline, MeasurementInline]
    record_left_out = {
        **PortfolioAdmin.record_left_out,
        "stale_since": "set by the nightly staleness check, a system-maintained field",
    }
    actions = ["submit_to_walidata", "approve_as_walidata"]
    fieldsets = [
        (None, {"fields": ["slug", "name_ind", "name_en", "pillar", "is_headline", "owner_agency"]}),
        (
            _("Measure"),
            {"fields": ["unit", "direction", "baseline_value", "baseline_year", "frequency", "data_source"]},
        ),  # fmt: skip
        (
            _("Metadata (Satu Data Indonesia)"),
            {
                "fields": list(Indicator.MS_IND_FIELDS),
                "description": _(
                    "A change to any of these fields (or to the name or unit) of an approved indicator takes it back "
                    "to the walidata: it leaves the public pages until it is approved again."
                ),
            },
        ),
        (_("Standing"), {"fields": ["on_track_from", "at_risk_from"]}),
        (_("Framework codes"), {"fields": ["iso_theme", "iso_number", "sdg_target", "spbe_indicator"]}),
        (_("Walidata approval"), {"fields": ["approval", "approval_note", "approved_at"]}),
        (_("Programs that move it"), {"fields": ["program_list"]}),
        (_("Publication"), {"fields": ["publication", "publish_from"]}),
    ]

    @admin.display(description=_("programs"))
    def program_list(self, obj):
        """The programs linked to this indicator, with their role; each link is edited on its program's form."""
        if obj is None or obj.pk is None:
            return "—"
        links = obj.program_links.select_related("program__lead_agency").order_by("role", "program__title_ind")
        rows = [
            (_admin_link(link.program, link.program.title), link.get_role_display(), link.program.lead_agency.acronym)
            for link in links
        ]
        if not rows:
            return _("No program is linked to this indicator yet.")
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} — {} ({})</li>", rows))

    def _step(self, request, queryset, service, done):
        for indicator in queryset:
            service(indicator=indicator, actor=request.user)  # a refusal rolls the whole action back
        self.message_user(request, done, messages.SUCCESS)

    @admin.action(description=_("Submit to the walidata"), permissions=["submit"])
    def submit_to_walidata(self, request, queryset):
        self._step(request, queryset, services.indicator_submit, _("Submitted to the walidata."))

    @admin.action(description=_("Approve as walidata"), permissions=["approve"])
    def approve_as_walidata(self, request, queryset):
        self._step(request, queryset, services.indicator_approve, _("Approved."))

    def has_submit_permission(self, request):
        return request.user.has_perm("pillars.submit_indicator")

    # --- the walidata's steps on the change page: offered to whom the step's own rule lets take it ------------------
    change_form_template = "admin/pillars/indicator/change_form.html"
    approval_services = {
        "submit": (services.indicator_submit, _("Submitted to the walidata.")),
        "approve": (services.indicator_approve, _("Approved.")),
        "send_back": (services.indicator_send_back, _("Sent back to its producer.")),
    }

    def get_urls(self):
        view = self.admin_site.admin_view(self.approval_view)
        return [
            path("<path:object_id>/approval/<str:step>/", view, name="pillars_indicator_approval"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        indicator = self.get_object(request, unquote(object_id))
        steps = [
            step
            for step in services.APPROVAL_STEPS
            if indicator is not None
            and services.indicator_step_open(indicator=indicator, step=step, actor=request.user)
        ]
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "approval_steps": steps})

    def approval_view(self, request, object_id, step):
        """One step of the walidata's approval, through the step's service (the same one the API calls)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if step not in self.approval_services:
            raise Http404
        indicator = self.get_object(request, unquote(object_id))
        if indicator is None:
            raise Http404
        service, done = self.approval_services[step]
        kwargs = {"note": request.POST.get("note", "")} if step == "send_back" else {}
        try:
            service(indicator=indicator, actor=request.user, **kwargs)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return redirect("admin:pillars_indicator_change", indicator.pk)

    def has_approve_permission(self, request):
        return request.user.has_perm("pillars.approve_indicator")


@admin.register(Measurement)
class MeasurementAdmin(PortfolioAdmin):
    resource_classes = [resources.MeasurementResource]
    list_display = ["indicator", "measured_on", "value", "source_note"]
    list_filter = ["indicator__pillar", "measured_on"]
    list_select_related = ["indicator"]
    date_hierarchy = "measured_on"


@admin.register(BudgetLine)
class BudgetLineAdmin(MoneyFieldsMixin, PortfolioAdmin):
    resource_classes = [resources.BudgetLineResource]
    list_display = ["program", "year", "source", "planned", "realised"]  # smart_city: a filter
    list_filter = ["year", "source", "smart_city", "program__pillar"]
    list_select_related = ["program"]

    @admin.display(description=_("planned (Rp)"), ordering="planned_amount")
    def planned(self, obj):
        return rupiah(obj.planned_amount)

    @admin.display(description=_("realised (Rp)"), ordering="realised_amount")
    def realised(self, obj):
        return rupiah(obj.realised_amount)


@admin.register(DigitalService)
class DigitalServiceAdmin(PortfolioAdmin):
    resource_classes = [resources.DigitalServiceResource]
    list_display = ["name", "owner_agency", "audience", "status", "launched_year"]  # the rest: filters
    list_filter = ["pillar", "owner_agency", "audience", "status", "launched_year", "origin", "platform", "publication"]
    list_select_related = ["pillar", "owner_agency"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(InfrastructureAsset)
class InfrastructureAssetAdmin(PortfolioAdmin):
    resource_classes = [resources.InfrastructureAssetResource]
    list_display = ["name", "kind", "district", "status", "operator"]  # village, installed on: the change form
    list_filter = ["kind", "status", "district", "funding_source", "publication"]
    list_select_related = ["operator", "district"]
    autocomplete_fields = ["program", "operator"]
    record_left_out = {
        **PortfolioAdmin.record_left_out,
        "kecamatan": "the API's deprecated name of the district, not a field",
        "kelurahan": "the API's deprecated name of the village, not a field",
    }


# --- map boundaries: the outlines the public map draws under the assets ---------------------------------
# Appended with their model; the imports at the top of this module stay as they were.
from .forms import BoundaryForm  # noqa: E402
from .models import Boundary  # noqa: E402
from .outlines import outline_size  # noqa: E402


@admin.register(Boundary)
class BoundaryAdmin(ServiceAdmin):
    """The map's outlines, saved through the boundary writer like every other record (history, permission)."""

    form = BoundaryForm
    list_display = ["name", "kind", "code", "note", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    fields = ["name", "kind", "code", "note", "upload", "outline_summary"]
    readonly_fields = ["outline_summary"]

    @admin.display(description=_("Outline now"))
    def outline_summary(self, obj):
        if not obj.geometry:
            return "—"
        areas, points = outline_size(obj.geometry)
        return _("Areas: %(areas)s, points: %(points)s") % {"areas": areas, "points": points}


# --- the offline base map: a PMTiles file the public maps draw under the outlines ---------------------------------
from .models import BaseMap  # noqa: E402


@admin.register(BaseMap)
class BaseMapAdmin(ServiceAdmin):
    """The map's background, at most one: saved through the base map writer, which reads the file's header. A file
    that is no PMTiles archive of raster tiles is a form error, and nothing is saved."""

    list_display = ["name", "attribution", "tile_type", "min_zoom", "max_zoom", "updated_at"]
    fields = ["name", "file", "attribution", "header_summary"]
    readonly_fields = ["header_summary"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not BaseMap.objects.exists()

    @admin.display(description=_("What the file holds"))
    def header_summary(self, obj):
        if not obj.pk:
            return "—"
        return _(
            "%(type)s tiles, zoom %(min)s to %(max)s, west %(west)s, south %(south)s, east %(east)s, north %(north)s"
        ) % {
            "type": obj.get_tile_type_display(),
            "min": obj.min_zoom,
            "max": obj.max_zoom,
            **{side: f"{getattr(obj, side):.4f}" for side in ("west", "south", "east", "north")},
        }


# --- the masterplan's action plan (issue 14): activities, each owned by an agency ----------------------------------
from .models import Activity  # noqa: E402


@admin.register(Activity)
class ActivityAdmin(PortfolioAdmin):
    """Activities (rencana aksi) of the programs; OPD editors see and report only their own agency's. Each save
    rolls the program's progress up again, by weight (the activity writer)."""

    resource_classes = [resources.ActivityResource]
    list_display = ["title_ind", "program", "year", "owner_agency", "progress"]  # weight, target: the change form
    list_filter = ["year", "owner_agency", "program__pillar"]
    list_select_related = ["program", "owner_agency"]
    search_fields = ["title_ind", "title_en", "target", "program__title_ind"]
    autocomplete_fields = ["program"]
    record_left_out = {**PortfolioAdmin.record_left_out, "pillar": "read from the activity's program"}


# --- Areas: districts and villages, one by one or from the office's file ---------------------------------------
class AreaFileForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("Columns: code, name and optionally note (UTF-8)."))


class VillageInline(ServiceInlineMixin, admin.TabularInline):
    model = Village
    fields = ["code", "bps_code", "name", "source_verified", "note"]
    extra = 0


@admin.register(District)
class DistrictAdmin(ServiceAdmin):
    list_display = ["code", "bps_code", "name", "source_verified"]
    list_filter = ["source_verified"]
    search_fields = ["code", "bps_code", "name"]
    inlines = [VillageInline]
    change_list_template = "admin/pillars/district/change_list.html"

    def get_urls(self):
        load = self.admin_site.admin_view(self.load_view)
        return [path("load/", load, name="pillars_district_load"), *super().get_urls()]

    def load_view(self, request):
        """Load districts and villages from a CSV file: a wrong line refuses the whole file (a form error)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = AreaFileForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                counts = services.areas_load(content=form.cleaned_data["file"].read(), actor=request.user)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("file", message)
            else:
                message = _("%(districts)s districts and %(villages)s villages loaded.") % counts
                self.message_user(request, message, messages.SUCCESS)
                return redirect("admin:pillars_district_changelist")
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta,
                   "title": _("Load districts and villages")}  # fmt: skip
        return TemplateResponse(request, "admin/pillars/district/load.html", context)


@admin.register(Village)
class VillageAdmin(ServiceAdmin):
    list_display = ["code", "bps_code", "name", "district", "source_verified"]
    list_filter = ["district", "source_verified"]
    list_select_related = ["district"]
    search_fields = ["code", "bps_code", "name"]


# --- citizen feedback: moderated by the owning agency, every change through the writer ----------------------------
from django.utils.translation import ngettext  # noqa: E402

from .choices import FeedbackStatus  # noqa: E402
from .models import Feedback  # noqa: E402


@admin.register(Feedback)
class FeedbackAdmin(ServiceAdmin):
    """Staff read what citizens wrote about their agencies' programs and services, publish or reject it, and reply.
    The citizen's words and contact are read-only; nobody adds feedback here (citizens use the public form)."""

    list_display = ["short_message", "subject", "status", "created_at", "moderated_at"]
    list_filter = ["status", "created_at"]
    list_select_related = ["program", "service"]
    date_hierarchy = "created_at"
    fields = [
        "subject",
        "message",
        "name",
        "contact",
        "lapor_reference",
        "created_at",
        "status",
        "reply",
        "moderated_at",
        "moderated_by",
    ]
    readonly_fields = [
        "subject",
        "message",
        "name",
        "contact",
        "lapor_reference",
        "created_at",
        "moderated_at",
        "moderated_by",
    ]
    actions = ["publish_selected", "reject_selected"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("message"))
    def short_message(self, obj):
        return str(obj)

    @admin.display(description=_("about"))
    def subject(self, obj):
        return obj.subject

    def _moderate(self, request, queryset, status: str) -> int:
        """Each row through the writer (the agency rule, the history); the action runs in one transaction."""
        changed = 0
        for row in queryset:
            if row.status != status:
                services.feedback_update(instance=row, data={"status": status}, actor=request.user)
                changed += 1
        return changed

    @admin.action(description=_("Publish the selected feedback"), permissions=["change"])
    def publish_selected(self, request, queryset):
        count = self._moderate(request, queryset, FeedbackStatus.PUBLISHED)
        done = ngettext("%(count)s message published.", "%(count)s messages published.", count)
        self.message_user(request, done % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Reject the selected feedback"), permissions=["change"])
    def reject_selected(self, request, queryset):
        count = self._moderate(request, queryset, FeedbackStatus.REJECTED)
        done = ngettext("%(count)s message rejected.", "%(count)s messages rejected.", count)
        self.message_user(request, done % {"count": count}, messages.SUCCESS)


# --- staff: "Add staff" in one form, roles by name (pillars/staff_admin.py) -------------------------------------
from . import staff_admin  # noqa: E402, F401

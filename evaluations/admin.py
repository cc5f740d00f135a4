from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from smartcity.admin import ParentAwareFormSet, ServiceAdmin, ServiceInlineMixin
from smartcity.services import writer_for

from . import services
from .admin_doors import DimensionLabelsMixin, SchemeCopyMixin, SurveyResponseImportMixin
from .evidence_admin import ClarificationDoorsMixin, EvaluationDoorsMixin
from .models import (
    DimensionScore,
    Evaluation,
    EvaluationScheme,
    FieldVisit,
    FieldVisitAttachment,
    Finding,
    FollowUpAction,
    PillarScore,
    SchemeBand,
    SchemeDimension,
)


def _kept_forms(formset):
    """The forms of a formset that will be saved: valid, filled in and not marked for deletion."""
    return [
        form
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE") and not formset._should_delete_form(form)
    ]


# --- Schemes: each row through its writer; the rules on the whole set (weights, bands) are the services' -----
class SchemeDimensionFormSet(ParentAwareFormSet):
    def clean(self):
        super().clean()
        if not any(self.errors):
            weights = [form.cleaned_data["weight"] for form in _kept_forms(self)]
            services.scheme_parts_validate(scheme=self.instance, weights=weights, bands=[])


class SchemeBandFormSet(ParentAwareFormSet):
    def clean(self):
        super().clean()
        if not any(self.errors):
            bands = [(form.cleaned_data["lower"], form.cleaned_data["upper"]) for form in _kept_forms(self)]
            services.scheme_parts_validate(scheme=self.instance, weights=None, bands=bands)


class SchemeDimensionInline(ServiceInlineMixin, admin.TabularInline):
    model = SchemeDimension
    formset = SchemeDimensionFormSet
    fields = ["order", "code", "name_ind", "name_en", "weight"]

    def get_extra(self, request, obj=None, **kwargs):
        return len(services.DEFAULT_DIMENSIONS) if obj is None else 0


class SchemeBandInline(ServiceInlineMixin, admin.TabularInline):
    model = SchemeBand
    formset = SchemeBandFormSet
    fields = ["label_ind", "label_en", "lower", "upper"]
    extra = 0


@admin.register(EvaluationScheme)
class EvaluationSchemeAdmin(SchemeCopyMixin, ServiceAdmin):
    """Schemes, their dimensions and bands; the writers recompute the indices when weights or decimals change. "Copy
    to a new year" starts next year's scheme from this one (admin_doors.py)."""

    change_form_template = "admin/evaluations/evaluationscheme/change_form.html"

    list_display = ["name", "year", "issuing_body", "source_verified", "min_survey_responses"]  # the scale: the form
    list_filter = ["year", "source_verified", "publication"]
    inlines = [SchemeDimensionInline, SchemeBandInline]

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, SchemeDimensionInline) and obj.pk is None and request.method == "GET":
            # The usual five dimensions, named; their weights vary by year, so staff type them in.
            kwargs["initial"] = [
                {"order": order, "code": code, "name_ind": name_ind, "name_en": name_en}
                for order, (code, name_ind, name_en) in enumerate(services.DEFAULT_DIMENSIONS, start=1)
            ]
        return kwargs


# --- Evaluations: scores, findings and visits through their writers; the status only by the workflow steps ------
class SharedChoicesFormSet(ParentAwareFormSet):
    """Score rows whose selects (dimension, pillar) share one list of choices, read once for the formset rather
    than once per row."""

    shared = ("dimension", "pillar")

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        cache = self.__dict__.setdefault("_shared_choices", {})
        for name in self.shared:
            if name in form.fields:
                field = form.fields[name]
                if name not in cache:
                    cache[name] = list(field.choices)
                field.choices = choices = cache[name]
                getattr(field.widget, "widget", field.widget).choices = choices  # inside the admin's wrapper
        return form


class DimensionScoreInline(DimensionLabelsMixin, ServiceInlineMixin, admin.TabularInline):
    """Score rows labelled by their dimension ("Outcome: 3,25"); the dimension list holds the evaluation's scheme's."""

    model = DimensionScore
    formset = SharedChoicesFormSet
    fields = ["dimension", "score"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("dimension")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and obj.scheme_id is not None:
            field = formset.form.base_fields["dimension"]
            field.queryset = field.queryset.filter(scheme_id=obj.scheme_id)
        return formset


class PillarScoreInline(ServiceInlineMixin, admin.TabularInline):
    """Score rows labelled by their pillar ("Tata Kelola: 2,75")."""

    model = PillarScore
    formset = SharedChoicesFormSet
    fields = ["pillar", "score"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("pillar")


class FindingInline(ServiceInlineMixin, admin.TabularInline):
    model = Finding
    fields = ["pillar", "kind", "text_ind", "text_en", "publication"]
    extra = 0
    show_change_link = True


class FieldVisitInline(ServiceInlineMixin, admin.TabularInline):
    model = FieldVisit
    fields = ["visited_on", "site", "agency", "pillar", "publication"]
    extra = 0
    show_change_link = True


def _workflow_action(step, description, done):
    """An admin action taking the selected evaluations one workflow step, through the step's service (all or
    none: a refusal rolls every one back and is shown as an error, see ServiceAdmin.response_action)."""

    def run(model_admin, request, queryset):
        for evaluation in queryset:
            step(evaluation=evaluation, actor=request.user)
        count = len(queryset)
        model_admin.message_user(request, done(count) % {"count": count}, messages.SUCCESS)

    run.__name__ = step.__name__
    return admin.action(description=description, permissions=[step.__name__.removeprefix("evaluation_")])(run)


@admin.register(Evaluation)
class EvaluationAdmin(EvaluationDoorsMixin, ServiceAdmin):
    """Evaluations with their scores, findings and visits; the change page leads to the evaluation's pack (build,
    progress, download) and, for an administrator, to submitting a draft stage past blocking gaps."""

    list_display = [
        "year",
        "stage",
        "kind",
        "status",
        "computed_index",
        "official_index",
    ]  # publication: a filter; publish from: the change form
    list_filter = ["year", "stage", "kind", "status", "publication"]
    list_select_related = ["scheme"]
    readonly_fields = ["status", "computed_index", "readiness_link"]
    fieldsets = [
        (None, {"fields": ["scheme", "year", "stage", "kind", "status"]}),
        (_("Assessment"), {"fields": ["evaluating_body", "assessors", "started_on", "ended_on"]}),
        (
            _("Result"),
            {
                "fields": [
                    "letter_number",
                    "letter_date",
                    "computed_index",
                    "official_index",
                    "national_rank",
                    "provincial_rank",
                    "summary_ind",
                    "summary_en",
                ]
            },
        ),
        (_("Publication"), {"fields": ["publication", "publish_from", "readiness_link"]}),
    ]
    inlines = [DimensionScoreInline, PillarScoreInline, FindingInline, FieldVisitInline]
    actions = [
        _workflow_action(
            services.evaluation_submit,
            _("Submit the selected draft evaluations"),
            lambda count: ngettext("%(count)d evaluation submitted.", "%(count)d evaluations submitted.", count),
        ),
        _workflow_action(
            services.evaluation_finalise,
            _("Finalise the selected submitted evaluations"),
            lambda count: ngettext("%(count)d evaluation finalised.", "%(count)d evaluations finalised.", count),
        ),
    ]

    def has_submit_permission(self, request):
        return request.user.has_perm("evaluations.submit_evaluation")

    def has_finalise_permission(self, request):
        return request.user.has_perm("evaluations.finalise_evaluation")

    @admin.display(description=_("readiness"))
    def readiness_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("evaluations:evaluation-readiness", args=[obj.slug]), _("What is missing")
        )


# --- Findings and follow-ups ----------------------------------------------------------------------
class FollowUpInline(ServiceInlineMixin, admin.TabularInline):
    model = FollowUpAction
    fields = ["title_ind", "owner_agency", "due_on", "status", "done_on", "publication"]
    extra = 0
    show_change_link = True


@admin.register(Finding)
class FindingAdmin(ServiceAdmin):
    list_display = ["__str__", "evaluation", "pillar", "kind", "publication"]
    list_filter = ["kind", "pillar", "evaluation__year", "publication"]
    list_select_related = ["evaluation", "pillar"]
    inlines = [FollowUpInline]


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        if self.value() == "no":
            return queryset.not_overdue()
        return queryset


@admin.register(FollowUpAction)
class FollowUpActionAdmin(ServiceAdmin):
    """OPD editors see every follow-up (the change list and history pages list them all) but change only their
    own agency's: the change permission on a row is the writer's own rule, so the change form, the history
    page's revert and the delete page refuse another agency's follow-up alike, and the writer checks it again
    on the row as it stands and as it would become."""

    list_scope = "view"
    list_display = [
        "title_ind",
        "owner_agency",
        "due_on",
        "status",
        "overdue",
    ]  # done on: the form; publication: a filter
    list_filter = ["owner_agency", "status", OverdueFilter, "finding__evaluation__year", "publication"]
    list_select_related = ["owner_agency"]
    autocomplete_fields = ["finding"]
    fields = [
        "finding",
        "owner_agency",
        "title_ind",
        "title_en",
        "due_on",
        "status",
        "done_on",
        "evidence",
        "note",
        "publication",
        "publish_from",
    ]

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj):
        return obj.is_overdue_on(timezone.localdate())

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or _writable(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or _writable(request.user, obj))


def _writable(user, obj) -> bool:
    """Would the model's writer let `user` write `obj` as it stands? (Its rules, asked before any form is shown.)"""
    try:
        writer_for(type(obj)).check(before=obj, after=None, many={}, actor=user)
    except PermissionDenied:
        return False
    return True


# --- Field visits ---------------------------------------------------------------------------------
class FieldVisitAttachmentInline(ServiceInlineMixin, admin.TabularInline):
    model = FieldVisitAttachment
    fields = ["kind", "file", "caption_ind", "caption_en"]
    extra = 0


@admin.register(FieldVisit)
class FieldVisitAdmin(ServiceAdmin):
    list_display = ["site", "visited_on", "evaluation", "pillar", "agency"]  # publication: a filter
    list_filter = ["pillar", "evaluation__year", "publication"]
    list_select_related = ["evaluation", "pillar", "agency"]
    inlines = [FieldVisitAttachmentInline]


# --- Evidence of the five dimensions (issue 14) ---------------------------------------------------------------------
from .models import (  # noqa: E402
    BodyMember,
    ClarificationAnswer,
    ClarificationRequest,
    EvaluationPack,
    LegalInstrument,
    ReadinessOverride,
    Survey,
    SurveyItem,
    SurveyResponse,
    SurveyTarget,
)


class BodyMemberInline(ServiceInlineMixin, admin.TabularInline):
    model = BodyMember
    formset = ParentAwareFormSet
    fields = ["order", "name", "role", "position"]
    extra = 0


@admin.register(LegalInstrument)
class LegalInstrumentAdmin(ServiceAdmin):
    """The output register: regulations and decrees per evaluation year; a decree forming a body lists members."""

    list_display = ["number", "kind", "year", "issued_on", "forms_body"]  # publication: a filter
    list_filter = ["year", "kind", "forms_body", "publication"]
    search_fields = ["number", "title_ind", "title_en"]
    filter_horizontal = ["pillars"]
    inlines = [BodyMemberInline]


class SurveyItemInline(ServiceInlineMixin, admin.TabularInline):
    model = SurveyItem
    formset = ParentAwareFormSet
    fields = ["order", "code", "text_ind", "text_en"]
    extra = 0


class SurveyTargetInline(ServiceInlineMixin, admin.TabularInline):
    model = SurveyTarget
    formset = ParentAwareFormSet
    fields = ["sub_dimension", "program", "service", "owner_agency"]
    autocomplete_fields = ["program"]
    extra = 0


@admin.register(Survey)
class SurveyAdmin(SurveyResponseImportMixin, ServiceAdmin):
    """The year's citizen survey: its Likert items and, per sub-dimension, the program or service surveyed.
    Responses are imported on the survey's page ("Import responses", admin_doors.py) or through the API
    (`import-responses`), by the same service, or typed in one by one."""

    change_form_template = "admin/evaluations/survey/change_form.html"

    list_display = ["title_ind", "year", "open_online"]  # the scale: the change form; publication: a filter
    list_filter = ["year", "publication"]
    search_fields = ["title_ind", "title_en", "slug"]
    prepopulated_fields = {"slug": ["title_ind"]}
    inlines = [SurveyItemInline, SurveyTargetInline]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ServiceAdmin):
    """Respondents' answers, read here (answers are written with the response by the API or an import)."""

    list_display = ["__str__", "target", "answered_on", "source"]
    list_filter = ["source", "target__survey__year"]
    list_select_related = ["target"]
    search_fields = ["respondent"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ClarificationAnswerInline(admin.TabularInline):
    model = ClarificationAnswer
    fields = ["text", "file", "answered_by", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ClarificationRequest)
class ClarificationRequestAdmin(ClarificationDoorsMixin, DimensionLabelsMixin, ServiceAdmin):
    """Assessors' requests; OPD editors see only their own agency's. The change page lists the answers with their
    files and offers "Answer" (the owning agency) and "Close" (the assessor) to those the services let through."""

    list_display = ["__str__", "evaluation", "pillar", "owner_agency", "due_on", "status"]
    list_filter = ["status", "owner_agency", "evaluation__year"]
    list_select_related = ["evaluation", "pillar", "owner_agency"]
    search_fields = ["question"]
    readonly_fields = ["status", "closed_on", "asked_by"]
    fields = ["evaluation", "pillar", "dimension", "program", "owner_agency", "question", "due_on", "status",
              "closed_on", "asked_by"]  # fmt: skip
    autocomplete_fields = ["program"]
    inlines = [ClarificationAnswerInline]


@admin.register(EvaluationPack)
class EvaluationPackAdmin(admin.ModelAdmin):
    """The packs asked for, read here; they are built from the evaluation's page ("Evaluation pack")."""

    list_display = ["evaluation", "format", "status", "progress", "requested_by", "created_at", "download"]
    list_select_related = ["evaluation", "requested_by"]
    fields = ["evaluation", "format", "status", "progress", "download", "error", "requested_by"]
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, obj):
        if obj.status != "done" or not obj.file:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("evaluations:evaluationpack-download", args=[obj.pk]),
                           _("Download"))  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReadinessOverride)
class ReadinessOverrideAdmin(admin.ModelAdmin):
    """Kept for the record: who submitted a stage past blocking gaps, why, and which gaps. An override is made on the
    evaluation's page ("Submit past blocking gaps", EvaluationDoorsMixin.override_view), through evaluation_submit."""

    list_display = ["evaluation", "decided_by", "created_at", "reason"]
    list_select_related = ["evaluation", "decided_by"]
    readonly_fields = ["evaluation", "reason", "gaps", "decided_by", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

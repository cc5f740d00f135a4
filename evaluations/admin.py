from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from pillars.models import Agency
from smartcity.scoping import MANAGE_ALL_AGENCIES

from . import services
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


# --- Schemes --------------------------------------------------------------------------------------
class SchemeDimensionFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if not any(self.errors):
            services.weights_validate(weights=[form.cleaned_data["weight"] for form in _kept_forms(self)])


class SchemeBandFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        scheme = self.instance
        if any(self.errors) or scheme.scale_min is None or scheme.scale_max is None:
            return
        bands = [(form.cleaned_data["lower"], form.cleaned_data["upper"]) for form in _kept_forms(self)]
        services.bands_validate(bands=bands, scale_min=scheme.scale_min, scale_max=scheme.scale_max)


class SchemeDimensionInline(admin.TabularInline):
    model = SchemeDimension
    formset = SchemeDimensionFormSet
    fields = ["order", "code", "name_id", "name_en", "weight"]

    def get_extra(self, request, obj=None, **kwargs):
        return len(services.DEFAULT_DIMENSIONS) if obj is None else 0


class SchemeBandInline(admin.TabularInline):
    model = SchemeBand
    formset = SchemeBandFormSet
    fields = ["label_id", "label_en", "lower", "upper"]
    extra = 0


@admin.register(EvaluationScheme)
class EvaluationSchemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "year", "issuing_body", "scale_min", "scale_max", "decimals", "publication"]
    list_filter = ["year", "publication"]
    search_fields = ["name", "issuing_body"]
    inlines = [SchemeDimensionInline, SchemeBandInline]

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, SchemeDimensionInline) and obj.pk is None and request.method == "GET":
            # The usual five dimensions, named; their weights vary by year, so staff type them in.
            kwargs["initial"] = [
                {"order": order, "code": code, "name_id": name_id, "name_en": name_en}
                for order, (code, name_id, name_en) in enumerate(services.DEFAULT_DIMENSIONS, start=1)
            ]
        return kwargs

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.scheme_recompute_indices(scheme=form.instance)


# --- Evaluations ----------------------------------------------------------------------------------
class ScoreFormSet(BaseInlineFormSet):
    """Scores must sit inside the evaluation's scheme scale (and belong to its scheme)."""

    def clean(self):
        super().clean()
        scheme = getattr(self.instance, "scheme", None) if self.instance.scheme_id else None
        if any(self.errors) or scheme is None:
            return
        for form in _kept_forms(self):
            dimension = form.cleaned_data.get("dimension")
            if dimension is not None and dimension.scheme_id != scheme.pk:
                raise ValidationError(
                    _("%(dimension)s is not a dimension of %(scheme)s."),
                    code="foreign_dimension",
                    params={"dimension": dimension, "scheme": scheme},
                )
            label = dimension or form.cleaned_data.get("pillar")
            services.score_validate(score=form.cleaned_data["score"], scheme=scheme, label=str(label))


class DimensionScoreInline(admin.TabularInline):
    model = DimensionScore
    formset = ScoreFormSet
    fields = ["dimension", "score"]
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "dimension":
            field.queryset = field.queryset.select_related("scheme")
        return field


class PillarScoreInline(admin.TabularInline):
    model = PillarScore
    formset = ScoreFormSet
    fields = ["pillar", "score"]
    extra = 0


class FindingInline(admin.TabularInline):
    model = Finding
    fields = ["pillar", "kind", "text_id", "text_en", "publication"]
    extra = 0
    show_change_link = True


class FieldVisitInline(admin.TabularInline):
    model = FieldVisit
    fields = ["visited_on", "site", "agency", "pillar", "publication"]
    extra = 0
    show_change_link = True


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = [
        "year",
        "stage",
        "kind",
        "status",
        "computed_index",
        "official_index",
        "publication",
        "publish_from",
    ]
    list_filter = ["year", "stage", "kind", "status", "publication"]
    search_fields = ["letter_number", "evaluating_body", "assessors"]
    list_select_related = ["scheme"]
    readonly_fields = ["computed_index", "readiness_link"]
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
                    "summary_id",
                    "summary_en",
                ]
            },
        ),
        (_("Publication"), {"fields": ["publication", "publish_from", "readiness_link"]}),
    ]
    inlines = [DimensionScoreInline, PillarScoreInline, FindingInline, FieldVisitInline]

    @admin.display(description=_("readiness"))
    def readiness_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("evaluations:readiness", args=[obj.pk]), _("What is missing"))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)

        class EvaluationForm(form):
            def clean(self):
                cleaned = super().clean()
                if cleaned.get("scheme") and cleaned.get("year"):
                    services.evaluation_scheme_validate(year=cleaned["year"], scheme=cleaned["scheme"])
                return cleaned

        return EvaluationForm

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.evaluation_recompute_index(evaluation=form.instance)


# --- Findings and follow-ups ----------------------------------------------------------------------
class FollowUpInline(admin.TabularInline):
    model = FollowUpAction
    fields = ["title_id", "owner_agency", "due_on", "status", "done_on", "publication"]
    extra = 0
    show_change_link = True


@admin.register(Finding)
class FindingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "evaluation", "pillar", "kind", "publication"]
    list_filter = ["kind", "pillar", "evaluation__year", "publication"]
    list_select_related = ["evaluation", "pillar"]
    search_fields = ["text_id", "text_en"]
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
class FollowUpActionAdmin(SimpleHistoryAdmin):
    """OPD editors see every follow-up but change only their own agency's."""

    list_display = ["title_id", "owner_agency", "due_on", "status", "done_on", "overdue", "publication"]
    list_filter = ["owner_agency", "status", OverdueFilter, "finding__evaluation__year", "publication"]
    list_select_related = ["owner_agency"]
    search_fields = ["title_id", "title_en", "note"]
    autocomplete_fields = ["finding"]
    fields = [
        "finding",
        "owner_agency",
        "title_id",
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
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None:
            return allowed
        return FollowUpAction.objects.filter(pk=obj.pk).editable_by(request.user).exists()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner_agency" and not request.user.has_perm(MANAGE_ALL_AGENCIES):
            kwargs["queryset"] = Agency.objects.filter(members=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.agency_check(actor=request.user, agency=obj.owner_agency)
        super().save_model(request, obj, form, change)


# --- Field visits ---------------------------------------------------------------------------------
class FieldVisitAttachmentInline(admin.TabularInline):
    model = FieldVisitAttachment
    fields = ["kind", "file", "caption_id", "caption_en"]
    extra = 0


@admin.register(FieldVisit)
class FieldVisitAdmin(SimpleHistoryAdmin):
    list_display = ["site", "visited_on", "evaluation", "pillar", "agency", "publication"]
    list_filter = ["pillar", "evaluation__year", "publication"]
    list_select_related = ["evaluation", "pillar", "agency"]
    search_fields = ["site", "notes_id", "notes_en"]
    inlines = [FieldVisitAttachmentInline]

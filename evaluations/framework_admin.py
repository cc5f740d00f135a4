"""Admin of the assessment frameworks, self-assessments and external indices: every row through its writer, the
rules on a whole set (indicator weights, bands) on the inline formsets, as for the evaluation schemes."""

from django.contrib import admin

from smartcity.admin import ParentAwareFormSet, ServiceAdmin, ServiceInlineMixin

from . import frameworks
from .models import (
    ExternalIndex,
    ExternalIndexValue,
    Framework,
    FrameworkAspect,
    FrameworkBand,
    FrameworkDomain,
    FrameworkIndicator,
    SelfAssessment,
    SelfAssessmentEvidence,
    SelfAssessmentScore,
)


def _kept(formset):
    return [f for f in formset.forms if f.cleaned_data and not formset._should_delete_form(f)]


class IndicatorFormSet(ParentAwareFormSet):
    def clean(self):
        super().clean()
        if not any(self.errors) and _kept(self):
            frameworks.framework_weights_validate(weights=[f.cleaned_data["weight"] for f in _kept(self)])


class BandFormSet(ParentAwareFormSet):
    def clean(self):
        super().clean()
        if not any(self.errors):
            bands = [(f.cleaned_data["lower"], f.cleaned_data["upper"]) for f in _kept(self)]
            frameworks.framework_parts_validate(framework=self.instance, weights=None, bands=bands)


class DomainInline(ServiceInlineMixin, admin.TabularInline):
    model = FrameworkDomain
    fields = ["order", "code", "name_id", "name_en"]
    extra = 0


class AspectInline(ServiceInlineMixin, admin.TabularInline):
    model = FrameworkAspect
    fields = ["order", "domain", "code", "name_id", "name_en"]
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields["domain"]
        field.queryset = field.queryset.filter(framework=obj) if obj is not None else field.queryset.none()
        return formset


class IndicatorInline(ServiceInlineMixin, admin.TabularInline):
    model = FrameworkIndicator
    formset = IndicatorFormSet
    fields = ["number", "aspect", "name_id", "name_en", "weight", "verified"]
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields["aspect"]
        field.queryset = field.queryset.filter(framework=obj) if obj is not None else field.queryset.none()
        return formset


class BandInline(ServiceInlineMixin, admin.TabularInline):
    model = FrameworkBand
    formset = BandFormSet
    fields = ["label_id", "label_en", "lower", "upper"]
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(ServiceAdmin):
    """A framework's structure: domains, aspects (of those domains), weighted indicators and bands."""

    list_display = ["name_id", "issuing_body", "level_min", "level_max", "publication"]
    prepopulated_fields = {"slug": ["name_id"]}
    inlines = [DomainInline, AspectInline, IndicatorInline, BandInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for assessment in form.instance.assessments.all():
            frameworks.self_assessment_recompute(assessment=assessment, actor=request.user)


class ScoreInline(ServiceInlineMixin, admin.TabularInline):
    model = SelfAssessmentScore
    fields = ["indicator", "target_level", "self_level", "justification", "assessor_level"]
    readonly_fields = ["assessor_level"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields["indicator"]
        field.queryset = field.queryset.filter(framework_id=obj.framework_id) if obj else field.queryset.none()
        return formset


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(ServiceAdmin):
    """A year's self-assessment; the assessors' levels come through the API's `assess` step."""

    list_display = ["framework", "year", "self_index", "assessor_index"]  # publication: a filter
    list_filter = ["framework", "year", "publication"]
    list_select_related = ["framework"]
    readonly_fields = ["self_index", "assessor_index"]
    inlines = [ScoreInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        frameworks.self_assessment_recompute(assessment=form.instance, actor=request.user)


@admin.register(SelfAssessmentEvidence)
class SelfAssessmentEvidenceAdmin(ServiceAdmin):
    list_display = ["score", "caption"]
    list_select_related = ["score__indicator", "score__assessment"]


class IndexValueInline(ServiceInlineMixin, admin.TabularInline):
    model = ExternalIndexValue
    fields = ["year", "value", "band_id", "band_en", "rank", "ranked_among", "source_document", "source_url"]
    extra = 0


@admin.register(ExternalIndex)
class ExternalIndexAdmin(ServiceAdmin):
    list_display = ["name_id", "publisher", "scale_min", "scale_max", "publication"]
    prepopulated_fields = {"slug": ["name_id"]}
    inlines = [IndexValueInline]

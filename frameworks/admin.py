"""Admin of the assessment frameworks, self-assessments and external indices: every row through its writer, the
rules on a whole set (indicator weights, bands) on the inline formsets, as for the evaluation schemes. A framework's
official text (e.g. the Indeks Pemerintah Digital's, once the office has it) is loaded from a JSON file through the
same loader as `manage.py load_framework`: checked as the API checks a framework, all or nothing."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartcity.admin import ParentAwareFormSet, ServiceAdmin, ServiceInlineMixin

from . import services
from .models import (
    ExternalIndex,
    ExternalIndexValue,
    Framework,
    FrameworkAspect,
    FrameworkBand,
    FrameworkDomain,
    FrameworkIndicator,
    FrameworkLevel,
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
            services.framework_weights_validate(weights=[f.cleaned_data["weight"] for f in _kept(self)])


class BandFormSet(ParentAwareFormSet):
    def clean(self):
        super().clean()
        if not any(self.errors):
            bands = [(f.cleaned_data["lower"], f.cleaned_data["upper"]) for f in _kept(self)]
            services.framework_parts_validate(framework=self.instance, weights=None, bands=bands)


class DomainInline(ServiceInlineMixin, admin.TabularInline):
    model = FrameworkDomain
    fields = ["order", "code", "name_ind", "name_en"]
    extra = 0


class AspectInline(ServiceInlineMixin, admin.TabularInline):
    model = FrameworkAspect
    fields = ["order", "domain", "code", "name_ind", "name_en"]
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields["domain"]
        field.queryset = field.queryset.filter(framework=obj) if obj is not None else field.queryset.none()
        return formset


class IndicatorInline(ServiceInlineMixin, admin.TabularInline):
    model = FrameworkIndicator
    formset = IndicatorFormSet
    fields = ["number", "aspect", "name_ind", "name_en", "weight", "named_by_assessee", "level_criteria", "source",
              "source_verified"]  # fmt: skip
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields["aspect"]
        field.queryset = field.queryset.filter(framework=obj) if obj is not None else field.queryset.none()
        return formset


class LevelInline(ServiceInlineMixin, admin.TabularInline):
    model = FrameworkLevel
    fields = ["level", "name_ind", "name_en", "source", "source_verified"]
    extra = 0


class BandInline(ServiceInlineMixin, admin.TabularInline):
    model = FrameworkBand
    formset = BandFormSet
    fields = ["label_ind", "label_en", "lower", "upper", "source", "source_verified"]
    extra = 0


class FrameworkFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Framework file (JSON)"),
        help_text=gettext_lazy("The framework as JSON, in the shape of the shipped SPBE file; at most 2 MB."),
    )


class FrameworkLoadMixin:
    """ "Load from a file" on the frameworks list: a framework's JSON file (a new one such as the Indeks Pemdi, or a
    revision of a known slug) through `services.framework_load`; a file that breaks any rule changes nothing, and
    an upload never publishes: a new framework starts as a draft."""

    change_list_template = "admin/frameworks/framework/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.load_view)
        return [path("load/", view, name="frameworks_framework_load"), *super().get_urls()]

    def has_load_permission(self, request) -> bool:
        return request.user.has_perms(["frameworks.add_framework", "frameworks.change_framework"])

    def changelist_view(self, request, extra_context=None):
        context = {**(extra_context or {}), "can_load": self.has_load_permission(request)}
        return super().changelist_view(request, context)

    def load_view(self, request):
        if not self.has_load_permission(request):
            raise PermissionDenied
        form = FrameworkFileForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                data = services.framework_file_read(content=form.cleaned_data["file"].read())
                framework = services.framework_load(data=data, actor=request.user, keep_publication=True)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("file", message)
            else:
                message = _("%(framework)s loaded with %(count)s indicators: check it, then publish it.")
                count = framework.indicators.count()
                self.message_user(request, message % {"framework": framework, "count": count}, messages.SUCCESS)
                return redirect("admin:frameworks_framework_change", framework.pk)
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta,
                   "title": _("Load a framework from a file")}  # fmt: skip
        return TemplateResponse(request, "admin/frameworks/framework/load.html", context)


@admin.register(Framework)
class FrameworkAdmin(FrameworkLoadMixin, ServiceAdmin):
    """A framework's structure: domains, aspects (of those domains), weighted indicators, named levels and bands,
    each figure with its source and whether it was verified."""

    list_display = ["name_ind", "issuing_body", "level_min", "level_max", "source_verified", "publication"]
    list_filter = ["source_verified", "publication"]
    prepopulated_fields = {"slug": ["name_ind"]}
    inlines = [DomainInline, AspectInline, IndicatorInline, LevelInline, BandInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for assessment in form.instance.assessments.all():
            services.self_assessment_recompute(assessment=assessment, actor=request.user)


class ScoreInline(ServiceInlineMixin, admin.TabularInline):
    model = SelfAssessmentScore
    fields = ["indicator", "subject", "target_level", "self_level", "justification", "assessor_level"]
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
        services.self_assessment_recompute(assessment=form.instance, actor=request.user)


@admin.register(SelfAssessmentEvidence)
class SelfAssessmentEvidenceAdmin(ServiceAdmin):
    list_display = ["score", "caption"]
    list_select_related = ["score__indicator", "score__assessment"]


class IndexValueInline(ServiceInlineMixin, admin.TabularInline):
    """The index's editions: a score (or a level for a level rating), the rank within its peer group, the band only
    where the publisher gives bands, and the source."""

    model = ExternalIndexValue
    fields = ["year", "value", "level", "band_ind", "band_en", "rank", "ranked_among", "peer_group_ind",
              "peer_group_en", "source", "source_verified", "source_document", "source_url"]  # fmt: skip
    extra = 0


@admin.register(ExternalIndex)
class ExternalIndexAdmin(ServiceAdmin):
    list_display = ["name_ind", "publisher", "scope", "kind", "source_verified", "publication"]
    list_filter = ["scope", "kind", "source_verified", "publication"]
    prepopulated_fields = {"slug": ["name_ind"]}
    inlines = [IndexValueInline]

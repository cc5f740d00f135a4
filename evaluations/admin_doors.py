"""Admin doors for tasks that otherwise needed an HTTP client (issue 22): importing a surveyed program's responses
(upload, a dry run listing every bad row, then confirm; all or nothing) and copying a year's scheme into a new year.
Each door calls the same service as the API (`survey_responses_import`, `scheme_copy`), so the same rules and the
same writer run."""

import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import formats
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.tmp_storages import TempFolderStorage

from . import services
from .models import SchemeDimension, SurveyTarget
from .services.evidence import survey_file_read, survey_responses_import

PREVIEW_ROWS = 20


# --- Survey responses: upload, dry run, confirm -----------------------------------------------------------------------
def target_label(target: SurveyTarget) -> str:
    subject = target.program.title if target.program_id else target.service.name
    return f"{target.sub_dimension.name} · {subject}"


class TargetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, target):
        return target_label(target)


class SurveyImportForm(forms.Form):
    target = TargetChoiceField(queryset=SurveyTarget.objects.none(), label=gettext_lazy("Surveyed program or service"))
    import_file = forms.FileField(
        label=gettext_lazy("File to import"),
        help_text=gettext_lazy("A CSV or XLSX file with the columns listed above."),
    )

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = SurveyTarget.objects.filter(survey=survey).select_related(
            "sub_dimension", "program", "service"
        )


def _tmp_storage(**kwargs):
    """The temporary storage django-import-export's own imports use between the dry run and the confirm."""
    storage_class = getattr(settings, "IMPORT_EXPORT_TMP_STORAGE_CLASS", TempFolderStorage)
    storage_class = import_string(storage_class) if isinstance(storage_class, str) else storage_class
    return storage_class(read_mode="rb", **kwargs)


class SurveyResponseImportMixin:
    """A survey's change page gets "Import responses": choose the surveyed program or service and a file; the dry
    run lists every bad row with its number, or previews the rows with a confirm button. The confirm imports the same
    file (kept in the import's temporary storage, named in the session, not by the browser), all or nothing."""

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_responses_view)
        name = f"{self.opts.app_label}_{self.opts.model_name}_import_responses"
        return [path("<path:object_id>/import-responses/", view, name=name), *super().get_urls()]

    def has_import_responses_permission(self, request) -> bool:
        return request.user.has_perm("evaluations.add_surveyresponse")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = {**(extra_context or {}), "can_import_responses": self.has_import_responses_permission(request)}
        return super().change_view(request, object_id, form_url, context)

    def import_responses_view(self, request, object_id):
        if not self.has_import_responses_permission(request):
            raise PermissionDenied
        survey = self.get_object(request, unquote(object_id))
        if survey is None:
            raise Http404
        if request.method == "POST" and "confirm" in request.POST:
            return self._import_confirm(request, survey)
        form = SurveyImportForm(request.POST or None, request.FILES or None, survey=survey)
        context = {"form": form}
        if request.method == "POST" and form.is_valid():
            context |= self._import_dry_run(request, form)
        return self._import_page(request, survey, context)

    def _import_dry_run(self, request, form) -> dict:
        upload, target = form.cleaned_data["import_file"], form.cleaned_data["target"]
        content = upload.read()
        try:
            rows = survey_responses_import(
                target=target, name=upload.name, content=content, actor=request.user, dry_run=True
            )
        except ValidationError as error:
            return {"problems": error.messages, "target": target}
        storage = _tmp_storage()
        storage.save(content)
        key = uuid.uuid4().hex
        request.session[f"survey-import-{key}"] = {"tmp": storage.name, "name": upload.name, "target": target.pk}
        dataset = survey_file_read(name=upload.name, content=content)
        return {"key": key, "rows": rows, "target": target, "headers": dataset.headers,
                "preview": dataset[:PREVIEW_ROWS]}  # fmt: skip

    def _import_confirm(self, request, survey):
        pending = request.session.pop(f"survey-import-{request.POST.get('key', '')}", None)
        target = SurveyTarget.objects.filter(survey=survey, pk=(pending or {}).get("target")).first()
        if pending is None or target is None:
            self.message_user(request, _("This import has expired: choose the file again."), messages.ERROR)
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import_responses", survey.pk)
        storage = _tmp_storage(name=pending["tmp"])
        try:
            content = storage.read()
            rows = survey_responses_import(
                target=target, name=pending["name"], content=content, actor=request.user, dry_run=False
            )
        except ValidationError as error:  # the data changed since the dry run: the rules ran again, nothing saved
            form = SurveyImportForm(initial={"target": target}, survey=survey)
            return self._import_page(request, survey, {"form": form, "problems": error.messages, "target": target})
        finally:
            storage.remove()
        message = _("%(rows)s responses imported for %(target)s.")
        self.message_user(request, message % {"rows": rows, "target": target_label(target)}, messages.SUCCESS)
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", survey.pk)

    def _import_page(self, request, survey, context):
        codes = list(survey.items.values_list("code", flat=True))
        context = {**self.admin_site.each_context(request), **context, "opts": self.opts, "original": survey,
                   "codes": codes, "title": _("Import survey responses")}  # fmt: skip
        return TemplateResponse(request, "admin/evaluations/survey/import_responses.html", context)


# --- Dimensions in selects: every scheme has its Baseline…Quick Win, so a choice names its year and weight -------
def dimension_label(dimension: SchemeDimension) -> str:
    """ "2024 · Baseline (10 %)": the scheme's year, the dimension, its weight."""
    weight = formats.number_format(dimension.weight.normalize())
    return f"{dimension.scheme.year} · {dimension.name} ({weight} %)"


class SchemeDimensionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, dimension):
        return dimension_label(dimension)


class DimensionLabelsMixin:
    """For an admin or inline with a select of dimensions: each choice says its scheme's year and its weight, read
    with the scheme in the same query."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is SchemeDimension:
            kwargs["form_class"] = SchemeDimensionChoiceField
            kwargs.setdefault("queryset", SchemeDimension.objects.with_related())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- Schemes: a year's scheme copied into a new year ---------------------------------------------------------------
class SchemeCopyForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("New year"), min_value=2000, max_value=2100)


class SchemeCopyMixin:
    """ "Copy to a new year" on a scheme's change page (and as a list action for one scheme): asks for the year and
    creates the copy, with its dimensions, weights, bands and scale, through the scheme's writer; then opens it."""

    actions = ["copy_to_new_year"]

    def get_urls(self):
        view = self.admin_site.admin_view(self.copy_view)
        name = f"{self.opts.app_label}_{self.opts.model_name}_copy"
        return [path("<path:object_id>/copy/", view, name=name), *super().get_urls()]

    def has_copy_permission(self, request) -> bool:
        return request.user.has_perm("evaluations.add_evaluationscheme")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = {**(extra_context or {}), "can_copy": self.has_copy_permission(request)}
        return super().change_view(request, object_id, form_url, context)

    def copy_to_new_year(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one scheme to copy."), messages.WARNING)
            return None
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_copy", queryset.get().pk)

    copy_to_new_year.short_description = gettext_lazy("Copy to a new year")
    copy_to_new_year.allowed_permissions = ["copy"]

    def copy_view(self, request, object_id):
        if not self.has_copy_permission(request):
            raise PermissionDenied
        scheme = self.get_object(request, unquote(object_id))
        if scheme is None:
            raise Http404
        form = SchemeCopyForm(request.POST or None, initial={"year": scheme.year + 1})
        if request.method == "POST" and form.is_valid():
            try:
                copy = services.scheme_copy(scheme=scheme, year=form.cleaned_data["year"], actor=request.user)
            except ValidationError as error:
                form.add_error("year" if "year" in getattr(error, "error_dict", {}) else None, error.messages)
            else:
                done = _("Copied to %(year)s: check the weights and bands, then publish it.") % {"year": copy.year}
                self.message_user(request, done, messages.SUCCESS)
                return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", copy.pk)
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.opts, "original": scheme,
                   "title": _("Copy %(scheme)s to a new year") % {"scheme": scheme}}  # fmt: skip
        return TemplateResponse(request, "admin/evaluations/evaluationscheme/copy.html", context)


__all__ = ["DimensionLabelsMixin", "SchemeCopyMixin", "SurveyResponseImportMixin", "dimension_label"]

"""Staff pages for the yearly report files: ask for one, watch it being made, download it."""

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import services
from .choices import ExportFormat, ExportStatus
from .models import ReportExport


class ReportExportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    format = forms.ChoiceField(label=_("Format"), choices=ExportFormat.choices)


@login_required(login_url="admin:login")
@permission_required("evaluations.view_reportexport", raise_exception=True)
def report_exports(request):
    """The report files made so far, newest first, and a form to ask for another (with add permission)."""
    form = ReportExportForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
    if request.method == "POST":
        if not request.user.has_perm("evaluations.add_reportexport"):
            raise PermissionDenied
        if form.is_valid():
            services.report_export_request(
                actor=request.user, year=form.cleaned_data["year"], fmt=form.cleaned_data["format"]
            )
            return redirect("evaluations:report-export-list")
    exports = ReportExport.objects.select_related("requested_by")[:30]
    busy = any(e.status in (ExportStatus.QUEUED, ExportStatus.RUNNING) for e in exports)
    return render(request, "evaluations/report_exports.html", {"form": form, "exports": exports, "busy": busy})


@login_required(login_url="admin:login")
@permission_required("evaluations.view_reportexport", raise_exception=True)
def report_export_download(request, pk: int):
    export = get_object_or_404(ReportExport, pk=pk, status=ExportStatus.DONE)
    if not export.file:
        raise Http404
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=export.file.name.rsplit("/", 1)[-1])


@login_required(login_url="admin:login")
@permission_required("evaluations.view_evaluationpack", raise_exception=True)
def evaluation_pack_download(request, pk: int):
    """An evaluation's evidence pack, once made (staff who may see packs)."""
    from .models import EvaluationPack
    from .pack import pack_filename

    pack = get_object_or_404(EvaluationPack.objects.with_related(), pk=pk, status=ExportStatus.DONE)
    if not pack.file:
        raise Http404
    filename = pack_filename(evaluation=pack.evaluation, fmt=pack.format)  # the stored name may carry a suffix
    return FileResponse(pack.file.open("rb"), as_attachment=True, filename=filename)

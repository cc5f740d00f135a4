"""The files staff ask for and the worker makes: the yearly report and the evaluation pack. Both are file jobs
(evaluations.models.bases.FileJob), queued by one service (`file_job_request`) and made by one (`file_job_build`);
each kind gives only its own row, task, file name and contents."""

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from smartcity.tasks import enqueue

from .. import reports
from ..choices import ExportFormat, ExportStatus
from ..models import Evaluation, EvaluationPack, ReportExport
from ..pack import pack_filename, pack_sections
from ..tasks import build_evaluation_pack, build_report_export


def file_job_request(job, *, task, id_argument: str):
    """Record a new file job (a yearly report, an evaluation pack) as queued and ring its task once committed; the
    database holds the job, so a lost doorbell is picked up by build_waiting_report_exports."""
    job.full_clean()
    job.save()
    enqueue(task, **{id_argument: job.pk})  # the task takes the job's id by its own argument name
    return job


def report_export_request(*, actor, year: int, fmt: str) -> ReportExport:
    """Queue a yearly report for `actor`; the file is made in the background (build_report_export)."""
    export = ReportExport(year=year, format=fmt, requested_by=actor)
    return file_job_request(export, task=build_report_export, id_argument="export_id")


def report_export_build(*, export: ReportExport) -> ReportExport:
    """Make the yearly report's file (a queued job: see file_job_build)."""

    def contents():
        title = gettext("Smart city report %(year)s · %(city)s") % {
            "year": export.year,
            "city": settings.PORTAL_CITY_NAME,
        }
        return reports.year_report_sections(year=export.year), title

    return file_job_build(export, filename=f"report-{export.year}-{export.pk}.{export.format}", contents=contents)


def file_job_build(job, *, filename: str, contents):
    """Make the file of a queued job (a yearly report, an evaluation pack) from `contents()` -> (sections, title),
    in the portal's language, saving its progress as it goes; a failure is recorded, never lost."""
    if job.status == ExportStatus.DONE:
        return job  # a retried or repeated job does the work once
    job.status, job.progress = ExportStatus.RUNNING, 0
    job.save(update_fields=["status", "progress", "updated_at"])

    def progress(percent: int) -> None:
        job.progress = percent
        job.save(update_fields=["progress", "updated_at"])

    try:
        with translation.override(settings.LANGUAGE_CODE):
            sections, title = contents()
            content = (
                reports.sections_to_xlsx(sections, progress)
                if job.format == ExportFormat.XLSX
                else reports.sections_to_pdf(sections, title, progress)
            )
    except SoftTimeLimitExceeded:  # the task's time is up: a clear word for staff, then the task ends
        job.status, job.error = ExportStatus.FAILED, gettext("Making the file took too long and was stopped.")
        job.save(update_fields=["status", "error", "updated_at"])
        raise
    except Exception as error:  # recorded for staff to see; the worker's log has the trace
        job.status, job.error = ExportStatus.FAILED, str(error)[:500]
        job.save(update_fields=["status", "error", "updated_at"])
        raise
    job.file.save(filename, ContentFile(content), save=False)
    job.status, job.progress = ExportStatus.DONE, 100
    job.save(update_fields=["file", "status", "progress", "updated_at"])
    return job


# --- The evaluation pack --------------------------------------------------------------------------------------------
def evaluation_pack_request(*, actor, evaluation: Evaluation, fmt: str) -> EvaluationPack:
    """Queue the evidence pack of one evaluation stage for `actor`; the file is made in the background."""
    if actor is not None and not actor.has_perm("evaluations.add_evaluationpack"):
        raise PermissionDenied(_("You do not have permission to take this step."))
    pack = EvaluationPack(evaluation=evaluation, format=fmt, requested_by=actor)
    return file_job_request(pack, task=build_evaluation_pack, id_argument="pack_id")


def evaluation_pack_build(*, pack: EvaluationPack) -> EvaluationPack:
    """Make the evaluation pack's file (a queued job: see file_job_build)."""

    def contents():
        evaluation = Evaluation.objects.with_related().get(pk=pack.evaluation_id)
        title = gettext("Evaluation pack · %(evaluation)s · %(city)s") % {
            "evaluation": evaluation,
            "city": settings.PORTAL_CITY_NAME,
        }
        return pack_sections(evaluation=evaluation), title

    filename = pack_filename(evaluation=pack.evaluation, fmt=pack.format)
    return file_job_build(pack, filename=filename, contents=contents)

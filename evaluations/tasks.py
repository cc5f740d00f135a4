"""Scheduled jobs of the evaluations app (schedules in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

# Building a file may take longer than the default task limit (CELERY_TASK_SOFT_TIME_LIMIT): these jobs name theirs.
FILE_JOB_SOFT, FILE_JOB_HARD = settings.CELERY_FILE_JOB_TIME_LIMITS


@shared_task(acks_late=True, soft_time_limit=FILE_JOB_SOFT, time_limit=FILE_JOB_HARD)
def build_report_export(*, export_id: int) -> str:
    """Make one requested yearly report file."""
    from evaluations.models import ReportExport
    from evaluations.services import report_export_build

    return report_export_build(export=ReportExport.objects.get(pk=export_id)).status


@shared_task(acks_late=True, soft_time_limit=FILE_JOB_SOFT, time_limit=FILE_JOB_HARD)
def build_evaluation_pack(*, pack_id: int) -> str:
    """Make one requested evaluation pack file."""
    from evaluations.models import EvaluationPack
    from evaluations.services import evaluation_pack_build

    return evaluation_pack_build(pack=EvaluationPack.objects.get(pk=pack_id)).status


@shared_task(soft_time_limit=FILE_JOB_SOFT, time_limit=FILE_JOB_HARD)
def build_waiting_report_exports(*, older_than_seconds: int = 60) -> int:
    """Every minute: build reports still queued a minute after they were asked for (their doorbell was lost,
    e.g. the broker was away when staff pressed the button). The database, not the broker, holds the job."""
    from datetime import timedelta

    from evaluations.choices import ExportStatus
    from evaluations.models import ReportExport
    from evaluations.services import report_export_build

    waiting = ReportExport.objects.filter(
        status=ExportStatus.QUEUED, created_at__lt=timezone.now() - timedelta(seconds=older_than_seconds)
    )
    for export in waiting:
        report_export_build(export=export)
    from evaluations.models import EvaluationPack
    from evaluations.services import evaluation_pack_build

    packs = EvaluationPack.objects.filter(
        status=ExportStatus.QUEUED, created_at__lt=timezone.now() - timedelta(seconds=older_than_seconds)
    )
    for pack in packs:
        evaluation_pack_build(pack=pack)
    return len(waiting) + len(packs)


@shared_task
def announce_lifted_evaluation_embargoes() -> int:
    """Every five minutes: evaluations whose publish-from moment has just passed go out to the partners' webhooks."""
    from evaluations.services import evaluation_embargoes_announce

    return evaluation_embargoes_announce()

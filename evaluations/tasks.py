"""Scheduled jobs of the evaluations app (schedules in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True)
def build_report_export(*, export_id: int) -> str:
    """Make one requested yearly report file."""
    from evaluations.models import ReportExport
    from evaluations.services import report_export_build

    return report_export_build(export=ReportExport.objects.get(pk=export_id)).status


@shared_task(acks_late=True)
def build_evaluation_pack(*, pack_id: int) -> str:
    """Make one requested evaluation pack file."""
    from evaluations.models import EvaluationPack
    from evaluations.services import evaluation_pack_build

    return evaluation_pack_build(pack=EvaluationPack.objects.get(pk=pack_id)).status


@shared_task
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


@shared_task(acks_late=True, soft_time_limit=1800)
def harvest_followed_portals() -> int:
    """Hourly on a provincial hub: read every followed portal's public API into a snapshot (see federation.py)."""
    from evaluations.federation_services import portals_harvest

    return len(portals_harvest())


@shared_task
def announce_lifted_evaluation_embargoes() -> int:
    """Every five minutes: evaluations whose publish-from moment has just passed go out to the partners' webhooks."""
    from evaluations.services import evaluation_embargoes_announce

    return evaluation_embargoes_announce()

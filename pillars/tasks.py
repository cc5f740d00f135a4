"""Scheduled jobs of the pillars app (schedules in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.utils import timezone


@shared_task
def flag_stale_indicators() -> int:
    """Weekly: flag indicators not measured as often as their frequency says, unflag those caught up."""
    from pillars.services import indicators_flag_stale  # lazy: tasks are imported at Celery start-up

    return indicators_flag_stale(today=timezone.localdate())


@shared_task
def prune_portfolio_changes() -> int:
    """Every 5 minutes: fold the dashboard's change marks into the stored figures, so a read counts few marks."""
    from pillars.figures import prune_figures

    return prune_figures()

"""Scheduled jobs of the provincial view (schedule in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


# The task keeps the name it had in the evaluations app (issue 24), so the beat schedule and queued runs still find it.
@shared_task(
    name="evaluations.tasks.harvest_followed_portals", acks_late=True, soft_time_limit=1800, time_limit=1860
)  # each portal has its own deadline too
def harvest_followed_portals() -> int:
    """Hourly on a provincial hub: read every followed portal's public API into a snapshot (see harvest.py)."""
    from federation.services import portals_harvest

    return len(portals_harvest())

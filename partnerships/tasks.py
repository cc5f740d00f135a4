"""Scheduled jobs of the partnerships app (schedules in settings.CELERY_BEAT_SCHEDULE)."""

from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=True, retry_kwargs={"max_retries": 5})
def send_mou_expiry_reminders() -> int:
    """Daily: the 90-, 30- and 7-day reminders of MoUs nearing their end, each sent once."""
    from partnerships.services import mou_expiry_reminders_send  # lazy: imported at Celery start-up

    return mou_expiry_reminders_send(today=timezone.localdate())

"""Scheduled jobs of the partnerships app (schedules in settings.CELERY_BEAT_SCHEDULE)."""

from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=True, retry_kwargs={"max_retries": 5})
def send_mou_expiry_reminders() -> int:
    """Daily: the 90-, 30- and 7-day reminders of MoUs nearing their end, each sent once."""
    from partnerships.services import mou_expiry_reminders_send  # lazy: imported at Celery start-up

    return mou_expiry_reminders_send(today=timezone.localdate())


@shared_task(bind=True, max_retries=None)
def deliver_webhook(self, *, delivery_id: int) -> None:
    """One attempt at a webhook delivery; a failed one comes back after its backoff (Celery's retry). The number of
    attempts is kept on the delivery, which is what ends the retries."""
    from partnerships.webhooks import webhook_delivery_attempt

    delay = webhook_delivery_attempt(delivery_id=delivery_id)
    if delay is not None and not self.request.is_eager:  # in-process runs (no broker) leave it to the sweep
        raise self.retry(countdown=delay)


@shared_task
def send_due_webhooks() -> int:
    """Every minute: queue the deliveries whose time came more than a minute ago (a lost queue message, a worker
    stopped mid-way). Each attempt claims its delivery first, so one queued twice is sent once."""
    from partnerships.webhooks import due_deliveries

    ids = due_deliveries(grace_seconds=60)
    for delivery_id in ids:
        deliver_webhook.apply_async(kwargs={"delivery_id": delivery_id}, ignore_result=True)
    return len(ids)

"""Scheduled jobs of the pillars app (schedules in settings.CELERY_BEAT_SCHEDULE)."""

from smtplib import SMTPException

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


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=True, retry_kwargs={"max_retries": 5})
def send_workspace_digests() -> int:
    """Daily: each person with overdue work gets their workspace by e-mail, once a day."""
    from pillars.workspace import workspace_digests_send

    return workspace_digests_send(today=timezone.localdate())


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=True, retry_kwargs={"max_retries": 5})
def send_workspace_reminders() -> int:
    """Daily: each person hears of their work due REMINDER_LEAD_DAYS from today, each item at each lead day once."""
    from pillars.workspace import workspace_reminders_send

    return workspace_reminders_send(today=timezone.localdate())


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=True, retry_kwargs={"max_retries": 5})
def notify_indicator_back_to_walidata(*, indicator_id: int, actor_id: int, fields: list[str]) -> int:
    """After a person changed an approved indicator's metadata: tell the walidata and that person."""
    from django.contrib.auth import get_user_model

    from pillars.models import Indicator
    from pillars.services import indicator_back_to_walidata_notify

    indicator = Indicator.objects.select_related("owner_agency").get(pk=indicator_id)
    actor = get_user_model().objects.get(pk=actor_id)
    return indicator_back_to_walidata_notify(indicator=indicator, actor=actor, fields=fields)

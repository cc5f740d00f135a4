"""Email to staff and partners: plain text, in Indonesian, through Django's mail backends."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .roles import DISKOMINFO_EDITOR


def diskominfo_staff_emails() -> list[str]:
    """The active members of the Diskominfo editor group who have an email address."""
    users = get_user_model().objects.filter(groups__name=DISKOMINFO_EDITOR, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def notify(*, recipients: list[str], subject_template: str, body_template: str, context: dict) -> int:
    """Render `subject_template` and `body_template` in Indonesian and send them; returns messages sent."""
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(subject_template, context).split())
        body = render_to_string(body_template, context)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)

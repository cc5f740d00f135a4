"""Email to staff and partners: plain text, in Indonesian, through Django's mail backends."""

import logging
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .roles import DISKOMINFO_EDITOR, role_label

logger = logging.getLogger(__name__)


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


def set_password_path(user) -> str:
    """The path of the page where `user` chooses a password: Django's password reset confirmation, whose token
    (PasswordResetTokenGenerator) stops working once the password is set, or after PASSWORD_RESET_TIMEOUT."""
    kwargs = {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)}
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("password_reset_confirm", kwargs=kwargs)


def local_passwords_for(user) -> bool:
    """Whether `user` signs in with a password here (smartcity/auth.py), not only through the city's provider."""
    return not settings.OIDC_ENABLED or settings.OIDC_LOCAL_LOGIN == "all" or user.is_superuser


def staff_invitation_send(*, user, role: str, agency_name: str, base_url: str) -> int:
    """Tell a new staff member their user name and role, with the link to choose a password (or, where staff sign
    in through the city's identity provider, to sign in there). A mail server that is away is logged, not raised:
    the account stands (the mail goes out after the commit) and "Re-send the invitation" sends it again."""
    context = {
        "user": user,
        "role": role_label(role),
        "agency": agency_name,
        "login_url": base_url.rstrip("/") + reverse("admin:login"),
        "set_password_url": base_url.rstrip("/") + set_password_path(user) if local_passwords_for(user) else "",
    }
    try:
        return notify(
            recipients=[user.email],
            subject_template="smartcity/email/staff_invitation_subject.txt",
            body_template="smartcity/email/staff_invitation_body.txt",
            context=context,
        )
    except (SMTPException, OSError):
        logger.exception("the invitation to %s could not be sent", user.get_username())
        return 0

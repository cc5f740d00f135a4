from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffIdentity(models.Model):
    """The subject the city's identity provider signs one portal account in as. Only accounts the OpenID Connect
    sign-in made have one, and only through it are they found again: never by their username, so a local account
    that happens to be called `oidc-<sub>` is never taken over by that subject (pillars/oidc.py)."""

    user = models.OneToOneField(
        to=settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_identity",
        verbose_name=_("account"),
    )
    subject = models.CharField(
        verbose_name=_("subject"),
        max_length=255,
        unique=True,
        help_text=_("The provider's `sub` claim: who the provider says this person is, for good."),
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["subject"]
        verbose_name = _("identity-provider account")
        verbose_name_plural = _("identity-provider accounts")

    def __str__(self):
        return self.subject

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkspaceNotice(models.Model):
    """A record that one e-mail of the staff workspace (a day's digest, a reminder of one item at one lead day) went
    to one person, so a job that runs twice sends it once."""

    user = models.ForeignKey(
        to=settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workspace_notices", verbose_name=_("user")
    )
    topic = models.CharField(
        verbose_name=_("topic"),
        max_length=200,
        help_text=_("What was sent, e.g. digest:2026-03-01 or reminder:evaluations.followupaction:12:2026-03-08:7."),
    )
    sent_at = models.DateTimeField(verbose_name=_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "pk"]
        verbose_name = _("workspace notice")
        verbose_name_plural = _("workspace notices")
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="%(app_label)s_%(class)s_once")]

    def __str__(self):
        return self.topic

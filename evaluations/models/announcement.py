from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PublicationAnnouncement(models.Model):
    """That the partners' webhooks were told an evaluation became public (`evaluation.published`): once per evaluation,
    whichever door or periodic job found it public first."""

    evaluation = models.OneToOneField(
        to="evaluations.Evaluation",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="announcement",
        verbose_name=_("evaluation"),
    )
    announced_at = models.DateTimeField(verbose_name=_("announced at"), default=timezone.now)

    class Meta:
        ordering = ["-announced_at"]
        verbose_name = _("publication announcement")
        verbose_name_plural = _("publication announcements")

    def __str__(self):
        return f"{self.evaluation_id} {self.announced_at:%Y-%m-%d %H:%M}"

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluations.choices import AttachmentKind
from evaluations.querysets import FieldVisitAttachmentQuerySet, FieldVisitQuerySet
from smartcity.models import PublishableModel, TimeStampedModel, Translated
from smartcity.uploads import FileContentValidator, RandomName


class FieldVisit(PublishableModel, TimeStampedModel):
    """A site or agency the assessors visited during an evaluation, e.g. Pantai Air Manis for smart branding."""

    evaluation = models.ForeignKey(
        to="evaluations.Evaluation",
        on_delete=models.PROTECT,
        related_name="field_visits",
        verbose_name=_("evaluation"),
    )
    visited_on = models.DateField(verbose_name=_("date"))
    site = models.CharField(verbose_name=_("site"), max_length=200, help_text=_("The place or agency visited."))
    agency = models.ForeignKey(
        to="pillars.Agency",
        on_delete=models.PROTECT,
        related_name="field_visits",
        null=True,
        blank=True,
        verbose_name=_("agency"),
    )
    pillar = models.ForeignKey(
        to="pillars.Pillar",
        on_delete=models.PROTECT,
        related_name="field_visits",
        null=True,
        blank=True,
        verbose_name=_("pillar"),
    )
    notes_ind = models.TextField(verbose_name=_("notes (Indonesian)"), blank=True)
    notes_en = models.TextField(verbose_name=_("notes (English)"), blank=True)

    notes = Translated("notes")

    search_fields = ("site", "notes_ind", "notes_en")  # the API's `q` and the admin's search box
    objects = FieldVisitQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["evaluation", "visited_on", "pk"]
        verbose_name = _("field visit")
        verbose_name_plural = _("field visits")

    def __str__(self):
        return f"{self.site} ({self.visited_on})"


class FieldVisitAttachment(TimeStampedModel):
    """A photo or document from a field visit."""

    visit = models.ForeignKey(
        to="evaluations.FieldVisit", on_delete=models.CASCADE, related_name="attachments", verbose_name=_("field visit")
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=10, choices=AttachmentKind, default=AttachmentKind.PHOTO)
    file = models.FileField(
        verbose_name=_("file"), upload_to=RandomName("field-visits"), validators=[FileContentValidator()]
    )
    caption_ind = models.CharField(verbose_name=_("caption (Indonesian)"), max_length=200, blank=True)
    caption_en = models.CharField(verbose_name=_("caption (English)"), max_length=200, blank=True)

    caption = Translated("caption")

    objects = FieldVisitAttachmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["visit", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.caption or self.file.name

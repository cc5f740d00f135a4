from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluations import querysets as qs
from smartcity.fields import YearField
from smartcity.models import PublishableModel, TimeStampedModel, Translated
from smartcity.uploads import FileContentValidator, RandomName

from .fields import MAX_DECIMALS, score_field


class ExternalIndex(PublishableModel, TimeStampedModel):
    """An index someone else computes for the city every year, e.g. Kompas's IKCI (0–100) or the SPBE index."""

    slug = models.SlugField(verbose_name=_("slug"), max_length=80, unique=True)
    name_id = models.CharField(verbose_name=_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(verbose_name=_("name (English)"), max_length=200, blank=True)
    publisher = models.CharField(verbose_name=_("publisher"), max_length=160)
    scale_min = score_field(_("scale minimum"), default=0)
    scale_max = score_field(_("scale maximum"))
    decimals = models.PositiveSmallIntegerField(
        verbose_name=_("decimal places"), default=2, validators=[MaxValueValidator(MAX_DECIMALS)]
    )
    url = models.URLField(verbose_name=_("web address"), blank=True)
    description_id = models.TextField(verbose_name=_("description (Indonesian)"), blank=True)
    description_en = models.TextField(verbose_name=_("description (English)"), blank=True)

    name = Translated("name")
    description = Translated("description")
    search_fields = ("slug", "name_id", "name_en", "publisher")

    objects = qs.ExternalIndexQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_id"]
        verbose_name = _("external index")
        verbose_name_plural = _("external indices")
        constraints = [
            models.CheckConstraint(condition=Q(scale_min__lt=F("scale_max")), name="%(app_label)s_%(class)s_scale"),
        ]

    def __str__(self):
        return self.name


class ExternalIndexValue(TimeStampedModel):
    """The city's value of an external index in one year, with its band, rank and the source document."""

    index = models.ForeignKey(
        to="evaluations.ExternalIndex", on_delete=models.CASCADE, related_name="values", verbose_name=_("index")
    )
    year = YearField(verbose_name=_("year"))
    value = score_field(_("value"))
    band_id = models.CharField(verbose_name=_("band (Indonesian)"), max_length=80, blank=True)
    band_en = models.CharField(verbose_name=_("band (English)"), max_length=80, blank=True)
    rank = models.PositiveIntegerField(verbose_name=_("rank"), null=True, blank=True)
    ranked_among = models.PositiveIntegerField(
        verbose_name=_("ranked among"), null=True, blank=True, help_text=_("How many cities were ranked.")
    )
    source_document = models.FileField(
        verbose_name=_("source document"),
        upload_to=RandomName("index-sources"),
        blank=True,
        validators=[FileContentValidator()],
    )
    source_url = models.URLField(verbose_name=_("source address"), blank=True)

    band = Translated("band")

    objects = qs.ExternalIndexValueQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["index", "year"]
        verbose_name = _("external index value")
        verbose_name_plural = _("external index values")
        constraints = [
            models.UniqueConstraint(fields=["index", "year"], name="%(app_label)s_%(class)s_one_per_year"),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(ranked_among__isnull=True) | Q(rank__lte=F("ranked_among")),
                name="%(app_label)s_%(class)s_rank",
            ),
        ]

    def __str__(self):
        return f"{self.index_id} {self.year}: {self.value}"

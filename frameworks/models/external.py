from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluations.models.fields import MAX_DECIMALS, score_field
from frameworks import querysets as qs
from frameworks.choices import IndexKind, IndexScope
from smartcity.fields import YearField
from smartcity.models import PublishableModel, SourcedModel, TimeStampedModel, Translated
from smartcity.uploads import FileContentValidator, RandomName


class ExternalIndex(SourcedModel, PublishableModel, TimeStampedModel):
    """An index or rating someone else publishes in editions, e.g. Kompas's IKCI (0–100, 2015 and 2018), ITB's RKCI
    (five levels) or a national index such as the UN's EGDI, whose value is the country's, never the city's."""

    slug = models.SlugField(verbose_name=_("slug"), max_length=80, unique=True)
    name_ind = models.CharField(verbose_name=_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(verbose_name=_("name (English)"), max_length=200, blank=True)
    publisher = models.CharField(verbose_name=_("publisher"), max_length=160)
    scope = models.CharField(
        verbose_name=_("scope"),
        max_length=12,
        choices=IndexScope,
        default=IndexScope.CITY,
        help_text=_("A national index (EGDI, GTMI) rates the country: the portal shows it as context only."),
    )
    kind = models.CharField(
        verbose_name=_("kind"),
        max_length=12,
        choices=IndexKind,
        default=IndexKind.SCORE,
        help_text=_("A rating on levels (RKCI) records a level per edition instead of a score."),
    )
    scale_min = score_field(_("scale minimum"), default=0, help_text=_("For a level rating: the lowest level."))
    scale_max = score_field(_("scale maximum"), help_text=_("For a level rating: the highest level."))
    decimals = models.PositiveSmallIntegerField(
        verbose_name=_("decimal places"), default=2, validators=[MaxValueValidator(MAX_DECIMALS)]
    )
    publishes_bands = models.BooleanField(
        verbose_name=_("publishes bands"),
        default=False,
        help_text=_("Tick only if the publisher names a band (predicate) with each value; IKCI has none."),
    )
    url = models.URLField(verbose_name=_("web address"), blank=True)
    description_ind = models.TextField(verbose_name=_("description (Indonesian)"), blank=True)
    description_en = models.TextField(verbose_name=_("description (English)"), blank=True)

    name = Translated("name")
    description = Translated("description")
    search_fields = ("slug", "name_ind", "name_en", "publisher")

    objects = qs.ExternalIndexQuerySet.as_manager()
    history = HistoricalRecords(table_name="evaluations_historicalexternalindex")

    class Meta:
        db_table = "evaluations_externalindex"
        ordering = ["name_ind"]
        verbose_name = _("external index")
        verbose_name_plural = _("external indices")
        constraints = [
            models.CheckConstraint(condition=Q(scale_min__lt=F("scale_max")), name="%(app_label)s_%(class)s_scale"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_national(self) -> bool:
        return self.scope == IndexScope.NATIONAL

    @property
    def is_level_rating(self) -> bool:
        return self.kind == IndexKind.LEVEL


class ExternalIndexValue(SourcedModel, TimeStampedModel):
    """One edition of an external index (its year): the score, or the level of a level rating, the rank and the peer
    group the city was ranked in (e.g. "kota besar, 500 ribu–1 juta jiwa"), and where the figure comes from."""

    index = models.ForeignKey(
        to="frameworks.ExternalIndex", on_delete=models.CASCADE, related_name="editions", verbose_name=_("index")
    )
    year = YearField(verbose_name=_("year"), help_text=_("The edition's year."))
    value = score_field(_("score"), null=True, blank=True, help_text=_("Empty for a level rating."))
    level = models.PositiveSmallIntegerField(
        verbose_name=_("level"), null=True, blank=True, help_text=_("Only for a level rating, e.g. RKCI.")
    )
    band_ind = models.CharField(verbose_name=_("band (Indonesian)"), max_length=80, blank=True)
    band_en = models.CharField(verbose_name=_("band (English)"), max_length=80, blank=True)
    rank = models.PositiveIntegerField(verbose_name=_("rank"), null=True, blank=True)
    ranked_among = models.PositiveIntegerField(
        verbose_name=_("ranked among"), null=True, blank=True, help_text=_("How many were ranked in the peer group.")
    )
    peer_group_ind = models.CharField(
        verbose_name=_("peer group (Indonesian)"),
        max_length=200,
        blank=True,
        help_text=_("The group the rank is within, e.g. “kota besar, 500 ribu–1 juta jiwa”."),
    )
    peer_group_en = models.CharField(verbose_name=_("peer group (English)"), max_length=200, blank=True)
    source_document = models.FileField(
        verbose_name=_("source document"),
        upload_to=RandomName("index-sources"),
        blank=True,
        validators=[FileContentValidator()],
    )
    source_url = models.URLField(verbose_name=_("source address"), blank=True)

    band = Translated("band")
    peer_group = Translated("peer_group")

    objects = qs.ExternalIndexValueQuerySet.as_manager()
    history = HistoricalRecords(table_name="evaluations_historicalexternalindexvalue")

    class Meta:
        db_table = "evaluations_externalindexvalue"
        ordering = ["index", "year"]
        verbose_name = _("external index edition")
        verbose_name_plural = _("external index editions")
        constraints = [
            models.UniqueConstraint(fields=["index", "year"], name="%(app_label)s_%(class)s_one_per_year"),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(ranked_among__isnull=True) | Q(rank__lte=F("ranked_among")),
                name="%(app_label)s_%(class)s_rank",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(level__isnull=True), name="%(app_label)s_%(class)s_score_or_level"
            ),
        ]

    def __str__(self):
        return f"{self.index_id} {self.year}: {self.value if self.level is None else self.level}"

    def clean(self):
        super().clean()
        if self.value is not None and self.level is not None:
            raise ValidationError({"level": _("Give a score or a level, not both.")}, code="score_and_level")

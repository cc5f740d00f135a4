from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pillars.querysets import AgencyQuerySet, PillarQuerySet, SubDimensionQuerySet
from smartcity.models import TimeStampedModel, Translated

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB."), code="invalid_colour")


class Pillar(TimeStampedModel):
    """One of the six pillars (dimensi) of the national smart-city framework, e.g. Smart Governance."""

    slug = models.SlugField(verbose_name=_("slug"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(verbose_name=_("order"), unique=True)
    name_ind = models.CharField(verbose_name=_("name (Indonesian)"), max_length=80)
    name_en = models.CharField(verbose_name=_("name (English)"), max_length=80)
    description_ind = models.TextField(verbose_name=_("description (Indonesian)"), blank=True)
    description_en = models.TextField(verbose_name=_("description (English)"), blank=True)
    colour = models.CharField(
        verbose_name=_("colour"), max_length=7, validators=[hex_colour], help_text=_("As #RRGGBB, used on charts.")
    )

    name = Translated("name")
    description = Translated("description")

    # the API's `q` and the admin's search box
    search_fields = (
        "name_ind",
        "name_en",
        "sub_dimensions__name_ind",
        "sub_dimensions__name_en",
    )
    objects = PillarQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order"]
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")

    def __str__(self):
        return self.name


class SubDimension(TimeStampedModel):
    """One of the three sub-dimensions of a pillar, e.g. public services under Smart Governance."""

    pillar = models.ForeignKey(
        to="pillars.Pillar", on_delete=models.PROTECT, related_name="sub_dimensions", verbose_name=_("pillar")
    )
    slug = models.SlugField(verbose_name=_("slug"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(verbose_name=_("order"))
    name_ind = models.CharField(verbose_name=_("name (Indonesian)"), max_length=80)
    name_en = models.CharField(verbose_name=_("name (English)"), max_length=80)

    name = Translated("name")

    search_fields = ("name_ind", "name_en", "slug")  # the API's `q` and the admin's search box
    objects = SubDimensionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["pillar__order", "order"]
        verbose_name = _("sub-dimension")
        verbose_name_plural = _("sub-dimensions")
        constraints = [
            models.UniqueConstraint(fields=["pillar", "order"], name="%(app_label)s_%(class)s_unique_order"),
        ]

    def __str__(self):
        return self.name


class Agency(TimeStampedModel):
    """One of the city's agencies (OPD), e.g. Dinas Komunikasi dan Informatika."""

    name = models.CharField(verbose_name=_("name"), max_length=160, unique=True)
    acronym = models.CharField(verbose_name=_("acronym"), max_length=30, help_text=_("For example Diskominfo."))
    slug = models.SlugField(verbose_name=_("slug"), max_length=60, unique=True)
    members = models.ManyToManyField(
        to=settings.AUTH_USER_MODEL,
        related_name="agencies",
        blank=True,
        verbose_name=_("members"),
        help_text=_("Staff of this agency: an OPD editor edits only the records of the agencies they belong to."),
    )

    search_fields = ("name", "acronym", "slug")  # the API's `q` and the admin's search box
    objects = AgencyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        permissions = [("manage_all_agencies", _("Can edit the records of every agency"))]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

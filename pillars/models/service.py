from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pillars.choices import Audience, Platform, ServiceOrigin, ServiceStatus
from pillars.querysets import DigitalServiceQuerySet
from smartcity.fields import YearField
from smartcity.models import PublishableModel, TimeStampedModel, Translated


class DigitalService(PublishableModel, TimeStampedModel):
    """A digital service (aplikasi) the city runs for citizens or for its own staff."""

    slug = models.SlugField(verbose_name=_("slug"), max_length=120, unique=True)
    name = models.CharField(verbose_name=_("name"), max_length=160)
    description_ind = models.TextField(verbose_name=_("description (Indonesian)"), blank=True)
    description_en = models.TextField(verbose_name=_("description (English)"), blank=True)
    pillar = models.ForeignKey(
        to="pillars.Pillar", on_delete=models.PROTECT, related_name="services", verbose_name=_("pillar")
    )
    owner_agency = models.ForeignKey(
        to="pillars.Agency", on_delete=models.PROTECT, related_name="services", verbose_name=_("owner agency")
    )
    audience = models.CharField(verbose_name=_("audience"), max_length=10, choices=Audience, default=Audience.PUBLIC)
    status = models.CharField(
        verbose_name=_("status"), max_length=12, choices=ServiceStatus, default=ServiceStatus.DEVELOPMENT
    )
    launched_year = YearField(verbose_name=_("year launched"), null=True, blank=True)
    url = models.URLField(verbose_name=_("address"), blank=True)
    platform = models.CharField(verbose_name=_("platform"), max_length=12, choices=Platform, default=Platform.WEB)
    origin = models.CharField(
        verbose_name=_("origin"), max_length=10, choices=ServiceOrigin, default=ServiceOrigin.IN_HOUSE
    )
    origin_city = models.CharField(
        verbose_name=_("shared by (city)"),
        max_length=120,
        blank=True,
        help_text=_("The city that shared the application, e.g. Kabupaten Banyuwangi."),
    )

    description = Translated("description")

    # the API's `q` and the admin's search box
    search_fields = (
        "name",
        "slug",
        "description_ind",
        "description_en",
        "origin_city",
    )
    objects = DigitalServiceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("digital service")
        verbose_name_plural = _("digital services")

    def __str__(self):
        return self.name

    def clean(self):
        if self.origin == ServiceOrigin.SHARED and not self.origin_city:
            raise ValidationError({"origin_city": _("Name the city that shared the application.")})
        if self.origin != ServiceOrigin.SHARED and self.origin_city:
            raise ValidationError({"origin_city": _("Only a shared application names the city it came from.")})
        if self.status == ServiceStatus.LIVE and not self.launched_year:
            raise ValidationError({"launched_year": _("Give the year a live service was launched.")})

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.choices import PartnerKind
from partnerships.querysets import PartnerContactQuerySet, PartnerQuerySet, ScopeAreaQuerySet
from smartcity.models import PublishableModel, TimeStampedModel, Translated


class Partner(PublishableModel, TimeStampedModel):
    """An organisation the city works with under an MoU, e.g. PT Telkom Indonesia or the ministry."""

    name = models.CharField(verbose_name=_("name"), max_length=200, unique=True)
    short_name = models.CharField(
        verbose_name=_("short name"), max_length=60, blank=True, help_text=_("For example Telkom or Kemenkominfo.")
    )
    slug = models.SlugField(verbose_name=_("slug"), max_length=80, unique=True)
    kind = models.CharField(verbose_name=_("kind"), max_length=20, choices=PartnerKind)
    website = models.URLField(verbose_name=_("website"), blank=True)
    description_ind = models.TextField(verbose_name=_("description (Indonesian)"), blank=True)
    description_en = models.TextField(verbose_name=_("description (English)"), blank=True)

    description = Translated("description")

    search_fields = ("name", "short_name", "slug")  # the API's `q` and the admin's search box
    objects = PartnerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name


class PartnerContact(TimeStampedModel):
    """A contact person at a partner; only staff see them, never the public pages or partner keys."""

    partner = models.ForeignKey(
        to="partnerships.Partner", on_delete=models.CASCADE, related_name="contacts", verbose_name=_("partner")
    )
    name = models.CharField(verbose_name=_("name"), max_length=120)
    role = models.CharField(verbose_name=_("role"), max_length=120, blank=True)
    email = models.EmailField(verbose_name=_("email"), blank=True)
    phone = models.CharField(verbose_name=_("phone"), max_length=40, blank=True)

    objects = PartnerContactQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["partner", "name"]
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")

    def __str__(self):
        return self.name


class ScopeArea(TimeStampedModel):
    """A field an MoU covers, e.g. CCTV integration or public Wi-Fi: reference data in both languages."""

    slug = models.SlugField(verbose_name=_("slug"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(verbose_name=_("order"), unique=True)
    name_ind = models.CharField(verbose_name=_("name (Indonesian)"), max_length=120)
    name_en = models.CharField(verbose_name=_("name (English)"), max_length=120)

    name = Translated("name")

    search_fields = ("name_ind", "name_en", "slug")  # the API's `q` and the admin's search box
    objects = ScopeAreaQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order"]
        verbose_name = _("scope area")
        verbose_name_plural = _("scope areas")

    def __str__(self):
        return self.name

"""Field builders shared by the portfolio models: coordinates inside Indonesia (years: smartcity.fields)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Indonesia's bounding box: a point outside it is a typo (often latitude and longitude swapped).
LATITUDE_RANGE = (Decimal("-11.5"), Decimal("6.5"))
LONGITUDE_RANGE = (Decimal("94.5"), Decimal("141.5"))


def latitude_field():
    low, high = LATITUDE_RANGE
    return models.DecimalField(
        verbose_name=_("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(low), MaxValueValidator(high)],
        help_text=_("Decimal degrees, e.g. -0.947100."),
    )


def longitude_field():
    low, high = LONGITUDE_RANGE
    return models.DecimalField(
        verbose_name=_("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(low), MaxValueValidator(high)],
        help_text=_("Decimal degrees, e.g. 100.417200."),
    )


def coordinates_constraint():
    """Latitude and longitude come together, inside Indonesia, or not at all."""
    (lat_low, lat_high), (lon_low, lon_high) = LATITUDE_RANGE, LONGITUDE_RANGE
    return models.CheckConstraint(
        condition=Q(latitude__isnull=True, longitude__isnull=True)
        | Q(latitude__gte=lat_low, latitude__lte=lat_high, longitude__gte=lon_low, longitude__lte=lon_high),
        name="%(app_label)s_%(class)s_coordinates",
    )

"""The pillars app's kinds in the site search (smartcity.search): programs, indicators and digital services."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from smartcity.search import SearchKind, list_url, register_kind

from .models import DigitalService, Indicator, Program

register_kind(
    SearchKind(
        key="programs",
        label=_("Programs"),
        queryset=lambda: Program.objects.public(),
        fields=("title_ind", "description_ind", "location"),
        fields_en=("title_en", "description_en"),
        summary="description",
        url=lambda row: reverse("pillars:program-detail", args=[row.slug]),
        list_url=list_url("pillars:program-list"),
        order=10,
    )
)
register_kind(
    SearchKind(
        key="indicators",
        label=_("Indicators"),
        queryset=lambda: Indicator.objects.public(),
        fields=("name_ind", "data_source"),
        fields_en=("name_en",),
        title="name",
        url=lambda row: reverse("pillars:indicator-detail", args=[row.slug]),
        list_url=list_url("pillars:indicator-list"),
        order=20,
    )
)
# A service has no page of its own: a hit leads to the catalogue searched for its name.
register_kind(
    SearchKind(
        key="services",
        label=_("Digital services"),
        queryset=lambda: DigitalService.objects.public(),
        fields=("name", "description_ind", "origin_city"),
        fields_en=("description_en",),
        title="name",
        summary="description",
        url=lambda row: list_url("pillars:service-list")(row.name),
        list_url=list_url("pillars:service-list"),
        order=30,
    )
)

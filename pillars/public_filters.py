"""The filter forms of the public list pages (programs, indicators, services, the map): a search and what a
citizen filters by, in the page's language. The API keeps its own FilterSets (pillars/filters.py)."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcity.public_filters import PublicFilterSet, checkboxes, labelled, year_filter

from . import selectors
from .achievement import LATE, NOT_MEASURED, ON_SCHEDULE, Standing
from .choices import AssetKind, AssetStatus, Audience, FundingSource, Horizon, IsoTheme, ServiceStatus, Stage
from .models import Agency, DigitalService, District, Indicator, InfrastructureAsset, Pillar, Program, Village

CITY_WIDE = "city-wide"


def pillar_select() -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name="pillar",
        to_field_name="slug",
        queryset=Pillar.objects.all(),
        label=_("Pillar"),
        empty_label=_("All pillars"),
        label_field="name",
    )


def agency_select(queryset, label=None, **kwargs) -> django_filters.ModelChoiceFilter:
    """One agency select, offering only the agencies that own something published on this page."""
    return django_filters.ModelChoiceFilter(
        to_field_name="slug", queryset=queryset, label=label or _("Agency"), empty_label=_("All agencies"), **kwargs
    )


def agencies_of(model, *fields: str):
    """The agencies owning published `model` rows through `fields`, looked up per request (embargoes lift)."""

    def queryset(request):
        published = model.objects.published()
        query = Q()
        for field in fields:
            query |= Q(pk__in=published.values(field))
        return Agency.objects.filter(query).order_by("name")

    return queryset


class ProgramPublicFilterSet(PublicFilterSet):
    search_fields = ("title_ind", "title_en", "description_ind", "description_en", "location")
    pillar = pillar_select()
    agency = agency_select(
        agencies_of(Program, "lead_agency", "supporting_agencies"),
        method="by_agency",
        label=_("Agency (lead or support)"),
    )
    stage = checkboxes(Stage.choices, _("Stage"))
    horizon = django_filters.ChoiceFilter(choices=Horizon.choices, label=_("Horizon"), empty_label=_("Any horizon"))
    year = year_filter(_("Running in year"), method="running_in")
    schedule = django_filters.ChoiceFilter(
        choices=[(ON_SCHEDULE, _("On schedule")), (LATE, _("Late"))],
        method="by_schedule",
        label=_("Schedule (programs under way)"),
        empty_label=_("Any schedule"),
    )
    district = django_filters.ModelChoiceFilter(
        field_name="districts",
        to_field_name="code",
        queryset=District.objects.all(),
        label=_("District"),
        empty_label=_("All districts"),
    )

    class Meta:
        model = Program
        fields = []

    def by_agency(self, queryset, name, agency):
        supported = Program.objects.filter(supporting_agencies=agency).values("pk")
        return queryset.filter(Q(lead_agency=agency) | Q(pk__in=supported))

    def by_schedule(self, queryset, name, value):
        """Programs under way that are late, or on schedule, today (pillars.achievement's rule)."""
        today = timezone.localdate()
        return queryset.late(today) if value == LATE else queryset.on_schedule(today)

    def running_in(self, queryset, name, value):
        return queryset.filter(first_year__lte=value, last_year__gte=value)


def pillar_choices():
    return [(CITY_WIDE, _("City-wide")), *((p.slug, labelled(p, "name")) for p in Pillar.objects.all())]


class IndicatorPublicFilterSet(PublicFilterSet):
    search_fields = ("name_ind", "name_en", "data_source")
    pillar = django_filters.ChoiceFilter(
        choices=pillar_choices, method="by_pillar", label=_("Pillar"), empty_label=_("All pillars")
    )
    agency = agency_select(agencies_of(Indicator, "owner_agency"), field_name="owner_agency")
    iso_theme = django_filters.ChoiceFilter(
        choices=IsoTheme.choices, label=_("ISO 37120 theme"), empty_label=_("All themes")
    )
    sdg_target = django_filters.CharFilter(method="by_sdg", label=_("SDG goal or target"))
    standing = django_filters.ChoiceFilter(
        choices=[*Standing.choices, (NOT_MEASURED, _("Not yet measured"))],
        method="by_standing",
        label=_("Standing"),
        empty_label=_("Any standing"),
    )

    class Meta:
        model = Indicator
        fields = []

    def by_standing(self, queryset, name, value):
        """The indicators of that standing (pillars.achievement's rule, read in one query however many)."""
        wanted = None if value == NOT_MEASURED else value
        standings = selectors.indicator_standings(queryset)
        return queryset.filter(pk__in=[pk for pk, standing in standings.items() if standing == wanted])

    def by_pillar(self, queryset, name, value):
        return queryset.filter(pillar__isnull=True) if value == CITY_WIDE else queryset.filter(pillar__slug=value)

    def by_sdg(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(sdg_target=value) | Q(sdg_target__startswith=f"{value}.")) if value else queryset


class DigitalServicePublicFilterSet(PublicFilterSet):
    search_fields = ("name", "description_ind", "description_en", "origin_city")
    pillar = pillar_select()
    agency = agency_select(agencies_of(DigitalService, "owner_agency"), field_name="owner_agency")
    audience = django_filters.ChoiceFilter(choices=Audience.choices, label=_("Audience"), empty_label=_("Any audience"))
    status = checkboxes(ServiceStatus.choices, _("Status"))
    year = year_filter(_("Year launched"), field_name="launched_year")

    class Meta:
        model = DigitalService
        fields = []


def kecamatan_choices():
    """The districts (kecamatan) of the published assets, by name, looked up per request (embargoes lift)."""
    names = District.objects.filter(assets__in=InfrastructureAsset.objects.published()).values_list("name", flat=True)
    return [(name, name) for name in names.distinct().order_by("name")]


def asset_programs(request):
    """The published programs that have a published asset on the map."""
    return Program.objects.published().filter(pk__in=InfrastructureAsset.objects.published().values("program"))


def asset_operators(request):
    """The published partners that operate a published asset on the map (reached through the asset's operator,
    so pillars imports nothing from partnerships)."""
    operators = InfrastructureAsset.objects.published().values("operator")
    return InfrastructureAsset._meta.get_field("operator").related_model.objects.published().filter(pk__in=operators)


class InfrastructureAssetPublicFilterSet(PublicFilterSet):
    """The map page's form. Its parameters are also the API's (InfrastructureAssetFilterSet): the map layer reads
    the GeoJSON endpoint with the page's query, so the list and the map always show the same assets."""

    search_fields = InfrastructureAsset.search_fields
    kind = checkboxes(AssetKind.choices, _("Kind"))
    status = django_filters.ChoiceFilter(choices=AssetStatus.choices, label=_("Status"), empty_label=_("Any status"))
    kecamatan = django_filters.ChoiceFilter(
        field_name="district__name",
        choices=kecamatan_choices,
        label=_("District (kecamatan)"),
        empty_label=_("All districts"),
    )
    operator = django_filters.ModelChoiceFilter(
        queryset=asset_operators, to_field_name="slug", label=_("Operator"), empty_label=_("All operators")
    )
    program = django_filters.ModelChoiceFilter(
        queryset=asset_programs,
        to_field_name="slug",
        label=_("Program"),
        empty_label=_("All programs"),
        label_field="title",
    )
    funding_source = django_filters.ChoiceFilter(
        choices=FundingSource.choices, label=_("Funding source"), empty_label=_("Any source")
    )
    year = year_filter(_("Year installed"), field_name="installed_on__year")
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.all(), to_field_name="code", label=_("District"), empty_label=_("All districts")
    )
    village = django_filters.ModelChoiceFilter(
        queryset=Village.objects.all(), to_field_name="code", label=_("Village"), empty_label=_("All villages")
    )

    class Meta:
        model = InfrastructureAsset
        fields = []

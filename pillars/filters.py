"""FilterSets of the pillars app, shared by the API and the public list pages."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from smartcity.filters import FilterSet, SlugFilter, SlugsFilter, YearFilter

from .choices import AssetKind, AssetStatus, Audience, FundingSource, Horizon, ServiceStatus, Stage
from .models import (
    Agency,
    BudgetLine,
    DigitalService,
    Feedback,
    Indicator,
    IndicatorTarget,
    InfrastructureAsset,
    Masterplan,
    Measurement,
    Milestone,
    Pillar,
    Program,
    SubDimension,
)


def search(*fields):
    """A `q` filter method matching `value` in any of `fields`, case-insensitively."""

    def method(self, queryset, name, value):
        if not value.strip():
            return queryset
        query = Q()
        for field in fields:
            query |= Q(**{f"{field}__icontains": value.strip()})
        return queryset.filter(query)

    return method


def pillar_filter(field="pillar__slug"):
    return SlugsFilter(field_name=field, queryset=Pillar.objects.all(), label=_("Pillar"))


def agency_filter(field):
    return SlugsFilter(field_name=field, queryset=Agency.objects.all(), label=_("Agency"))


class PillarFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = Pillar
        fields = ["id", "slug"]

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        matching = SubDimension.objects.filter(Q(name_id__icontains=value) | Q(name_en__icontains=value))
        return queryset.filter(
            Q(name_id__icontains=value) | Q(name_en__icontains=value) | Q(pk__in=matching.values("pillar"))
        )


class AgencyFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    search = search("name", "acronym")

    class Meta:
        model = Agency
        fields = ["id", "slug", "acronym"]


class MasterplanFilterSet(django_filters.FilterSet):
    year = YearFilter(method="covering", label=_("Year"))

    class Meta:
        model = Masterplan
        fields = ["id"]

    def covering(self, queryset, name, value):
        return queryset.filter(first_year__lte=value, last_year__gte=value)


class ProgramFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    pillar = pillar_filter()
    sub_dimension = SlugsFilter(
        field_name="sub_dimensions__slug", queryset=SubDimension.objects.all(), label=_("Sub-dimension")
    )
    agency = SlugFilter(queryset=Agency.objects.all(), method="by_agency", label=_("Agency (lead or support)"))
    lead_agency = agency_filter("lead_agency__slug")
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, label=_("Stage"))
    horizon = django_filters.MultipleChoiceFilter(choices=Horizon.choices, label=_("Horizon"))
    year = YearFilter(method="running_in", label=_("Running in year"))

    search = search("title_id", "title_en", "description_id", "description_en", "slug", "location")

    class Meta:
        model = Program
        fields = ["id", "slug", "publication"]

    def by_agency(self, queryset, name, agency):
        matching = Program.objects.filter(supporting_agencies=agency).values("pk")
        return queryset.filter(Q(lead_agency=agency) | Q(pk__in=matching))

    def running_in(self, queryset, name, value):
        return queryset.filter(first_year__lte=value, last_year__gte=value)


class MilestoneFilterSet(django_filters.FilterSet):
    program = django_filters.CharFilter(field_name="program__slug", label=_("Program (slug)"))
    done = django_filters.BooleanFilter(field_name="done_on", lookup_expr="isnull", exclude=True, label=_("Done"))
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lt", label=_("Due before"))
    year = YearFilter(field_name="due_on__year", label=_("Year due"))

    class Meta:
        model = Milestone
        fields = ["id"]


class BudgetLineFilterSet(django_filters.FilterSet):
    program = django_filters.CharFilter(field_name="program__slug", label=_("Program (slug)"))
    pillar = pillar_filter("program__pillar__slug")
    agency = agency_filter("program__lead_agency__slug")
    source = django_filters.MultipleChoiceFilter(choices=FundingSource.choices, label=_("Source"))

    class Meta:
        model = BudgetLine
        fields = ["id", "year"]


class IndicatorFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    pillar = pillar_filter()
    city_wide = django_filters.BooleanFilter(field_name="pillar", lookup_expr="isnull", label=_("City-wide"))
    agency = agency_filter("owner_agency__slug")
    search = search("name_id", "name_en", "slug", "data_source")

    class Meta:
        model = Indicator
        fields = ["id", "slug", "is_headline", "direction", "frequency", "publication"]


class IndicatorTargetFilterSet(django_filters.FilterSet):
    indicator = django_filters.CharFilter(field_name="indicator__slug", label=_("Indicator (slug)"))

    class Meta:
        model = IndicatorTarget
        fields = ["id", "year"]


class MeasurementFilterSet(django_filters.FilterSet):
    indicator = django_filters.CharFilter(field_name="indicator__slug", label=_("Indicator (slug)"))
    pillar = pillar_filter("indicator__pillar__slug")
    year = YearFilter(field_name="measured_on__year", label=_("Year"))
    measured_after = django_filters.DateFilter(field_name="measured_on", lookup_expr="gte", label=_("Measured from"))
    measured_before = django_filters.DateFilter(field_name="measured_on", lookup_expr="lte", label=_("Measured until"))

    class Meta:
        model = Measurement
        fields = ["id"]


class DigitalServiceFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    pillar = pillar_filter()
    agency = agency_filter("owner_agency__slug")
    audience = django_filters.MultipleChoiceFilter(choices=Audience.choices, label=_("Audience"))
    status = django_filters.MultipleChoiceFilter(choices=ServiceStatus.choices, label=_("Status"))
    year = YearFilter(field_name="launched_year", label=_("Year launched"))
    search = search("name", "description_id", "description_en", "origin_city")

    class Meta:
        model = DigitalService
        fields = ["id", "slug", "platform", "origin", "publication"]


class InfrastructureAssetFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.MultipleChoiceFilter(choices=AssetKind.choices, label=_("Kind"))
    status = django_filters.MultipleChoiceFilter(choices=AssetStatus.choices, label=_("Status"))
    funding_source = django_filters.MultipleChoiceFilter(choices=FundingSource.choices, label=_("Funding source"))
    program = django_filters.CharFilter(field_name="program__slug", label=_("Program (slug)"))
    year = YearFilter(field_name="installed_on__year", label=_("Year installed"))
    operator = django_filters.CharFilter(field_name="operator__slug", label=_("Operator (partner slug)"))
    search = search("name", "kelurahan", "kecamatan", "operator__name")

    class Meta:
        model = InfrastructureAsset
        fields = ["id", "kecamatan", "kelurahan", "publication"]


class FeedbackFilterSet(FilterSet):
    """`q` searches the message, the reply and the SP4N-LAPOR! ID; `program`/`service` (slugs) and their `_id`s come
    from the base class."""

    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte", label=_("Sent from"))

    class Meta:
        model = Feedback
        fields = ["id", "status"]
        unfiltered = {
            "message": "searched by q",
            "reply": "searched by q",
            "lapor_reference": "searched by q",
            "name": "personal data: never a filter",
            "contact": "personal data: never a filter",
            "moderated_at": "the list is ordered by it",
            "moderated_by": "a user, not a public record",
            "message_digest": "internal",
            "sender_digest": "internal",
            "created_at": "created_after",
            "updated_at": "not useful",
        }

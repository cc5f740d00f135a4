"""FilterSets of the pillars API. `q` and the `<rel>_id` / `<rel>` pairs of every relation come from the base
(smartcity.filters.FilterSet); a relation reached through a path is declared here in the same pattern. The public
list pages have their own forms (pillars/public_filters.py)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from smartcity.filters import BooleanFilter, FilterSet, IdsFilter, SlugsFilter, YearFilter

from .choices import (
    Access,
    Approval,
    AssetKind,
    AssetStatus,
    Audience,
    FundingSource,
    Horizon,
    IsoTheme,
    LinkRole,
    ServiceStatus,
    Stage,
)
from .models import (
    Activity,
    Agency,
    BudgetLine,
    DigitalService,
    District,
    Feedback,
    Indicator,
    IndicatorTarget,
    InfrastructureAsset,
    Masterplan,
    Measurement,
    Milestone,
    Pillar,
    Program,
    ProgramIndicator,
    Village,
)

COORDINATES = "coordinates: the map (assets/geojson/) places the rows"
FILE = "a file: nothing to match"
FREE_TEXT = "free text shown on the record"
MONEY = "an amount: sum or compare it after reading the rows"


def area_filter(field: str, model, label):
    """Rows in any of the given areas, by Kemendagri code (`?district=13.71.01`); an unknown code is a 400. The
    base gives the `<rel>_id` twin; an area has a code where other records have a slug."""
    return SlugsFilter(field_name=f"{field}__code", to_field_name="code", queryset=model.objects.all(), label=label)


def district_filter(field="district"):
    return area_filter(field, District, _("District (Kemendagri code)"))


def village_filter(field="village"):
    return area_filter(field, Village, _("Village (Kemendagri code)"))


class DistrictFilterSet(FilterSet):
    class Meta:
        model = District
        fields = ["id", "code", "bps_code", "source_verified"]
        unfiltered = {"note": FREE_TEXT, "source": FREE_TEXT}


class VillageFilterSet(FilterSet):
    district = district_filter()

    class Meta:
        model = Village
        fields = ["id", "code", "bps_code", "source_verified"]
        unfiltered = {"note": FREE_TEXT, "source": FREE_TEXT}


class PillarFilterSet(FilterSet):
    class Meta:
        model = Pillar
        fields = ["id", "slug"]
        unfiltered = {
            "order": "the pillars' fixed display order: sort with ?ordering=order",
            "description_ind": "long text: the six pillars are read whole",
            "description_en": "long text: the six pillars are read whole",
            "colour": "a chart colour",
        }


class AgencyFilterSet(FilterSet):
    class Meta:
        model = Agency
        fields = ["id", "slug", "acronym"]
        unfiltered = {"members": "staff accounts are not public"}


class MasterplanFilterSet(FilterSet):
    year = YearFilter(method="covering", label=_("Year covered"))

    class Meta:
        model = Masterplan
        fields = ["id"]
        unfiltered = {
            "first_year": "filtered through `year` (the masterplan covering it)",
            "last_year": "filtered through `year` (the masterplan covering it)",
            "rpjmd_period": FREE_TEXT,
            "document": FILE,
        }

    def covering(self, queryset, name, value):
        return queryset.filter(first_year__lte=value, last_year__gte=value)


class ProgramFilterSet(FilterSet):
    agency_id = IdsFilter(queryset=Agency.objects.all(), method="by_agency", label=_("Agency, lead or support (ID)"))
    agency = SlugsFilter(queryset=Agency.objects.all(), method="by_agency", label=_("Agency, lead or support (slug)"))
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, label=_("Stage"))
    horizon = django_filters.MultipleChoiceFilter(choices=Horizon.choices, label=_("Horizon"))
    year = YearFilter(method="running_in", label=_("Running in year"))
    district = district_filter("districts")

    class Meta:
        model = Program
        fields = ["id", "slug", "publication"]
        unfiltered = {
            "progress": "a percentage: sort with ?ordering=progress",
            "completed_on": "follows the stage: filter ?stage=completed",
            "first_year": "filtered through `year` (the programs running in it)",
            "last_year": "filtered through `year` (the programs running in it)",
            "latitude": COORDINATES,
            "longitude": COORDINATES,
        }

    def by_agency(self, queryset, name, agencies):
        if not agencies:  # a multiple-choice field left empty cleans to an empty queryset, not to None
            return queryset
        supported = Program.objects.filter(supporting_agencies__in=agencies).values("pk")
        return queryset.filter(Q(lead_agency__in=agencies) | Q(pk__in=supported))

    def running_in(self, queryset, name, value):
        return queryset.filter(first_year__lte=value, last_year__gte=value)


class ActivityFilterSet(FilterSet):
    """`q` (title, target), `year`, `carried_out`; `program`, `owner_agency` and `pillar` (through the program)
    as `<rel>_id`/`<rel>` from the base."""

    year = YearFilter(label=_("Year"))
    carried_out = BooleanFilter(method="by_carried_out", label=_("Carried out (100 %)"))

    class Meta:
        model = Activity
        fields = ["id"]
        relations = {"pillar": "program__pillar"}
        unfiltered = {
            "weight": "a figure, ordered by",
            "progress": "a figure, ordered by; carried_out filters the done ones",
            "evidence": FILE,
            "note": "free text shown on the record",
        }

    def by_carried_out(self, queryset, name, value):
        return queryset.filter(progress__gte=100) if value else queryset.filter(progress__lt=100)


class MilestoneFilterSet(FilterSet):
    done = BooleanFilter(field_name="done_on", lookup_expr="isnull", exclude=True, label=_("Done"))
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lt", label=_("Due before"))
    year = YearFilter(field_name="due_on__year", label=_("Year due"))

    class Meta:
        model = Milestone
        fields = ["id"]
        unfiltered = {"evidence": FILE}


class BudgetLineFilterSet(FilterSet):
    source = django_filters.MultipleChoiceFilter(choices=FundingSource.choices, label=_("Source"))
    year = YearFilter(label=_("Year"))

    class Meta:
        model = BudgetLine
        fields = ["id", "smart_city"]
        relations = {"pillar": "program__pillar", "lead_agency": "program__lead_agency"}
        unfiltered = {"planned_amount": MONEY, "realised_amount": MONEY}


class IndicatorFilterSet(FilterSet):
    city_wide = BooleanFilter(field_name="pillar", lookup_expr="isnull", label=_("City-wide"))
    approval = django_filters.MultipleChoiceFilter(choices=Approval.choices, label=_("Walidata approval"))
    access = django_filters.MultipleChoiceFilter(choices=Access.choices, label=_("Access classification"))
    iso_theme = django_filters.MultipleChoiceFilter(choices=IsoTheme.choices, label=_("ISO 37120 theme"))
    iso_number = django_filters.CharFilter(label=_("ISO 37120/37122 number"))
    sdg_target = django_filters.CharFilter(method="by_sdg", label=_("SDG target (e.g. 11 or 11.6)"))
    spbe_indicator = django_filters.NumberFilter(label=_("SPBE indicator"))

    def by_sdg(self, queryset, name, value):
        """A goal (11), a target (11.6) or an indicator (11.6.2): the code itself and everything under it."""
        value = value.strip()
        return queryset.filter(Q(sdg_target=value) | Q(sdg_target__startswith=f"{value}.")) if value else queryset

    class Meta:
        model = Indicator
        fields = ["id", "slug", "is_headline", "direction", "frequency", "publication"]
        relations = {"program": "programs"}  # the programs linked to it (ProgramIndicator)
        unfiltered = {
            "unit": FREE_TEXT,
            "baseline_value": "a figure shown with the targets",
            "baseline_year": "a figure shown with the targets",
            "stale_since": "set by the weekly check and shown on the record",
            "concept": FREE_TEXT,
            "definition": FREE_TEXT,
            "interpretation": FREE_TEXT,
            "method": FREE_TEXT,
            "measure": FREE_TEXT,
            "breakdown": FREE_TEXT,
            "is_composite": "metadata shown on the record; filter its building blocks with ?building_block=",
            "estimation_level": "metadata shown on the record",
            "building_block_variables": FREE_TEXT,
            "availability_publication": FREE_TEXT,
            "producing_activity": FREE_TEXT,
            "producing_activity_code": "metadata shown on the record",
            "reference_code": "an identifier shown on the record",
            "data_list_code": "an identifier shown on the record",
            "on_track_from": "a tolerance the standing reads",
            "at_risk_from": "a tolerance the standing reads",
            "approval_note": FREE_TEXT,
            "approved_at": "a moment shown on the record; filter ?approval=approved",
        }


class ProgramIndicatorFilterSet(FilterSet):
    """`program`/`indicator` (slugs) and their `_id`s from the base; `pillar` through the program."""

    role = django_filters.MultipleChoiceFilter(choices=LinkRole.choices, label=_("Role"))
    year = YearFilter(field_name="expected_year", label=_("Year the contribution is due"))

    class Meta:
        model = ProgramIndicator
        fields = ["id"]
        relations = {"pillar": "program__pillar"}
        unfiltered = {"expected_value": "a figure: compare it after reading the rows"}


class IndicatorTargetFilterSet(FilterSet):
    year = YearFilter(label=_("Year"))

    class Meta:
        model = IndicatorTarget
        fields = ["id"]
        unfiltered = {"value": "a figure: compare it after reading the rows"}


class MeasurementFilterSet(FilterSet):
    year = YearFilter(field_name="measured_on__year", label=_("Year"))
    measured_after = django_filters.DateFilter(field_name="measured_on", lookup_expr="gte", label=_("Measured from"))
    measured_before = django_filters.DateFilter(field_name="measured_on", lookup_expr="lte", label=_("Measured until"))

    class Meta:
        model = Measurement
        fields = ["id"]
        relations = {"pillar": "indicator__pillar"}
        unfiltered = {"value": "a figure: compare it after reading the rows", "evidence": FILE}


class DigitalServiceFilterSet(FilterSet):
    audience = django_filters.MultipleChoiceFilter(choices=Audience.choices, label=_("Audience"))
    status = django_filters.MultipleChoiceFilter(choices=ServiceStatus.choices, label=_("Status"))
    year = YearFilter(field_name="launched_year", label=_("Year launched"))

    class Meta:
        model = DigitalService
        fields = ["id", "slug", "platform", "origin", "publication"]
        unfiltered = {"url": "an address shown on the record"}


class InfrastructureAssetFilterSet(FilterSet):
    """Also read by the map page's GeoJSON layer with the public form's parameters (pillars/public_filters.py)."""

    kind = django_filters.MultipleChoiceFilter(choices=AssetKind.choices, label=_("Kind"))
    status = django_filters.MultipleChoiceFilter(choices=AssetStatus.choices, label=_("Status"))
    funding_source = django_filters.MultipleChoiceFilter(choices=FundingSource.choices, label=_("Funding source"))
    year = YearFilter(field_name="installed_on__year", label=_("Year installed"))
    district = district_filter()
    village = village_filter()
    # Deprecated (issue 24): the free-text columns became the district/village links; the old parameters still
    # filter, by the linked area's name, for one release.
    kecamatan = django_filters.CharFilter(
        field_name="district__name", lookup_expr="iexact", label=_("District name (deprecated: use district)")
    )
    kelurahan = django_filters.CharFilter(
        field_name="village__name", lookup_expr="iexact", label=_("Village name (deprecated: use village)")
    )

    class Meta:
        model = InfrastructureAsset
        fields = ["id", "publication"]
        unfiltered = {
            "latitude": COORDINATES,
            "longitude": COORDINATES,
            "public_view_url": "an address shown on the record",
        }


class FeedbackFilterSet(FilterSet):
    """`q` searches the message, the reply and the SP4N-LAPOR! ID; `program`/`service` (slugs) and their `_id`s come
    from the base class."""

    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte", label=_("Sent from"))

    class Meta:
        model = Feedback
        fields = ["id", "status"]
        unfiltered = {
            "name": "personal data: never a filter",
            "contact": "personal data: never a filter",
            "moderated_at": "the list is ordered by it",
            "moderated_by": "a user, not a public record",
            "message_digest": "internal",
            "sender_digest": "internal",
        }

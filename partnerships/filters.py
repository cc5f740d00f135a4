"""FilterSets of the partnerships API and of the public MoU registry.

Every filter on a related row (an MoU, a partner, a commitment) offers only the rows the caller may see
(smartcity.filters), so a draft's slug or id answers exactly like one that does not exist."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pillars.models import Pillar
from smartcity.filters import FilterSet, IdsFilter, SlugFilter, SlugsFilter, YearFilter

from .choices import DeliveryStatus, MoUStatus, PartnerKind, WebhookEvent
from .models import Commitment, MoU, Partner, ProgressReport, ScopeArea, WebhookDelivery, WebhookEndpoint


class PartnerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.MultipleChoiceFilter(choices=PartnerKind.choices, label=_("Kind"))
    scope_area = SlugsFilter(
        field_name="mous__scope_areas__slug",
        queryset=ScopeArea.objects.all(),
        distinct=True,
        label=_("Scope area (slug)"),
    )

    class Meta:
        model = Partner
        fields = ["id", "slug"]

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))


class ScopeAreaFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = ScopeArea
        fields = ["id", "slug"]

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(Q(name_id__icontains=value) | Q(name_en__icontains=value))


class MoUConditionsMixin(django_filters.FilterSet):
    """Filters on an MoU's derived status and dates; `mou_path` leads from the listed model to the MoU."""

    mou_path = ""
    status = django_filters.MultipleChoiceFilter(
        choices=MoUStatus.choices, method="filter_status", label=_("Status (today)")
    )
    in_force_on = django_filters.DateFilter(method="filter_in_force_on", label=_("In force on"))
    expiring_before = django_filters.DateFilter(method="filter_expiring_before", label=_("Expiring before"))

    def _mous(self, queryset, mous):
        if not self.mou_path:
            return queryset.filter(pk__in=mous.values("pk"))
        return queryset.filter(**{f"{self.mou_path}__in": mous.values("pk")})

    def filter_status(self, queryset, name, value):
        return self._mous(queryset, MoU.objects.with_status(*value)) if value else queryset

    def filter_in_force_on(self, queryset, name, value):
        return self._mous(queryset, MoU.objects.in_force(on=value))

    def filter_expiring_before(self, queryset, name, value):
        return self._mous(queryset, MoU.objects.expiring_before(value))


def partner_filters(path: str) -> type[django_filters.FilterSet]:
    """A base declaring partner_id, partner (slug) and partner_kind, reaching the partner through `path`."""
    return type(
        "PartnerFilters",
        (django_filters.FilterSet,),
        {
            "partner_id": IdsFilter(
                field_name=path, queryset=Partner.objects.all(), distinct=True, label=_("Partner (ID)")
            ),
            "partner": SlugsFilter(
                field_name=f"{path}__slug",
                queryset=Partner.objects.all(),
                distinct=True,
                label=_("Partner (slug)"),
            ),
            "partner_kind": django_filters.MultipleChoiceFilter(
                field_name=f"{path}__kind", choices=PartnerKind.choices, distinct=True, label=_("Partner kind")
            ),
        },
    )


def scope_and_pillar_filters(mou_path: str, pillar_path: str) -> type[django_filters.FilterSet]:
    """A base declaring scope_area and pillar (slugs), through the MoU at `mou_path` and the pillar at `pillar_path`."""
    prefix = f"{mou_path}__" if mou_path else ""
    return type(
        "ScopeAndPillarFilters",
        (django_filters.FilterSet,),
        {
            "scope_area": SlugsFilter(
                field_name=f"{prefix}scope_areas__slug",
                queryset=ScopeArea.objects.all(),
                distinct=True,
                label=_("Scope area (slug)"),
            ),
            "pillar": SlugsFilter(
                field_name=f"{pillar_path}__slug",
                queryset=Pillar.objects.all(),
                distinct=True,
                label=_("Pillar (slug)"),
            ),
        },
    )


class MoUFilterSet(MoUConditionsMixin, partner_filters("partners"), scope_and_pillar_filters("", "pillars")):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    year = YearFilter(field_name="signed_on", lookup_expr="year", label=_("Year signed"))

    class Meta:
        model = MoU
        fields = ["id", "slug", "state", "signed_online"]

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        matches = (
            Q(title_id__icontains=value)
            | Q(title_en__icontains=value)
            | Q(city_number__icontains=value)
            | Q(parties__partner_number__icontains=value)
            | Q(parties__partner__name__icontains=value)
            | Q(parties__partner__short_name__icontains=value)
        )
        return queryset.filter(pk__in=MoU.objects.filter(matches).values("pk"))


class CommitmentFilterSet(MoUConditionsMixin, partner_filters("partner"), scope_and_pillar_filters("mou", "pillar")):
    mou_path = "mou"
    q = django_filters.CharFilter(method="search", label=_("Search"))
    mou = SlugsFilter(field_name="mou__slug", queryset=MoU.objects.all(), label=_("MoU (slug)"))
    mou_id = IdsFilter(field_name="mou", queryset=MoU.objects.all(), label=_("MoU (ID)"))

    class Meta:
        model = Commitment
        fields = ["id", "due_on"]

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(
            Q(description_id__icontains=value) | Q(description_en__icontains=value) | Q(unit_id__icontains=value)
        )


class ProgressReportFilterSet(
    MoUConditionsMixin,
    partner_filters("commitment__partner"),
    scope_and_pillar_filters("commitment__mou", "commitment__pillar"),
):
    mou_path = "commitment__mou"
    q = django_filters.CharFilter(field_name="note", lookup_expr="icontains", label=_("Search"))
    reported_after = django_filters.DateFilter(
        field_name="reported_on", lookup_expr="gte", label=_("Reported on or after")
    )
    reported_before = django_filters.DateFilter(
        field_name="reported_on", lookup_expr="lte", label=_("Reported on or before")
    )

    commitment_id = IdsFilter(field_name="commitment", queryset=Commitment.objects.all(), label=_("Commitment (ID)"))

    class Meta:
        model = ProgressReport
        fields = ["id"]


class MoURegistryFilterSet(django_filters.FilterSet):
    """The public MoU registry's form: status, scope area, partner kind and year signed."""

    status = django_filters.ChoiceFilter(
        choices=MoUStatus.choices, method="filter_status", label=_("Status"), empty_label=_("Any status")
    )
    scope_area = SlugFilter(
        field_name="scope_areas",
        queryset=ScopeArea.objects.all(),
        label=_("Scope area"),
        empty_label=_("Any scope area"),
    )
    partner_kind = django_filters.ChoiceFilter(
        field_name="partners__kind",
        choices=PartnerKind.choices,
        distinct=True,
        label=_("Partner kind"),
        empty_label=_("Any kind of partner"),
    )
    year = YearFilter(field_name="signed_on", lookup_expr="year", label=_("Year signed"))

    class Meta:
        model = MoU
        fields = []

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value) if value else queryset


class WebhookEndpointFilterSet(FilterSet):
    """`q`, `partner_id` and `partner` come from the base (smartcity.filters.FilterSet)."""

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "active"]
        unfiltered = {
            "url": "searched by q",
            "description": "searched by q",
            "events": "a JSON list; few endpoints per partner",
            "secret": "never readable",
            "previous_secret": "never readable",
            "previous_secret_expires_at": "bookkeeping",
            "failure_count": "bookkeeping",
            "disabled_at": "active says it",
            "created_at": "ordering",
            "updated_at": "ordering",
        }


class WebhookDeliveryFilterSet(FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=DeliveryStatus.choices, label=_("Status"))
    event_type = django_filters.MultipleChoiceFilter(choices=WebhookEvent.choices, label=_("Event"))

    class Meta:
        model = WebhookDelivery
        fields = ["id", "event_id"]
        unfiltered = {
            "payload": "the event itself",
            "attempts": "bookkeeping",
            "next_attempt_at": "bookkeeping",
            "last_attempt_at": "bookkeeping",
            "delivered_at": "bookkeeping",
            "response_code": "bookkeeping",
            "response_ms": "bookkeeping",
            "error": "bookkeeping",
            "replay_of": "admin only",
            "created_at": "ordering",
        }

"""FilterSets of the partnerships API. `q` and the `<rel>_id` / `<rel>` pairs of every relation come from the base
(smartcity.filters.FilterSet), `Meta.relations` declares those reached through a path; every one offers only
the rows the caller may see, so a draft's slug or id answers exactly like one that does not exist. The public
MoU registry and partner list have their own forms (partnerships/public_filters.py)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from smartcity.filters import FilterSet, YearFilter

from .choices import DeliveryStatus, MoUStatus, PartnerKind, WebhookEvent
from .models import Commitment, MoU, Partner, ProgressReport, ScopeArea, WebhookDelivery, WebhookEndpoint

FILE = "a file: nothing to match"
FREE_TEXT = "free text shown on the record"
QUANTITY = "a quantity: compare it after reading the rows"
THROUGH_STATUS = "filtered through `status`, `in_force_on` and `expiring_before`"


def partner_kind(path: str) -> django_filters.MultipleChoiceFilter:
    return django_filters.MultipleChoiceFilter(
        field_name=f"{path}__kind", choices=PartnerKind.choices, distinct=True, label=_("Partner kind")
    )


class PartnerFilterSet(FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=PartnerKind.choices, label=_("Kind"))

    class Meta:
        model = Partner
        fields = ["id", "slug", "publication"]
        relations = {"scope_area": "mous__scope_areas"}
        unfiltered = {
            "website": "an address shown on the record",
            "description_ind": FREE_TEXT,
            "description_en": FREE_TEXT,
        }


class ScopeAreaFilterSet(FilterSet):
    class Meta:
        model = ScopeArea
        fields = ["id", "slug"]
        unfiltered = {"order": "the fixed display order: the list is sorted by it"}


class MoUConditionsMixin(FilterSet):
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


class MoUFilterSet(MoUConditionsMixin):
    partner_kind = partner_kind("partners")
    year = YearFilter(field_name="signed_on", lookup_expr="year", label=_("Year signed"))

    class Meta:
        model = MoU
        fields = ["id", "slug", "state", "signed_online", "publication"]
        unfiltered = {
            "city_signatory_name": FREE_TEXT,
            "city_signatory_position": FREE_TEXT,
            "signed_place": FREE_TEXT,
            "valid_from": THROUGH_STATUS,
            "valid_until": THROUGH_STATUS,
            "summary_ind": FREE_TEXT,
            "summary_en": FREE_TEXT,
            "signed_document": FILE,
            "contact": "the partner's contact person is seen by staff only",
            "terminated_on": "follows the state: filter ?state=terminated",
            "termination_reason": FREE_TEXT,
        }


class CommitmentFilterSet(MoUConditionsMixin):
    mou_path = "mou"
    partner_kind = partner_kind("partner")

    class Meta:
        model = Commitment
        fields = ["id", "due_on"]
        relations = {"scope_area": "mou__scope_areas"}
        unfiltered = {"target_quantity": QUANTITY}


class ProgressReportFilterSet(MoUConditionsMixin):
    mou_path = "commitment__mou"
    partner_kind = partner_kind("commitment__partner")
    reported_after = django_filters.DateFilter(
        field_name="reported_on", lookup_expr="gte", label=_("Reported on or after")
    )
    reported_before = django_filters.DateFilter(
        field_name="reported_on", lookup_expr="lte", label=_("Reported on or before")
    )

    class Meta:
        model = ProgressReport
        fields = ["id"]
        relations = {
            "mou": "commitment__mou",
            "partner": "commitment__partner",
            "pillar": "commitment__pillar",
            "scope_area": "commitment__mou__scope_areas",
        }
        unfiltered = {
            "quantity_reached": QUANTITY,
            "evidence": FILE,
            "reported_by": "staff accounts are not public",
            "reported_by_key": "a partner's API key is not public",
        }


class WebhookEndpointFilterSet(FilterSet):
    """`q`, `partner_id` and `partner` come from the base (smartcity.filters.FilterSet)."""

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "active"]
        unfiltered = {
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
    """`q`, `endpoint_id` and `replay_of_id` come from the base. `event` is the message's `webhook-id` (`msg_…`, a
    string, the same on every retry and replay), not a row's id: named without `_id`, which is for ids."""

    status = django_filters.MultipleChoiceFilter(choices=DeliveryStatus.choices, label=_("Status"))
    event_type = django_filters.MultipleChoiceFilter(choices=WebhookEvent.choices, label=_("Event"))
    event = django_filters.CharFilter(field_name="event_id", label=_("Event ID (webhook-id)"))

    class Meta:
        model = WebhookDelivery
        fields = ["id"]
        unfiltered = {
            "payload": "the event itself",
            "attempts": "bookkeeping",
            "next_attempt_at": "bookkeeping",
            "last_attempt_at": "bookkeeping",
            "delivered_at": "bookkeeping",
            "response_code": "bookkeeping",
            "response_ms": "bookkeeping",
            "error": "bookkeeping",
            "created_at": "ordering",
        }

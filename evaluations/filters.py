"""FilterSets of the evaluations API. `q` and the `<rel>_id` / `<rel>` pairs of every relation come from the base
(smartcity.filters.FilterSet), `Meta.relations` declares those reached through a path. The public evaluations list
has its own form (evaluations/public_filters.py)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from smartcity.filters import FilterSet, YearFilter

from .choices import EvaluationKind, EvaluationStage, EvaluationStatus, FindingKind, FollowUpStatus
from .models import (
    Evaluation,
    EvaluationScheme,
    FieldVisit,
    Finding,
    FollowedPortal,
    FollowUpAction,
    PortalSnapshot,
)

FILE = "a file: nothing to match"
FIGURE = "a figure: compare it after reading the rows"
FREE_TEXT = "free text shown on the record"


class EvaluationSchemeFilterSet(FilterSet):
    year = YearFilter(label=_("Year"))

    class Meta:
        model = EvaluationScheme
        fields = ["id", "issuing_body", "publication"]
        unfiltered = {"scale_min": FIGURE, "scale_max": FIGURE, "decimals": FIGURE, "notes": FREE_TEXT}


class EvaluationFilterSet(FilterSet):
    stage = django_filters.MultipleChoiceFilter(choices=EvaluationStage.choices, label=_("Stage"))
    kind = django_filters.MultipleChoiceFilter(choices=EvaluationKind.choices, label=_("Kind"))
    status = django_filters.MultipleChoiceFilter(choices=EvaluationStatus.choices, label=_("Status"))
    year = YearFilter(label=_("Year"))

    class Meta:
        model = Evaluation
        fields = ["id", "slug", "publication"]
        relations = {"pillar": "pillar_scores__pillar"}
        unfiltered = {
            "started_on": "filter by `year`; the dates are shown on the record",
            "ended_on": "filter by `year`; the dates are shown on the record",
            "letter_date": "filter by `year`; the dates are shown on the record",
            "national_rank": FIGURE,
            "provincial_rank": FIGURE,
            "computed_index": FIGURE,
            "official_index": FIGURE,
            "summary_id": FREE_TEXT,
            "summary_en": FREE_TEXT,
        }


class FindingFilterSet(FilterSet):
    year = YearFilter(field_name="evaluation__year", label=_("Year"))
    kind = django_filters.MultipleChoiceFilter(choices=FindingKind.choices, label=_("Kind"))

    class Meta:
        model = Finding
        fields = ["id", "publication"]


class FollowUpActionFilterSet(FilterSet):
    year = YearFilter(field_name="finding__evaluation__year", label=_("Year"))
    status = django_filters.MultipleChoiceFilter(choices=FollowUpStatus.choices, label=_("Status"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))

    class Meta:
        model = FollowUpAction
        fields = ["id", "due_on", "publication"]
        relations = {"evaluation": "finding__evaluation", "pillar": "finding__pillar"}
        unfiltered = {"done_on": "follows the status: filter ?status=done", "evidence": FILE}

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.overdue() if value else queryset.not_overdue()


class FieldVisitFilterSet(FilterSet):
    year = YearFilter(field_name="evaluation__year", label=_("Year"))

    class Meta:
        model = FieldVisit
        fields = ["id", "visited_on", "publication"]


# --- the provincial view ------------------------------------------------------------------------------------------
class FollowedPortalFilterSet(FilterSet):
    class Meta:
        model = FollowedPortal
        fields = ["id", "active"]


class PortalSnapshotFilterSet(FilterSet):
    read_after = django_filters.IsoDateTimeFilter(field_name="read_at", lookup_expr="gte", label=_("Read from"))

    class Meta:
        model = PortalSnapshot
        fields = ["id", "ok"]
        unfiltered = {
            "data": "a document, not a value",
            "duration_ms": "not useful",
        }

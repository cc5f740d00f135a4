"""FilterSets of the evaluations API. `q` and the `<rel>_id` / `<rel>` pairs of every relation come from the base
(smartcity.filters.FilterSet), `Meta.relations` declares those reached through a path. The public evaluations list
has its own form (evaluations/public_filters.py)."""

import django_filters
from django.db.models import F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from smartcity.filters import BooleanFilter, FilterSet, YearFilter

from .choices import (
    ClarificationStatus,
    EvaluationKind,
    EvaluationStage,
    EvaluationStatus,
    ExportFormat,
    FindingKind,
    FollowUpStatus,
    InstrumentBody,
    InstrumentKind,
)
from .models import (
    ClarificationRequest,
    Evaluation,
    EvaluationPack,
    EvaluationScheme,
    FieldVisit,
    Finding,
    FollowUpAction,
    LegalInstrument,
    Survey,
    SurveyResponse,
    SurveyTarget,
)

FILE = "a file: nothing to match"
FIGURE = "a figure: compare it after reading the rows"
FREE_TEXT = "free text shown on the record"


class EvaluationSchemeFilterSet(FilterSet):
    year = YearFilter(label=_("Year"))

    class Meta:
        model = EvaluationScheme
        fields = ["id", "issuing_body", "publication", "source_verified"]
        unfiltered = {
            "scale_min": FIGURE,
            "scale_max": FIGURE,
            "decimals": FIGURE,
            "notes": FREE_TEXT,
            "source": FREE_TEXT,
            "bands_note": FREE_TEXT,
            "min_survey_responses": FIGURE,
        }


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
            "summary_ind": FREE_TEXT,
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
    overdue = BooleanFilter(method="filter_overdue", label=_("Overdue"))

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


# --- Evidence of the five dimensions (issue 14): the one FilterSet base ---------------------------------------------
class LegalInstrumentFilterSet(FilterSet):
    """`q` (number, title), `year`, `kind`, `forms_body`; `pillar_id`/`pillar` from the base."""

    year = YearFilter(label=_("Year"))
    kind = django_filters.MultipleChoiceFilter(choices=InstrumentKind.choices, label=_("Kind"))
    forms_body = django_filters.MultipleChoiceFilter(choices=InstrumentBody.choices, label=_("Body formed"))

    class Meta:
        model = LegalInstrument
        fields = ["id", "publication"]
        unfiltered = {
            "issued_on": "ordered by",
            "signed_file": FILE,
        }


class SurveyFilterSet(FilterSet):
    year = YearFilter(label=_("Year"))

    class Meta:
        model = Survey
        fields = ["id", "slug", "publication", "open_online"]
        unfiltered = {"scale_min": "a setting",
                      "scale_max": "a setting", "run_by": FREE_TEXT}  # fmt: skip


class SurveyTargetFilterSet(FilterSet):
    """`year`, `below_minimum` (fewer responses than the year's scheme asks for); `survey`, `sub_dimension`,
    `pillar` (through the sub-dimension) and the others' `<rel>_id`/`<rel>` from the base."""

    year = YearFilter(field_name="survey__year", label=_("Year"))
    below_minimum = BooleanFilter(method="by_minimum", label=_("Fewer responses than needed"))

    class Meta:
        model = SurveyTarget
        fields = ["id"]
        relations = {"pillar": "sub_dimension__pillar"}

    def by_minimum(self, queryset, name, value):
        minimum = EvaluationScheme.objects.survey_minimum_of(OuterRef("survey__year"))
        queryset = queryset.annotate(minimum_responses=minimum)
        rule = Q(counted_response_count__lt=F("minimum_responses"))  # the readiness rule (with_response_counts)
        return queryset.filter(rule) if value else queryset.exclude(rule)


class SurveyResponseFilterSet(FilterSet):
    answered_on = django_filters.DateFromToRangeFilter(label=_("Answered between"))

    class Meta:
        model = SurveyResponse
        fields = ["id", "source"]
        unfiltered = {"respondent": "a reference, never searched", "entered_by": "staff only"}


class ClarificationRequestFilterSet(FilterSet):
    """`q` (question), `status`, `overdue`; `evaluation`, `owner_agency`, `pillar`... from the base."""

    status = django_filters.MultipleChoiceFilter(choices=ClarificationStatus.choices, label=_("Status"))
    overdue = BooleanFilter(method="by_overdue", label=_("Overdue"))

    class Meta:
        model = ClarificationRequest
        fields = ["id", "due_on"]
        unfiltered = {"closed_on": "shown", "asked_by": "staff only"}

    def by_overdue(self, queryset, name, value):
        overdue = ClarificationRequest.objects.overdue().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class EvaluationPackFilterSet(FilterSet):
    # `format` is DRF's renderer parameter (`?format=json`): a filter of that name could never be reached.
    file_format = django_filters.MultipleChoiceFilter(
        field_name="format", choices=ExportFormat.choices, label=_("File format")
    )

    class Meta:
        model = EvaluationPack
        fields = ["id", "status"]
        unfiltered = {"progress": "shown", "file": "a file", "error": "shown", "requested_by": "staff only"}


# --- Assessment frameworks and external indices -----------------------------------------------------------------

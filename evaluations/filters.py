import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pillars.models import Agency, Pillar, SubDimension
from smartcity.filters import FilterSet, IdsFilter, SlugsFilter, YearFilter

from .choices import (
    MIN_SURVEY_RESPONSES,
    ClarificationStatus,
    EvaluationKind,
    EvaluationStage,
    EvaluationStatus,
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


def pillar_filters(field_name: str):
    """The `pillar_id` and `pillar` (slug) pair of filters on `field_name`."""
    return (
        IdsFilter(field_name=field_name, queryset=Pillar.objects.all(), label=_("Pillar (ID)")),
        SlugsFilter(field_name=f"{field_name}__slug", queryset=Pillar.objects.all(), label=_("Pillar (slug)")),
    )


class EvaluationSchemeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    year = YearFilter(label=_("Year"))

    class Meta:
        model = EvaluationScheme
        fields = ["id", "issuing_body"]

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(issuing_body__icontains=value))


class EvaluationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    scheme_id = IdsFilter(field_name="scheme", queryset=EvaluationScheme.objects.all(), label=_("Scheme (ID)"))
    stage = django_filters.MultipleChoiceFilter(choices=EvaluationStage.choices, label=_("Stage"))
    kind = django_filters.MultipleChoiceFilter(choices=EvaluationKind.choices, label=_("Kind"))
    status = django_filters.MultipleChoiceFilter(choices=EvaluationStatus.choices, label=_("Status"))
    pillar_id, pillar = pillar_filters("pillar_scores__pillar")
    year = YearFilter(label=_("Year"))

    class Meta:
        model = Evaluation
        fields = ["id"]

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(
            Q(letter_number__icontains=value) | Q(evaluating_body__icontains=value) | Q(assessors__icontains=value)
        )


class FindingFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    evaluation_id = IdsFilter(field_name="evaluation", queryset=Evaluation.objects.all(), label=_("Evaluation (ID)"))
    year = YearFilter(field_name="evaluation__year", label=_("Year"))
    kind = django_filters.MultipleChoiceFilter(choices=FindingKind.choices, label=_("Kind"))
    pillar_id, pillar = pillar_filters("pillar")

    class Meta:
        model = Finding
        fields = ["id"]

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(Q(text_id__icontains=value) | Q(text_en__icontains=value))


class FollowUpActionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    finding_id = IdsFilter(field_name="finding", queryset=Finding.objects.all(), label=_("Finding (ID)"))
    evaluation_id = IdsFilter(
        field_name="finding__evaluation", queryset=Evaluation.objects.all(), label=_("Evaluation (ID)")
    )
    year = YearFilter(field_name="finding__evaluation__year", label=_("Year"))
    status = django_filters.MultipleChoiceFilter(choices=FollowUpStatus.choices, label=_("Status"))
    pillar_id, pillar = pillar_filters("finding__pillar")
    agency_id = IdsFilter(field_name="owner_agency", queryset=Agency.objects.all(), label=_("Agency (ID)"))
    agency = SlugsFilter(field_name="owner_agency__slug", queryset=Agency.objects.all(), label=_("Agency (slug)"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))

    class Meta:
        model = FollowUpAction
        fields = ["id", "due_on"]

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(Q(title_id__icontains=value) | Q(title_en__icontains=value) | Q(note__icontains=value))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.overdue() if value else queryset.not_overdue()


class FieldVisitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    evaluation_id = IdsFilter(field_name="evaluation", queryset=Evaluation.objects.all(), label=_("Evaluation (ID)"))
    year = YearFilter(field_name="evaluation__year", label=_("Year"))
    pillar_id, pillar = pillar_filters("pillar")
    agency_id = IdsFilter(field_name="agency", queryset=Agency.objects.all(), label=_("Agency (ID)"))
    agency = SlugsFilter(field_name="agency__slug", queryset=Agency.objects.all(), label=_("Agency (slug)"))

    class Meta:
        model = FieldVisit
        fields = ["id", "visited_on"]

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(Q(site__icontains=value) | Q(notes_id__icontains=value) | Q(notes_en__icontains=value))


# --- Evidence of the five dimensions (issue 14): the one FilterSet base ---------------------------------------------
class LegalInstrumentFilterSet(FilterSet):
    """`q` (number, title), `year`, `kind`, `pillar_id`/`pillar`, `forms_body`."""

    year = YearFilter(label=_("Year"))
    kind = django_filters.MultipleChoiceFilter(choices=InstrumentKind.choices, label=_("Kind"))
    forms_body = django_filters.MultipleChoiceFilter(choices=InstrumentBody.choices, label=_("Body formed"))
    pillar_id, pillar = pillar_filters("pillars")

    class Meta:
        model = LegalInstrument
        fields = ["id", "publication"]
        unfiltered = {
            "number": "searched by q",
            "title_id": "searched by q",
            "title_en": "searched by q",
            "issued_on": "ordered by",
            "signed_file": "a file",
            "publish_from": "an embargo moment",
        }


class SurveyFilterSet(FilterSet):
    year = YearFilter(label=_("Year"))

    class Meta:
        model = Survey
        fields = ["id", "slug", "publication", "open_online"]
        unfiltered = {"title_id": "searched by q", "title_en": "searched by q", "scale_min": "a setting",
                      "scale_max": "a setting", "run_by": "free text", "publish_from": "an embargo moment"}  # fmt: skip


class SurveyTargetFilterSet(FilterSet):
    """`survey_id`/`survey`, `sub_dimension` (slug), `pillar`, `year`, `below_minimum` (fewer than 50 responses)."""

    year = YearFilter(field_name="survey__year", label=_("Year"))
    sub_dimension = SlugsFilter(
        field_name="sub_dimension__slug", queryset=SubDimension.objects.all(), label=_("Sub-dimension (slug)")
    )
    pillar_id, pillar = pillar_filters("sub_dimension__pillar")
    below_minimum = django_filters.BooleanFilter(method="by_minimum", label=_("Fewer responses than needed"))

    class Meta:
        model = SurveyTarget
        fields = ["id"]
        unfiltered = {"service": "few per year", "owner_agency": "few per year"}

    def by_minimum(self, queryset, name, value):
        rule = Q(response_count__lt=MIN_SURVEY_RESPONSES)
        return queryset.filter(rule) if value else queryset.exclude(rule)


class SurveyResponseFilterSet(FilterSet):
    target_id = IdsFilter(field_name="target", queryset=SurveyTarget.objects.all(), label=_("Surveyed (ID)"))
    answered_on = django_filters.DateFromToRangeFilter(label=_("Answered between"))

    class Meta:
        model = SurveyResponse
        fields = ["id", "source"]
        unfiltered = {"respondent": "a reference, never searched", "entered_by": "staff only"}


class ClarificationRequestFilterSet(FilterSet):
    """`q` (question), `evaluation_id`, `owner_agency_id`/`owner_agency`, `pillar_id`/`pillar`, `status`,
    `overdue`."""

    owner_agency_id = IdsFilter(field_name="owner_agency", queryset=Agency.objects.all(), label=_("Owner agency (ID)"))
    owner_agency = SlugsFilter(
        field_name="owner_agency__slug", queryset=Agency.objects.all(), label=_("Owner agency (slug)")
    )
    pillar_id, pillar = pillar_filters("pillar")
    status = django_filters.MultipleChoiceFilter(choices=ClarificationStatus.choices, label=_("Status"))
    overdue = django_filters.BooleanFilter(method="by_overdue", label=_("Overdue"))

    class Meta:
        model = ClarificationRequest
        fields = ["id", "due_on"]
        unfiltered = {"question": "searched by q", "closed_on": "shown", "asked_by": "staff only"}

    def by_overdue(self, queryset, name, value):
        overdue = ClarificationRequest.objects.overdue().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class EvaluationPackFilterSet(FilterSet):
    class Meta:
        model = EvaluationPack
        fields = ["id", "evaluation", "format", "status"]
        unfiltered = {"progress": "shown", "file": "a file", "error": "shown", "requested_by": "staff only"}

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pillars.models import Agency, Pillar
from smartcity.filters import IdsFilter, SlugsFilter, YearFilter

from .choices import EvaluationKind, EvaluationStage, EvaluationStatus, FindingKind, FollowUpStatus
from .models import Evaluation, EvaluationScheme, FieldVisit, Finding, FollowUpAction


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


# --- the provincial view ------------------------------------------------------------------------------------------
from smartcity.filters import FilterSet  # noqa: E402

from .models import FollowedPortal, PortalSnapshot  # noqa: E402


class FollowedPortalFilterSet(FilterSet):
    class Meta:
        model = FollowedPortal
        fields = ["id", "active"]
        unfiltered = {
            "name": "searched by q",
            "base_url": "searched by q",
            "created_at": "not useful",
            "updated_at": "not useful",
        }


class PortalSnapshotFilterSet(FilterSet):
    read_after = django_filters.IsoDateTimeFilter(field_name="read_at", lookup_expr="gte", label=_("Read from"))

    class Meta:
        model = PortalSnapshot
        fields = ["id", "ok"]
        unfiltered = {
            "reason": "searched by q",
            "data": "a document, not a value",
            "read_at": "read_after",
            "duration_ms": "not useful",
        }

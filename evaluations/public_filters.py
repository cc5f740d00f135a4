"""The filter form of the public evaluations list: a search and what a citizen filters by (year, stage, kind).
The API keeps its own FilterSets (evaluations/filters.py)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from smartcity.public_filters import PublicFilterSet, year_filter

from .choices import EvaluationKind, EvaluationStage
from .models import Evaluation


class EvaluationPublicFilterSet(PublicFilterSet):
    search_fields = ("letter_number", "evaluating_body", "summary_ind", "summary_en")
    year = year_filter(_("Year"), field_name="year")
    stage = django_filters.ChoiceFilter(choices=EvaluationStage.choices, label=_("Stage"), empty_label=_("Any stage"))
    kind = django_filters.ChoiceFilter(choices=EvaluationKind.choices, label=_("Kind"), empty_label=_("Any kind"))

    class Meta:
        model = Evaluation
        fields = []

"""The evaluations app's kinds in the site search (smartcity.search): evaluations and the regulations and decrees."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from smartcity.search import SearchKind, list_url, register_kind

from .models import Evaluation, LegalInstrument

register_kind(
    SearchKind(
        key="evaluations",
        label=_("Evaluations"),
        queryset=lambda: Evaluation.objects.public(),
        fields=("letter_number", "evaluating_body", "summary_ind"),
        fields_en=("summary_en",),
        title="",
        summary="summary",
        list_url=list_url("evaluations:evaluation-list"),
        order=60,
    )
)


def regulations_of_year(row) -> str:
    return f"{reverse('evaluations:legalinstrument-list')}?{urlencode({'year': row.year})}"


# The register is read one year at a time (it has no search of its own): a hit leads to its year's register.
register_kind(
    SearchKind(
        key="regulations",
        label=_("Regulations and decrees"),
        queryset=lambda: LegalInstrument.objects.public(),
        fields=("number", "title_ind"),
        fields_en=("title_en",),
        summary="number",
        url=regulations_of_year,
        order=70,
    )
)

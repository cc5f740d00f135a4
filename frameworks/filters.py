"""FilterSets of the frameworks API (the base and the vocabulary of unfiltered fields come from evaluations)."""

from django.utils.translation import gettext_lazy as _

from evaluations.filters import FIGURE, FILE, FREE_TEXT
from smartcity.filters import FilterSet, YearFilter

from .models import ExternalIndex, ExternalIndexValue, Framework, SelfAssessment


class FrameworkFilterSet(FilterSet):
    class Meta:
        model = Framework
        fields = ["id", "slug", "issuing_body", "publication", "source_verified"]
        unfiltered = {
            "notes": FREE_TEXT,
            "source": FREE_TEXT,
            "level_min": "the framework's level scale, shown on the record",
            "level_max": "the framework's level scale, shown on the record",
            "decimals": "how the index is shown",
        }


class SelfAssessmentFilterSet(FilterSet):
    year = YearFilter(label=_("Year"))

    class Meta:
        model = SelfAssessment
        fields = ["id", "publication"]
        unfiltered = {"self_index": FIGURE, "assessor_index": FIGURE, "summary_en": FREE_TEXT}


class ExternalIndexFilterSet(FilterSet):
    class Meta:
        model = ExternalIndex
        fields = ["id", "slug", "publisher", "publication", "scope", "kind", "source_verified"]
        unfiltered = {
            "source": FREE_TEXT,
            "publishes_bands": "how the editions are shown",
            "scale_min": "the index's scale, shown on the record",
            "scale_max": "the index's scale, shown on the record",
            "decimals": "how the values are shown",
            "url": "an address shown on the record",
            "description_ind": FREE_TEXT,
            "description_en": FREE_TEXT,
        }


class ExternalIndexValueFilterSet(FilterSet):
    year = YearFilter(label=_("Year"))

    class Meta:
        model = ExternalIndexValue
        fields = ["id", "source_verified"]
        unfiltered = {
            "value": FIGURE,
            "level": FIGURE,
            "peer_group_ind": FREE_TEXT,
            "peer_group_en": FREE_TEXT,
            "source": FREE_TEXT,
            "band_ind": FREE_TEXT,
            "band_en": FREE_TEXT,
            "rank": FIGURE,
            "ranked_among": FIGURE,
            "source_document": FILE,
            "source_url": "an address shown on the record",
        }


# --- the provincial view ------------------------------------------------------------------------------------------

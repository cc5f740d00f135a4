"""Reads of the assessment frameworks, self-assessments and external indices: one `with_related()` bundle each."""

from django.db.models import OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from smartcity.models import PublicParentMixin, PublishableQuerySet
from smartcity.policy import EVERYONE, PUBLISHED, Policy


def _band_of(index_expression, framework_field: str):
    """A subquery: the label of the framework band holding the index (None outside every band)."""
    from .models import FrameworkBand

    bands = FrameworkBand.objects.filter(
        framework=OuterRef(framework_field), lower__lte=index_expression, upper__gte=index_expression
    ).order_by("lower")
    return bands


class FrameworkQuerySet(PublishableQuerySet):
    def with_related(self):
        """The framework with its domains, aspects, indicators and bands, as the serializer and pages read them."""
        from .models import FrameworkAspect, FrameworkBand, FrameworkDomain, FrameworkIndicator, FrameworkLevel

        return self.prefetch_related(
            Prefetch("levels", queryset=FrameworkLevel.objects.order_by("level")),
            Prefetch("domains", queryset=FrameworkDomain.objects.order_by("order", "pk")),
            Prefetch("aspects", queryset=FrameworkAspect.objects.order_by("order", "pk")),
            Prefetch("indicators", queryset=FrameworkIndicator.objects.order_by("number")),
            Prefetch("bands", queryset=FrameworkBand.objects.order_by("lower")),
        )


class FrameworkPartQuerySet(PublicParentMixin):
    policy = Policy(public=EVERYONE, parent="framework")

    def with_related(self):
        return self.select_related("framework")


class SelfAssessmentQuerySet(PublishableQuerySet):
    policy = Policy(public=PUBLISHED, parent="framework")  # published, due, and of a public framework

    def with_index(self):
        """Annotate `index` (the assessors' index once complete, else the self-assessed one) and its band's
        labels `band_label_ind` / `band_label_en`."""
        annotated = self.annotate(index=Coalesce("assessor_index", "self_index"))
        bands = _band_of(OuterRef("index"), "framework")
        return annotated.annotate(
            band_label_ind=Subquery(bands.values("label_ind")[:1]),
            band_label_en=Subquery(bands.values("label_en")[:1]),
        )

    def with_related(self):
        from .models import SelfAssessmentScore

        scores = SelfAssessmentScore.objects.select_related("indicator").prefetch_related("evidence")
        return (
            self.select_related("framework")
            .prefetch_related(Prefetch("scores", queryset=scores.order_by("indicator__number")))
            .with_index()
        )


class SelfAssessmentScoreQuerySet(PublicParentMixin):
    policy = Policy(public=EVERYONE, parent="assessment")

    def with_related(self):
        return self.select_related("assessment", "indicator")


class SelfAssessmentEvidenceQuerySet(PublicParentMixin):
    policy = Policy(public=EVERYONE, parent="score__assessment")

    def with_related(self):
        return self.select_related("score")


class ExternalIndexQuerySet(PublishableQuerySet):
    def with_related(self):
        from .models import ExternalIndexValue

        return self.prefetch_related(Prefetch("editions", queryset=ExternalIndexValue.objects.order_by("year")))


class ExternalIndexValueQuerySet(PublicParentMixin):
    policy = Policy(public=EVERYONE, parent="index")

    def with_related(self):
        return self.select_related("index")

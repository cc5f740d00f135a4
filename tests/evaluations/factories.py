import datetime
from decimal import Decimal

import factory

from evaluations.models import (
    Evaluation,
    EvaluationScheme,
    FieldVisit,
    Finding,
    FollowUpAction,
    SchemeBand,
    SchemeDimension,
)
from evaluations.services import evaluation_slug
from tests.pillars.factories import AgencyFactory

# The usual five dimensions with example weights (they vary by year: each scheme stores its own).
WEIGHTS = {"baseline": 10, "output": 20, "outcome": 30, "impact": 30, "quick-win": 10}


class EvaluationSchemeFactory(factory.django.DjangoModelFactory):
    """A published 0–4 scheme with two decimals and the five weighted dimensions."""

    name = factory.Sequence(lambda n: f"Skema uji {n}")
    year = 2023
    issuing_body = factory.Sequence(lambda n: f"Kementerian Uji {n}")
    scale_min = Decimal("0")
    scale_max = Decimal("4")
    decimals = 2
    publication = "published"

    class Meta:
        model = EvaluationScheme
        skip_postgeneration_save = True

    @factory.post_generation
    def dimensions(self, create, extracted, **kwargs):
        weights = extracted if extracted is not None else WEIGHTS
        for order, (code, weight) in enumerate(weights.items(), start=1):
            SchemeDimension.objects.create(
                scheme=self, code=code, order=order, name_id=code.title(), name_en=code.title(), weight=weight
            )


class SchemeBandFactory(factory.django.DjangoModelFactory):
    scheme = factory.SubFactory(EvaluationSchemeFactory)
    label_id = "Baik"
    label_en = "Good"
    lower = Decimal("3")
    upper = Decimal("4")

    class Meta:
        model = SchemeBand


class EvaluationFactory(factory.django.DjangoModelFactory):
    """A published final-stage national evaluation in draft status, with no scores."""

    scheme = factory.SubFactory(EvaluationSchemeFactory)
    year = factory.LazyAttribute(lambda evaluation: evaluation.scheme.year)
    stage = "final"
    kind = "national"
    slug = factory.LazyAttribute(lambda e: evaluation_slug(year=e.year, stage=e.stage, kind=e.kind))
    publication = "published"

    class Meta:
        model = Evaluation


class FindingFactory(factory.django.DjangoModelFactory):
    evaluation = factory.SubFactory(EvaluationFactory)
    kind = "weakness"
    text_id = factory.Sequence(lambda n: f"Temuan uji {n}")
    publication = "published"

    class Meta:
        model = Finding


class FollowUpActionFactory(factory.django.DjangoModelFactory):
    finding = factory.SubFactory(FindingFactory)
    owner_agency = factory.SubFactory(AgencyFactory)
    title_id = factory.Sequence(lambda n: f"Tindak lanjut {n}")
    due_on = datetime.date(2099, 12, 31)
    publication = "published"

    class Meta:
        model = FollowUpAction


class FieldVisitFactory(factory.django.DjangoModelFactory):
    evaluation = factory.SubFactory(EvaluationFactory)
    visited_on = datetime.date(2019, 10, 16)
    site = factory.Sequence(lambda n: f"Lokasi {n}")
    publication = "published"

    class Meta:
        model = FieldVisit

import datetime
from decimal import Decimal

import factory

from evaluations.models import (
    BodyMember,
    ClarificationRequest,
    Evaluation,
    EvaluationScheme,
    FieldVisit,
    Finding,
    FollowUpAction,
    LegalInstrument,
    SchemeBand,
    SchemeDimension,
    Survey,
    SurveyAnswer,
    SurveyItem,
    SurveyResponse,
    SurveyTarget,
)
from evaluations.services import evaluation_slug
from pillars.models import Pillar, SubDimension
from tests.pillars.factories import AgencyFactory, ProgramFactory

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
                scheme=self, code=code, order=order, name_ind=code.title(), name_en=code.title(), weight=weight
            )


class SchemeBandFactory(factory.django.DjangoModelFactory):
    scheme = factory.SubFactory(EvaluationSchemeFactory)
    label_ind = "Baik"
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
    text_ind = factory.Sequence(lambda n: f"Temuan uji {n}")
    publication = "published"

    class Meta:
        model = Finding


class FollowUpActionFactory(factory.django.DjangoModelFactory):
    finding = factory.SubFactory(FindingFactory)
    owner_agency = factory.SubFactory(AgencyFactory)
    title_ind = factory.Sequence(lambda n: f"Tindak lanjut {n}")
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


# --- Evidence of the five dimensions (issue 14) ---------------------------------------------------------------------
class LegalInstrumentFactory(factory.django.DjangoModelFactory):
    year = 2023
    kind = "regulation"
    number = factory.Sequence(lambda n: f"Perwako No. {n} Tahun 2023")
    issued_on = datetime.date(2023, 3, 1)
    title_ind = factory.Sequence(lambda n: f"Peraturan uji {n}")
    publication = "published"

    class Meta:
        model = LegalInstrument


class BodyMemberFactory(factory.django.DjangoModelFactory):
    instrument = factory.SubFactory(LegalInstrumentFactory, kind="decree", forms_body="council")
    name = factory.Sequence(lambda n: f"Anggota {n}")
    role = "Anggota"

    class Meta:
        model = BodyMember


class SurveyFactory(factory.django.DjangoModelFactory):
    """A published 1–5 survey with three items, q1 to q3."""

    year = 2023
    slug = factory.Sequence(lambda n: f"survei-{n}")
    title_ind = factory.Sequence(lambda n: f"Survei uji {n}")
    publication = "published"

    class Meta:
        model = Survey
        skip_postgeneration_save = True

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        codes = extracted if extracted is not None else ["q1", "q2", "q3"]
        for order, code in enumerate(codes, start=1):
            SurveyItem.objects.create(survey=self, code=code, order=order, text_ind=f"Pernyataan {code}")


class SurveyTargetFactory(factory.django.DjangoModelFactory):
    survey = factory.SubFactory(SurveyFactory)
    sub_dimension = factory.LazyFunction(lambda: SubDimension.objects.filter(pillar__slug="governance").first())
    program = factory.SubFactory(ProgramFactory)

    class Meta:
        model = SurveyTarget


class SurveyResponseFactory(factory.django.DjangoModelFactory):
    target = factory.SubFactory(SurveyTargetFactory)
    answered_on = datetime.date(2023, 6, 1)

    class Meta:
        model = SurveyResponse
        skip_postgeneration_save = True

    @factory.post_generation
    def answers(self, create, extracted, **kwargs):
        for item in self.target.survey.items.all():
            SurveyAnswer.objects.create(response=self, item=item, value=(extracted or {}).get(item.code, 4))


class ClarificationRequestFactory(factory.django.DjangoModelFactory):
    evaluation = factory.SubFactory(EvaluationFactory)
    pillar = factory.LazyFunction(lambda: Pillar.objects.get(slug="governance"))
    owner_agency = factory.SubFactory(AgencyFactory)
    question = factory.Sequence(lambda n: f"Mohon bukti dukung {n}")
    due_on = datetime.date(2099, 12, 31)

    class Meta:
        model = ClarificationRequest

import datetime
import decimal

import factory

from pillars.models import (
    Activity,
    Agency,
    BudgetLine,
    DigitalService,
    Indicator,
    IndicatorTarget,
    InfrastructureAsset,
    Masterplan,
    Measurement,
    Milestone,
    Pillar,
    Program,
    ProgramIndicator,
    SubDimension,
)


class PillarFactory(factory.django.DjangoModelFactory):
    """An extra pillar for tests that need more rows than the six the migration creates."""

    slug = factory.Sequence(lambda n: f"test-pillar-{n}")
    order = factory.Sequence(lambda n: 100 + n)
    name_ind = factory.Sequence(lambda n: f"Pilar uji {n}")
    name_en = factory.Sequence(lambda n: f"Test pillar {n}")
    colour = "#123456"
    sub_dimensions = factory.RelatedFactoryList(
        "tests.pillars.factories.SubDimensionFactory", factory_related_name="pillar", size=3
    )

    class Meta:
        model = Pillar
        skip_postgeneration_save = True


class SubDimensionFactory(factory.django.DjangoModelFactory):
    pillar = factory.SubFactory(PillarFactory, sub_dimensions=[])
    slug = factory.Sequence(lambda n: f"test-sub-{n}")
    order = factory.Sequence(lambda n: n)
    name_ind = factory.Sequence(lambda n: f"Subdimensi {n}")
    name_en = factory.Sequence(lambda n: f"Sub-dimension {n}")

    class Meta:
        model = SubDimension


class AgencyFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    acronym = factory.Sequence(lambda n: f"DU{n}")
    slug = factory.Sequence(lambda n: f"dinas-uji-{n}")

    class Meta:
        model = Agency


class PublishedMixin(factory.django.DjangoModelFactory):
    """Portfolio records are drafts by default; factories publish them unless a test says otherwise."""

    publication = "published"

    class Meta:
        abstract = True


class MasterplanFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Masterplan Smart City {n}")
    first_year = 2019
    last_year = 2028

    class Meta:
        model = Masterplan


class ProgramFactory(PublishedMixin):
    slug = factory.Sequence(lambda n: f"program-{n}")
    title_ind = factory.Sequence(lambda n: f"Program uji {n}")
    title_en = factory.Sequence(lambda n: f"Test program {n}")
    pillar = factory.LazyFunction(lambda: Pillar.objects.get(slug="governance"))
    lead_agency = factory.SubFactory(AgencyFactory)
    first_year = 2023
    last_year = 2025

    class Meta:
        model = Program


class MilestoneFactory(factory.django.DjangoModelFactory):
    program = factory.SubFactory(ProgramFactory)
    title_ind = factory.Sequence(lambda n: f"Tahap {n}")
    due_on = datetime.date(2024, 6, 30)

    class Meta:
        model = Milestone


class BudgetLineFactory(factory.django.DjangoModelFactory):
    program = factory.SubFactory(ProgramFactory)
    year = factory.Sequence(lambda n: 2000 + n % 100)
    source = "apbd"
    planned_amount = 1_250_000_000
    realised_amount = 1_000_000_000

    class Meta:
        model = BudgetLine


class IndicatorFactory(PublishedMixin):
    slug = factory.Sequence(lambda n: f"indicator-{n}")
    name_ind = factory.Sequence(lambda n: f"Indikator uji {n}")
    name_en = factory.Sequence(lambda n: f"Test indicator {n}")
    pillar = factory.LazyFunction(lambda: Pillar.objects.get(slug="governance"))
    unit = "%"
    owner_agency = factory.SubFactory(AgencyFactory)
    # Approved by the walidata, with its MS-Ind metadata: a published indicator is public by default.
    approval = "approved"
    concept = "Konsep uji"
    definition = "Definisi uji"
    interpretation = "Makin tinggi makin baik"
    method = "Jumlah dibagi total"
    measure = "Persentase"
    breakdown = "Menurut kecamatan"
    estimation_level = "Kota"

    class Meta:
        model = Indicator


class ProgramIndicatorFactory(factory.django.DjangoModelFactory):
    program = factory.SubFactory(ProgramFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    role = "outcome"

    class Meta:
        model = ProgramIndicator


class IndicatorTargetFactory(factory.django.DjangoModelFactory):
    indicator = factory.SubFactory(IndicatorFactory)
    year = factory.Sequence(lambda n: 2000 + n % 100)
    value = decimal.Decimal("80.00")

    class Meta:
        model = IndicatorTarget


class MeasurementFactory(factory.django.DjangoModelFactory):
    indicator = factory.SubFactory(IndicatorFactory)
    measured_on = factory.Sequence(lambda n: datetime.date(2020, 1, 1) + datetime.timedelta(days=n))
    value = decimal.Decimal("75.50")

    class Meta:
        model = Measurement


class DigitalServiceFactory(PublishedMixin):
    slug = factory.Sequence(lambda n: f"service-{n}")
    name = factory.Sequence(lambda n: f"Aplikasi {n}")
    pillar = factory.LazyFunction(lambda: Pillar.objects.get(slug="governance"))
    owner_agency = factory.SubFactory(AgencyFactory)
    status = "live"
    launched_year = 2018

    class Meta:
        model = DigitalService


class InfrastructureAssetFactory(PublishedMixin):
    kind = "wifi"
    name = factory.Sequence(lambda n: f"Wi-Fi publik {n}")
    latitude = decimal.Decimal("-0.992500")
    longitude = decimal.Decimal("100.364000")
    status = "active"

    class Meta:
        model = InfrastructureAsset


class ActivityFactory(factory.django.DjangoModelFactory):
    program = factory.SubFactory(ProgramFactory)
    year = 2024
    owner_agency = factory.LazyAttribute(lambda activity: activity.program.lead_agency)
    title_ind = factory.Sequence(lambda n: f"Kegiatan {n}")
    weight = 1
    target = "10 titik"

    class Meta:
        model = Activity


class DistrictFactory(factory.django.DjangoModelFactory):
    code = factory.Sequence(lambda n: f"13.71.{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Kecamatan uji {n}")

    class Meta:
        model = "pillars.District"
        django_get_or_create = ("code",)


class VillageFactory(factory.django.DjangoModelFactory):
    district = factory.SubFactory(DistrictFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.district.code}.{1000 + n % 9000:04d}")
    name = factory.Sequence(lambda n: f"Kelurahan uji {n}")

    class Meta:
        model = "pillars.Village"
        django_get_or_create = ("code",)


class FeedbackFactory(factory.django.DjangoModelFactory):
    """A citizen's message on a published program, waiting for moderation (as the public form leaves it)."""

    program = factory.SubFactory(ProgramFactory)
    message = factory.Sequence(lambda n: f"Wi-Fi di taman kota sering putus ({n}).")
    name = "Siti"
    contact = "siti@warga.example"
    message_digest = factory.Sequence(lambda n: f"{n:064x}")
    sender_digest = factory.Sequence(lambda n: f"{n + 1:064x}")

    class Meta:
        model = "pillars.Feedback"

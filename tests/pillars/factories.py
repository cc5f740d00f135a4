import factory

from pillars.models import Agency, Pillar, SubDimension


class PillarFactory(factory.django.DjangoModelFactory):
    """An extra pillar for tests that need more rows than the six the migration creates."""

    slug = factory.Sequence(lambda n: f"test-pillar-{n}")
    order = factory.Sequence(lambda n: 100 + n)
    name_id = factory.Sequence(lambda n: f"Pilar uji {n}")
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
    name_id = factory.Sequence(lambda n: f"Subdimensi {n}")
    name_en = factory.Sequence(lambda n: f"Sub-dimension {n}")

    class Meta:
        model = SubDimension


class AgencyFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    acronym = factory.Sequence(lambda n: f"DU{n}")
    slug = factory.Sequence(lambda n: f"dinas-uji-{n}")

    class Meta:
        model = Agency

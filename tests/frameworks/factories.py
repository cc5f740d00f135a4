from decimal import Decimal

import factory


class FrameworkFactory(factory.django.DjangoModelFactory):
    """A published framework on levels 1–5 with one domain, one aspect and two indicators weighted 40 and 60."""

    slug = factory.Sequence(lambda n: f"kerangka-{n}")
    name_ind = factory.Sequence(lambda n: f"Kerangka uji {n}")
    name_en = factory.Sequence(lambda n: f"Test framework {n}")
    issuing_body = "Kementerian Uji"
    publication = "published"

    class Meta:
        model = "frameworks.Framework"
        skip_postgeneration_save = True

    @factory.post_generation
    def structure(self, create, extracted, **kwargs):
        from frameworks.models import FrameworkAspect, FrameworkBand, FrameworkDomain, FrameworkIndicator

        domain = FrameworkDomain.objects.create(framework=self, code="d1", name_ind="Domain 1", order=1)
        aspect = FrameworkAspect.objects.create(framework=self, domain=domain, code="a1", name_ind="Aspek 1", order=1)
        for number, weight in ((1, 40), (2, 60)):
            name = f"Indikator {number}"
            FrameworkIndicator.objects.create(
                framework=self, aspect=aspect, number=number, name_ind=name, weight=weight
            )
        FrameworkBand.objects.create(
            framework=self, label_ind="Baik", label_en="Good", lower=Decimal(3), upper=Decimal(5)
        )


class SelfAssessmentFactory(factory.django.DjangoModelFactory):
    framework = factory.SubFactory(FrameworkFactory)
    year = factory.Sequence(lambda n: 2000 + n % 100)  # inside the year field's 2000–2100, however many ran before
    publication = "published"

    class Meta:
        model = "frameworks.SelfAssessment"


class ExternalIndexFactory(factory.django.DjangoModelFactory):
    slug = factory.Sequence(lambda n: f"indeks-{n}")
    name_ind = factory.Sequence(lambda n: f"Indeks uji {n}")
    publisher = "Kompas"
    scale_min = Decimal(0)
    scale_max = Decimal(100)
    decimals = 2
    publication = "published"

    class Meta:
        model = "frameworks.ExternalIndex"


class ExternalIndexValueFactory(factory.django.DjangoModelFactory):
    index = factory.SubFactory(ExternalIndexFactory)
    year = factory.Sequence(lambda n: 2000 + n % 100)  # inside the year field's 2000–2100, however many ran before
    value = Decimal("61.25")

    class Meta:
        model = "frameworks.ExternalIndexValue"

import datetime
import decimal

import factory

from partnerships.models import (
    Commitment,
    MoU,
    MoUParty,
    Partner,
    PartnerAPIKey,
    PartnerContact,
    ProgressReport,
    ScopeArea,
    WebhookDelivery,
    WebhookEndpoint,
)
from tests.factories import UserFactory


class PartnerFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"PT Mitra Uji {n}")
    slug = factory.Sequence(lambda n: f"mitra-uji-{n}")
    kind = "private"
    publication = "published"

    class Meta:
        model = Partner


class PartnerContactFactory(factory.django.DjangoModelFactory):
    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"Kontak {n}")
    email = factory.Sequence(lambda n: f"kontak{n}@mitra.example")

    class Meta:
        model = PartnerContact


class ScopeAreaFactory(factory.django.DjangoModelFactory):
    """An extra scope area beyond the eleven the migration creates."""

    slug = factory.Sequence(lambda n: f"scope-{n}")
    order = factory.Sequence(lambda n: 100 + n)
    name_ind = factory.Sequence(lambda n: f"Lingkup {n}")
    name_en = factory.Sequence(lambda n: f"Scope {n}")

    class Meta:
        model = ScopeArea


class MoUFactory(factory.django.DjangoModelFactory):
    """A published, signed MoU in force today, with one partner and one scope area."""

    slug = factory.Sequence(lambda n: f"mou-{n}")
    title_ind = factory.Sequence(lambda n: f"Nota kesepahaman uji {n}")
    state = "signed"
    signed_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))
    signed_place = "Padang"
    valid_from = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))
    valid_until = factory.LazyAttribute(lambda mou: mou.valid_from + datetime.timedelta(days=3 * 365))
    publication = "published"
    party = factory.RelatedFactory("tests.partnerships.factories.MoUPartyFactory", factory_related_name="mou")

    class Meta:
        model = MoU
        skip_postgeneration_save = True

    @factory.post_generation
    def scope_areas(self, create, extracted, **kwargs):
        self.scope_areas.set(extracted if extracted is not None else ScopeArea.objects.filter(slug="public-wifi"))


class MoUPartyFactory(factory.django.DjangoModelFactory):
    mou = factory.SubFactory(MoUFactory, party=None)
    partner = factory.SubFactory(PartnerFactory)
    signatory_name = "Direktur Uji"

    class Meta:
        model = MoUParty


def _party_partner(commitment):
    party = commitment.mou.parties.first()
    return party.partner if party else PartnerFactory()


class CommitmentFactory(factory.django.DjangoModelFactory):
    """A commitment of the MoU's (first) partner: 80 towers."""

    mou = factory.SubFactory(MoUFactory)
    partner = factory.LazyAttribute(_party_partner)
    description_ind = factory.Sequence(lambda n: f"Komitmen uji {n}")
    target_quantity = decimal.Decimal("80")
    unit_ind = "menara"
    unit_en = "towers"

    class Meta:
        model = Commitment


class ProgressReportFactory(factory.django.DjangoModelFactory):
    commitment = factory.SubFactory(CommitmentFactory)
    reported_on = datetime.date(2025, 1, 31)
    quantity_reached = decimal.Decimal("20")
    reported_by = factory.SubFactory(UserFactory)

    class Meta:
        model = ProgressReport


def make_key(partner, **fields) -> tuple[PartnerAPIKey, str]:
    """A key for `partner`; returns the row and the plain key (which only exists now)."""
    fields.setdefault("name", "Sistem mitra")
    return PartnerAPIKey.objects.create_key(partner=partner, **fields)


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    """A partner's endpoint on loopback (tests allow it with WEBHOOK_ALLOW_LOOPBACK), told of signed MoUs."""

    partner = factory.SubFactory(PartnerFactory)
    url = factory.Sequence(lambda n: f"http://127.0.0.1:8179/hooks/{n}")
    events = factory.LazyFunction(lambda: ["mou.signed"])
    secret = factory.LazyFunction(lambda: __import__("partnerships.webhooks").webhooks.new_secret())

    class Meta:
        model = WebhookEndpoint


class WebhookDeliveryFactory(factory.django.DjangoModelFactory):
    endpoint = factory.SubFactory(WebhookEndpointFactory)
    event_id = factory.Sequence(lambda n: f"msg_{n:032x}")
    event_type = "mou.signed"
    payload = factory.LazyFunction(lambda: {"type": "mou.signed", "data": {"id": 1}})

    class Meta:
        model = WebhookDelivery

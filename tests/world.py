"""A populated world for the crawls (the browsable API, the admin): the demo city, plus one row of each model the
demo leaves empty, loaded once per test module and rolled back after it."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from smartcity.management.commands.load_demo import demo_loaders
from tests.pillars.factories import VillageFactory


def fill_the_gaps() -> None:
    """One row of each model the admin shows that the demo city leaves empty (a key, a webhook, a pack...); a
    model that has rows already is left as it is."""
    from django.core.files.base import ContentFile

    from evaluations.models import EvaluationPack
    from federation.models import FollowedPortal, PortalSnapshot
    from frameworks.models import SelfAssessmentEvidence
    from frameworks.models.framework import SelfAssessmentScore
    from partnerships.models import Partner, PartnerAPIKey, WebhookDelivery
    from pillars.models import BaseMap, District, Village
    from pillars.services import base_map_create
    from tests.partnerships.factories import WebhookDeliveryFactory, make_key
    from tests.pillars import pmtiles

    def empty(model) -> bool:
        return not model._default_manager.exists()

    partner = Partner.objects.order_by("pk").first()
    if empty(Village):
        VillageFactory(district=District.objects.order_by("pk").first())
    if empty(WebhookDelivery):
        WebhookDeliveryFactory(endpoint__partner=partner)
    if empty(PartnerAPIKey):
        make_key(partner, name="Demo key")
    if empty(EvaluationPack):
        EvaluationPack.objects.create(
            evaluation=apps.get_model("evaluations", "Evaluation").objects.order_by("pk").first(),
            format=EvaluationPack._meta.get_field("format").choices[0][0],
            requested_by=get_user_model().objects.order_by("pk").first()
            or get_user_model().objects.create(username="demo"),
        )
    if empty(PortalSnapshot):
        portal = FollowedPortal.objects.order_by("pk").first()
        portal = portal or FollowedPortal.objects.create(name="Kota Contoh", base_url="http://127.0.0.1:9/")
        PortalSnapshot.objects.create(portal=portal, read_at=timezone.now(), ok=False, reason="refused")
    if empty(BaseMap):
        archive = ContentFile(pmtiles.archive(), name="padang.pmtiles")
        base_map_create(data={"name": "Peta dasar", "attribution": "© OpenStreetMap", "file": archive}, actor=None)
    if empty(SelfAssessmentEvidence):
        SelfAssessmentEvidence.objects.create(score=SelfAssessmentScore.objects.order_by("pk").first(), caption="Bukti")


def empty_admin_models() -> list[str]:
    """The models the admin registers that have no row (the login log's tables fill by themselves)."""
    return [
        model._meta.label
        for model in admin.site._registry
        if model._meta.app_label != "axes" and not model._default_manager.exists()
    ]


@pytest.fixture(scope="module")
def populated_world(django_db_setup, django_db_blocker):
    """The demo city and a row of each other model, in a transaction the module's tests share (each test's own
    transaction nests inside) and that is rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        for load in demo_loaders():  # the demo city without its open-data files, which no crawl reads
            load()
        fill_the_gaps()
        yield
        transaction.set_rollback(True)

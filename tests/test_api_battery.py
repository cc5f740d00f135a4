"""The battery every writable endpoint passes (issue 18): a happy-path create, update and, where the API allows it,
delete, each as the role that would do it, asserting the row changed in the database and the answer has the one
shape (the full form, every relation as its brief).

The endpoints come from the routers (tests/api_routes.py): a new writable endpoint without an entry in BATTERY
fails `test_every_writable_endpoint_has_a_battery_entry`."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from rest_framework.relations import ManyRelatedField

from partnerships.api.serializers import PartnerWithContactsSerializer, WebhookEndpointWithSecretSerializer
from partnerships.models import ScopeArea
from pillars.models import Pillar, SubDimension
from tests.api_routes import allows, assert_relations_are_briefs, model_of, writable_routes
from tests.evaluations.factories import EvaluationFactory, EvaluationSchemeFactory
from tests.snapshots import snapshot
from tests.test_permission_matrix import (
    DISK,
    EVAL,
    FRAMEWORK,
    HOOK_URL,
    INSTRUMENT,
    KEY_A,
    OPD,
    SCHEME,
    SURVEY,
    World,
    activity_data,
    budget_data,
    clarification_data,
    commitment_data,
    follow_up_data,
    indicator_data,
    link_data,
    measurement_data,
    milestone_data,
    mou_data,
    program_data,
    service_data,
    target_data,
)

pytestmark = pytest.mark.django_db

ADMINISTRATOR = "superuser"  # deletes official records (schemes, evaluations): the Administrator's permission alone


@dataclass
class Entry:
    actor: str  # creates and updates
    create: Callable  # world -> request body
    target: Callable  # world -> the row an update (and a delete) aims at
    changes: Callable | dict  # the update's body
    delete_actor: str | None = None  # None: as `actor`
    lookup: str = "pk"
    serializer: type | None = None  # the full form this actor reads, where it is not the viewset's default
    create_serializer: type | None = None  # the form a create answers, where it is not `serializer`'s

    def changes_for(self, world):
        return self.changes(world) if callable(self.changes) else self.changes


P, PA, EV = "pillars-api:", "partnerships-api:", "evaluations-api:"
BATTERY = {
    # pillars: an OPD editor keeps their own agency's portfolio; masterplans and assets are Diskominfo's
    f"{P}masterplan": Entry(
        DISK,
        lambda w: {"title": "Masterplan 2025-2030", "first_year": 2025, "last_year": 2030},
        lambda w: w.masterplan,
        {"regulation": "Perwako 12/2025"},
    ),
    f"{P}program": Entry(
        OPD,
        program_data("a"),
        lambda w: w.program("a"),
        lambda w: {
            "title_ind": "Diubah",
            "sub_dimensions": [w.program("a").pillar.sub_dimensions.first().pk],
            "indicators": [{"indicator": w.indicator("b").pk, "role": "outcome"}],
        },
        delete_actor=DISK,
        lookup="slug",
    ),
    f"{P}programindicator": Entry(
        OPD,
        link_data("a"),
        lambda w: w.program_indicator("a"),
        {"role": "output", "expected_value": "30", "expected_year": 2026, "note": "Diubah"},
    ),
    f"{P}milestone": Entry(OPD, milestone_data("a"), lambda w: w.milestone("a"), {"title_ind": "Tahap diubah"}),
    f"{P}budgetline": Entry(OPD, budget_data("a"), lambda w: w.budget_line("a"), {"realised_amount": "500"}),
    f"{P}indicator": Entry(
        OPD,
        indicator_data("a"),
        lambda w: w.indicator("a"),
        lambda w: {"unit": "poin", "pillar": Pillar.objects.get(slug="economy").pk},
        delete_actor=DISK,
        lookup="slug",
    ),
    f"{P}indicatortarget": Entry(OPD, target_data("a"), lambda w: w.target("a"), {"value": "75"}),
    f"{P}measurement": Entry(OPD, measurement_data("a"), lambda w: w.measurement("a"), {"value": "12"}),
    f"{P}digitalservice": Entry(
        OPD, service_data("a"), lambda w: w.service("a"), {"name": "Layanan diubah"}, delete_actor=DISK, lookup="slug"
    ),
    f"{P}district": Entry(
        DISK, lambda w: {"code": "13.71.12", "name": "Baru"}, lambda w: w.district, {"name": "Padang Timur Baru"}
    ),
    f"{P}village": Entry(
        DISK,
        lambda w: {"district": w.district.pk, "code": "13.71.04.1099", "name": "Baru"},
        lambda w: w.village,
        {"name": "Sawahan Timur"},
    ),
    f"{P}infrastructureasset": Entry(
        DISK,
        lambda w: {"kind": "wifi", "name": "Wi-Fi Pantai Air Manis", "operator": w.partner("a").pk},
        lambda w: w.asset("a"),
        lambda w: {"name": "Wi-Fi diubah", "program": w.program("a").pk},
    ),
    # partnerships: Diskominfo keeps the registry (no deletes in the API); a partner's key reports progress
    f"{PA}partner": Entry(
        DISK,
        lambda w: {"name": "Universitas Andalas", "slug": "unand", "kind": "university"},
        lambda w: w.partner("a"),
        {"website": "https://mitra.example/"},
        lookup="slug",
        serializer=PartnerWithContactsSerializer,  # Diskominfo sees the contact people too
    ),
    f"{PA}mou": Entry(
        DISK,
        mou_data,
        lambda w: w.mou("a"),
        lambda w: {"title_ind": "Diubah", "scope_areas": [ScopeArea.objects.get(slug="public-wifi").pk]},
        lookup="slug",
    ),
    f"{PA}commitment": Entry(DISK, commitment_data, lambda w: w.commitment("a"), {"target_quantity": "90"}),
    f"{PA}progressreport": Entry(
        KEY_A,
        lambda w: {"commitment": w.commitment("a").pk, "reported_on": "2025-01-15", "quantity_reached": "40"},
        lambda w: None,  # reports are not edited in the API
        {},
    ),
    # webhooks: a partner's key registers, changes and removes its own endpoints; the registration answers the secret
    f"{PA}webhookendpoint": Entry(
        KEY_A,
        lambda w: {"url": HOOK_URL, "events": ["mou.signed", "commitment.progress_reported"], "description": "ERP"},
        lambda w: w.webhook_endpoint("a"),
        {"events": ["mou.expiring"], "active": False},
        create_serializer=WebhookEndpointWithSecretSerializer,
    ),
    # evaluations: evaluators assess; Diskominfo keeps schemes and follow-ups; OPD editors report on their own
    f"{EV}evaluationscheme": Entry(
        DISK,
        lambda w: SCHEME,
        lambda w: w.evaluation.scheme,
        {"notes": "Diubah"},
        delete_actor=ADMINISTRATOR,
    ),
    f"{EV}evaluation": Entry(
        EVAL,
        lambda w: {"scheme": w.evaluation.scheme.pk, "year": 2023, "stage": "stage_1", "kind": "field_review"},
        lambda w: w.evaluation,
        lambda w: {
            "summary_ind": "Diubah",
            "pillar_scores": [{"pillar": Pillar.objects.get(slug="living").pk, "score": "3.10"}],
        },
        delete_actor=ADMINISTRATOR,
        lookup="slug",
    ),
    f"{EV}finding": Entry(
        EVAL,
        lambda w: {"evaluation": w.evaluation.pk, "kind": "weakness", "text_ind": "Temuan"},
        lambda w: w.finding,
        lambda w: {"text_ind": "Diubah", "pillar": Pillar.objects.get(slug="society").pk},
        delete_actor=DISK,
    ),
    f"{EV}followupaction": Entry(
        DISK, follow_up_data("a"), lambda w: w.follow_up("a"), {"note": "Sedang berjalan"}, delete_actor=DISK
    ),
    f"{EV}fieldvisit": Entry(
        EVAL,
        lambda w: {"evaluation": w.evaluation.pk, "visited_on": "2023-10-01", "site": "Pantai Air Manis"},
        lambda w: w.field_visit,
        lambda w: {"site": "Diubah", "agency": w.agency_a.pk},
        delete_actor=DISK,
    ),
    # evidence (issue 14): OPD editors plan and report their agency's activities; Diskominfo keeps the output
    # register, the survey and its entered responses; assessors ask for clarification
    f"{P}activity": Entry(OPD, activity_data("a"), lambda w: w.activity("a"), {"progress": 60}),
    f"{EV}legalinstrument": Entry(DISK, lambda w: INSTRUMENT, lambda w: w.legal_instrument, {"title_ind": "Diubah"}),
    f"{EV}survey": Entry(
        DISK, lambda w: SURVEY, lambda w: w.survey_target.survey, {"title_ind": "Diubah"}, lookup="slug"
    ),
    f"{EV}surveytarget": Entry(
        DISK,
        lambda w: {
            "survey": w.survey_target.survey.pk,
            "sub_dimension": SubDimension.objects.filter(pillar=w.service("a").pillar)
            .exclude(pk=w.survey_target.sub_dimension_id)
            .first()
            .pk,
            "service": w.service("a").pk,
        },
        lambda w: w.survey_target,
        lambda w: {"owner_agency": w.agency_a.pk},
    ),
    f"{EV}surveyresponse": Entry(
        DISK,
        lambda w: {"target": w.survey_target.pk, "answered_on": "2023-06-01", "answers": {"q1": 4}},
        lambda w: w.survey_response,
        {"answered_on": "2023-06-02"},
    ),
    f"{EV}clarificationrequest": Entry(
        EVAL,
        lambda w: {**clarification_data("a")(w), "pillar": Pillar.objects.get(slug="governance").pk},
        lambda w: w.clarification("a"),
        {"question": "Mohon bukti yang lain"},
        delete_actor=DISK,
    ),
    # frameworks and indices: Diskominfo keeps them; only the Administrator deletes a framework or a self-assessment
    f"{EV}framework": Entry(
        DISK, lambda w: FRAMEWORK, lambda w: w.framework, {"notes": "Diubah"}, delete_actor=ADMINISTRATOR, lookup="slug"
    ),
    f"{EV}selfassessment": Entry(
        DISK,
        lambda w: {"framework": w.framework.pk, "year": 2025},
        lambda w: w.self_assessment,
        {"summary_ind": "Diubah"},
        delete_actor=ADMINISTRATOR,
    ),
    f"{EV}externalindex": Entry(
        DISK,
        lambda w: {"slug": "ikc", "name_ind": "Indeks Kota Cerdas", "publisher": "Kompas", "scale_max": "100"},
        lambda w: w.external_index,
        {"publisher": "Kompas Gramedia"},
        lookup="slug",
    ),
    f"{EV}externalindexvalue": Entry(
        DISK,
        lambda w: {"index": w.external_index.pk, "year": 2024, "value": "60"},
        lambda w: w.external_index_value,
        {"value": "70"},
    ),
    # citizens write feedback through the public form; the owning agency moderates it here
    f"{P}feedback": Entry(
        OPD,
        lambda w: {},
        lambda w: w.feedback("a"),
        {"status": "published", "reply": "Terima kasih, sudah diperbaiki."},
        delete_actor=ADMINISTRATOR,  # a mistake only: the agencies reject, they do not delete
    ),
    f"{EV}followedportal": Entry(
        DISK,
        lambda w: {"name": "Kota Solok", "base_url": "http://36.66.2.2/"},
        lambda w: w.followed_portal,
        {"name": "Kota Bukittinggi (Sumbar)", "active": False},
    ),
}
# The OPD editor updates their agency's follow-up (Diskominfo creates it from the finding).
UPDATE_ACTORS = {f"{EV}followupaction": OPD}

ROUTES = writable_routes()
NAMES = sorted(BATTERY)


def test_every_writable_endpoint_has_a_battery_entry():
    assert sorted(ROUTES) == NAMES, "add the new endpoint to BATTERY (and the permission matrix)"


@pytest.fixture
def world(db, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True  # webhook endpoints on loopback (nothing is sent)
    return World()


def client_as(world, actor):
    if actor == ADMINISTRATOR:
        client = world.client(DISK, for_admin=False)
        client.force_login(world.superuser)
        return client
    return world.client(actor, for_admin=False)


def serializer_of(name, *, created=False):
    entry = BATTERY[name]
    return ((created and entry.create_serializer) or entry.serializer or ROUTES[name].serializer_class)()


def assert_full_shape(name, data: dict, *, created=False) -> None:
    """The answer is the record's full form, every relation as its brief."""
    serializer = serializer_of(name, created=created)
    assert set(data) == set(serializer.fields), sorted(set(data) ^ set(serializer.fields))
    assert_relations_are_briefs(serializer, data)


def assert_stored(name, row, body: dict) -> None:
    """Each field the body named holds, in the database, what the body gave (a relation: the id it named)."""
    serializer = serializer_of(name)
    for key, value in body.items():
        field = serializer.fields[key]
        if isinstance(field, ManyRelatedField):
            assert sorted(getattr(row, field.source).values_list("pk", flat=True)) == sorted(value), key
        elif hasattr(field, "related_model"):
            assert getattr(row, f"{field.source}_id") == value, key
        elif hasattr(field, "child"):  # rows written with the parent: as many as given
            assert getattr(row, field.source).count() == len(value), key
        else:
            assert field.to_internal_value(value) == getattr(row, field.source), key


def detail_url(name, row, lookup):
    return reverse(f"{name}-detail", args=[getattr(row, lookup)])


@pytest.mark.parametrize("name", NAMES)
def test_create(world, name):
    entry, viewset = BATTERY[name], ROUTES[name]
    if not allows(viewset, "post", "create"):
        pytest.skip("the API creates none")
    model, body = model_of(viewset), entry.create(world)
    count = model.objects.count()
    response = client_as(world, entry.actor).post(reverse(f"{name}-list"), body, format="json")
    assert response.status_code == 201, response.data
    assert model.objects.count() == count + 1
    assert_stored(name, model.objects.get(pk=response.data["id"]), body)
    assert_full_shape(name, response.data, created=True)


@pytest.mark.parametrize("name", NAMES)
def test_update(world, name):
    entry, viewset = BATTERY[name], ROUTES[name]
    if not allows(viewset, "patch", "partial_update"):
        pytest.skip("the API edits none")
    target, body = entry.target(world), entry.changes_for(world)
    before = snapshot(target)
    actor = UPDATE_ACTORS.get(name, entry.actor)
    response = client_as(world, actor).patch(detail_url(name, target, entry.lookup), body, format="json")
    assert response.status_code == 200, response.data
    assert snapshot(target)[1] != before[1], "the update changed nothing"
    assert_stored(name, type(target).objects.get(pk=target.pk), body)
    assert_full_shape(name, response.data)


@pytest.mark.parametrize("name", NAMES)
def test_delete(world, name):
    entry, viewset = BATTERY[name], ROUTES[name]
    if not allows(viewset, "delete", "destroy"):
        pytest.skip("the API deletes none: the admin removes mistakes")
    target = entry.target(world)
    if name == f"{EV}evaluationscheme":  # one no evaluation uses yet
        target = EvaluationSchemeFactory(year=2010)
    elif name == f"{EV}evaluation":  # one without scores, findings or visits: those go first, deliberately
        target = EvaluationFactory(scheme=world.evaluation.scheme, stage="stage_2")
    response = client_as(world, entry.delete_actor or entry.actor).delete(detail_url(name, target, entry.lookup))
    assert response.status_code == 204, getattr(response, "data", response)
    assert not type(target).objects.filter(pk=target.pk).exists()

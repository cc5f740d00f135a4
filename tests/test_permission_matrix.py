"""The permission matrix: every write of the API and of the admin, and every other admin door (history list and form,
revert, bulk delete, import dry run and confirm, export), by every kind of caller.

Actors: anonymous, a viewer, an OPD editor of agency A (writing A's and B's records), an evaluator, a Diskominfo
editor, partner A's API key (on A's and B's objects), an expired key and a revoked key of partner A. Each cell is
one write by one actor: it asserts the answer, and, when the write is refused, that no row of the three apps (or
their history) was added, removed or changed; when allowed, that something was written.

The world is built lazily (each cell creates only the rows its write touches), so the whole matrix stays fast.
The partnerships-only details (the key recorded on a report, hidden rows as 404) stay in
tests/partnerships/test_permissions.py.
"""

import datetime
import json
from dataclasses import dataclass
from functools import cached_property

import pytest
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from evaluations.models import EvaluationPack, FieldVisit, LegalInstrument
from federation.models import FollowedPortal, PortalSnapshot
from frameworks.models import ExternalIndex
from partnerships.models import PartnerAPIKey, ProgressReport, ScopeArea, WebhookDelivery, WebhookEndpoint
from partnerships.webhooks import new_secret, webhook_emit
from pillars.models import BaseMap, Boundary, District, Masterplan, Pillar, Program
from smartcity.roles import DISKOMINFO_EDITOR, EVALUATOR, OPD_EDITOR, VIEWER
from tests.evaluations.factories import (
    ClarificationRequestFactory,
    EvaluationFactory,
    EvaluationSchemeFactory,
    FieldVisitFactory,
    FindingFactory,
    FollowUpActionFactory,
    LegalInstrumentFactory,
    SurveyResponseFactory,
    SurveyTargetFactory,
)
from tests.factories import UserFactory
from tests.frameworks.factories import (
    ExternalIndexFactory,
    ExternalIndexValueFactory,
    FrameworkFactory,
    SelfAssessmentFactory,
)
from tests.partnerships.factories import CommitmentFactory, MoUFactory, PartnerFactory, make_key
from tests.pillars import pmtiles
from tests.pillars.factories import (
    ActivityFactory,
    AgencyFactory,
    BudgetLineFactory,
    DigitalServiceFactory,
    DistrictFactory,
    FeedbackFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
    InfrastructureAssetFactory,
    MasterplanFactory,
    MeasurementFactory,
    MilestoneFactory,
    ProgramFactory,
    ProgramIndicatorFactory,
    VillageFactory,
)
from tests.snapshots import changed_tables, snapshot

pytestmark = pytest.mark.django_db
User = get_user_model()

ANON, VIEWER_, OPD, EVAL, DISK, KEY_A, EXPIRED, REVOKED = ACTORS = [
    "anonymous", "viewer", "opd_editor_of_a", "evaluator", "diskominfo", "key_of_a", "expired_key", "revoked_key",
]  # fmt: skip
ROLES = {VIEWER_: VIEWER, OPD: OPD_EDITOR, EVAL: EVALUATOR, DISK: DISKOMINFO_EDITOR}
TODAY = datetime.date.today().isoformat()

# Admin outcomes, read from the answer: LOGIN = sent to the login page, SAVED = saved and sent on, INVALID = the
# form shown again with errors, MISSING = "not found" (outside the user's rows), back to the admin's index.
LOGIN, SAVED, INVALID, MISSING = "login", "saved", "invalid", "missing"


# --- the world ------------------------------------------------------------------------------------------------------
class World:
    """Agencies A and B, partners A and B, and one record of each kind, each made on first use."""

    @cached_property
    def agency_a(self):
        return AgencyFactory(slug="agency-a", name="Dinas A")

    @cached_property
    def agency_b(self):
        return AgencyFactory(slug="agency-b", name="Dinas B")

    def agency(self, side):
        return self.agency_a if side == "a" else self.agency_b

    def program(self, side):
        return self._once(f"program_{side}", lambda: ProgramFactory(lead_agency=self.agency(side)))

    def indicator(self, side):
        return self._once(f"indicator_{side}", lambda: IndicatorFactory(owner_agency=self.agency(side)))

    def milestone(self, side):
        return self._once(f"milestone_{side}", lambda: MilestoneFactory(program=self.program(side)))

    def program_indicator(self, side):
        return self._once(
            f"program_indicator_{side}",
            lambda: ProgramIndicatorFactory(program=self.program(side), indicator=self.indicator(side)),
        )

    def budget_line(self, side):
        return self._once(f"budget_{side}", lambda: BudgetLineFactory(program=self.program(side), year=2024))

    def target(self, side):
        return self._once(f"target_{side}", lambda: IndicatorTargetFactory(indicator=self.indicator(side), year=2024))

    def measurement(self, side):
        return self._once(f"measurement_{side}", lambda: MeasurementFactory(indicator=self.indicator(side)))

    def service(self, side):
        return self._once(f"service_{side}", lambda: DigitalServiceFactory(owner_agency=self.agency(side)))

    def asset(self, side):
        return self._once(f"asset_{side}", lambda: InfrastructureAssetFactory(operator=self.partner(side)))

    def unapproved_indicator(self, side, approval="draft"):
        return self._once(
            f"unapproved_{side}_{approval}",
            lambda: IndicatorFactory(owner_agency=self.agency(side), approval=approval, publication="draft"),
        )

    @cached_property
    def self_assessment(self):
        return SelfAssessmentFactory(year=2024)

    @cached_property
    def framework(self):
        return FrameworkFactory()

    @cached_property
    def external_index(self):
        return ExternalIndexFactory()

    @cached_property
    def external_index_value(self):
        return ExternalIndexValueFactory(index=self.external_index, year=2023)

    @cached_property
    def district(self):
        return DistrictFactory(code="13.71.04", name="Padang Timur")

    @cached_property
    def village(self):
        return VillageFactory(district=self.district, code="13.71.04.1001", name="Sawahan")

    def feedback(self, side):
        return self._once(f"feedback_{side}", lambda: FeedbackFactory(program=self.program(side)))

    @cached_property
    def followed_portal(self):
        from federation.services import FOLLOWED_PORTAL

        return FOLLOWED_PORTAL.create(data={"name": "Kota Bukittinggi", "base_url": "http://36.66.1.1/"}, actor=None)

    @cached_property
    def portal_snapshot(self):
        return PortalSnapshot.objects.create(portal=self.followed_portal, read_at=timezone.now(), ok=False, reason="x")

    @cached_property
    def masterplan(self):
        return MasterplanFactory()

    def partner(self, side):
        return self._once(f"partner_{side}", lambda: PartnerFactory(name=f"Mitra {side.upper()}"))

    def mou(self, side):
        return self._once(f"mou_{side}", lambda: MoUFactory(party__partner=self.partner(side)))

    @cached_property
    def draft_mou_a(self):
        return MoUFactory(state="draft", signed_on=None, signed_place="", party__partner=self.partner("a"))

    @cached_property
    def hidden_mou_b(self):
        return MoUFactory(party__partner=self.partner("b"), publication="draft")

    def commitment(self, side):
        return self._once(f"commitment_{side}", lambda: CommitmentFactory(mou=self.mou(side)))

    @cached_property
    def hidden_commitment_b(self):
        return CommitmentFactory(mou=self.hidden_mou_b)

    def webhook_endpoint(self, side):
        return self._once(
            f"webhook_{side}",
            lambda: WebhookEndpoint.objects.create(
                partner=self.partner(side), url=HOOK_URL, events=["mou.signed"], secret=new_secret()
            ),
        )

    def webhooks_at_cap(self, side):
        """Partner `side` with as many webhook endpoints as a partner may have."""
        return self._once(
            f"webhooks_at_cap_{side}",
            lambda: [
                WebhookEndpoint.objects.create(
                    partner=self.partner(side), url=f"{HOOK_URL}/{n}", events=["mou.signed"], secret=new_secret()
                )
                for n in range(settings.WEBHOOK_MAX_ENDPOINTS_PER_PARTNER)
            ],
        )

    @cached_property
    def webhook_delivery(self):
        endpoint = self.webhook_endpoint("a")
        webhook_emit(event_type="mou.signed", data={"id": 1}, partner_ids=[endpoint.partner_id])
        return WebhookDelivery.objects.get(endpoint=endpoint)

    @cached_property
    def evaluation(self):
        return EvaluationFactory(scheme=EvaluationSchemeFactory(year=2023))

    @cached_property
    def finding(self):
        return FindingFactory(evaluation=self.evaluation)

    def follow_up(self, side):
        return self._once(
            f"follow_up_{side}", lambda: FollowUpActionFactory(finding=self.finding, owner_agency=self.agency(side))
        )

    def activity(self, side):
        return self._once(
            f"activity_{side}", lambda: ActivityFactory(program=self.program(side), owner_agency=self.agency(side))
        )

    def clarification(self, side):
        return self._once(
            f"clarification_{side}",
            lambda: ClarificationRequestFactory(evaluation=self.evaluation, owner_agency=self.agency(side)),
        )

    @cached_property
    def survey_target(self):
        return SurveyTargetFactory(program=self.program("a"))

    @cached_property
    def legal_instrument(self):
        return LegalInstrumentFactory()

    @cached_property
    def survey_response(self):
        return SurveyResponseFactory(target=self.survey_target)

    @cached_property
    def pack(self):
        return EvaluationPack.objects.create(evaluation=self.evaluation, format="xlsx", requested_by=self.superuser)

    @cached_property
    def field_visit(self):
        return FieldVisitFactory(evaluation=self.evaluation)

    @cached_property
    def superuser(self):
        return UserFactory(is_staff=True, is_superuser=True)

    def _once(self, name, make):
        if name not in self.__dict__:
            self.__dict__[name] = make()
        return self.__dict__[name]

    def client(self, actor: str, *, for_admin: bool):
        """A client acting as `actor`: a logged-in staff member of the actor's role, or a partner's key."""
        client = CLIENTS["admin" if for_admin else "api"]
        client.logout()
        client.defaults.pop("HTTP_AUTHORIZATION", None)
        if actor in ROLES:
            user = UserFactory(is_staff=True)
            user.groups.add(Group.objects.get(name=ROLES[actor]))
            if actor == OPD:
                self.agency_a.members.add(user)
            client.force_login(user)
        elif actor != ANON:
            expired = {"expiry_date": timezone.now() - datetime.timedelta(minutes=1)}
            fields = {KEY_A: {}, EXPIRED: expired, REVOKED: {"revoked": True}}[actor]
            _, key = make_key(self.partner("a"), **fields)
            client.defaults["HTTP_AUTHORIZATION"] = f"Api-Key {key}"
        return client


# One client of each kind for the whole module: a new client loads the middleware again, and WhiteNoise's start-up
# (a scan of the static files) would cost more than the cell itself.
CLIENTS = {"admin": Client(), "api": APIClient()}


@pytest.fixture
def world(db, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True  # the webhook rows register loopback URLs (nothing is sent)
    return World()


# --- the writes -----------------------------------------------------------------------------------------------------
@dataclass
class Request:
    method: str
    url: str
    data: dict
    target: object = None  # the row an update or delete aims at


def api(name, *args):
    return reverse(name, args=args)


def create(url_name, data_of):
    return lambda w: Request("post", api(f"{url_name}-list"), data_of(w))


def update(url_name, target_of, data, lookup="pk"):
    def build(w):
        target = target_of(w)
        values = data(w) if callable(data) else data
        return Request("patch", api(f"{url_name}-detail", getattr(target, lookup)), values, target)

    return build


def delete(url_name, target_of, lookup="pk"):
    def build(w):
        target = target_of(w)
        return Request("delete", api(f"{url_name}-detail", getattr(target, lookup)), {}, target)

    return build


def post_to(url_of, data, target_of=None):
    def build(w):
        target = target_of(w) if target_of else None
        return Request("post", url_of(w), data(w) if callable(data) else data, target)

    return build


P, PA, EV = "pillars-api:", "partnerships-api:", "evaluations-api:"
KEYS_401 = {EXPIRED: 401, REVOKED: 401}


def api_staff_only(ok: int, **overrides) -> dict:
    """Only the Diskominfo editor may (answering `ok`); `overrides` name other actors' answers."""
    expected = {ANON: 401, VIEWER_: 403, OPD: 403, EVAL: 403, DISK: ok, KEY_A: 403} | KEYS_401
    return expected | {globals()[name]: status for name, status in overrides.items()}


def governance() -> int:
    """The API names a relation by id."""
    return Pillar.objects.get(slug="governance").pk


def program_data(side):
    return lambda w: {
        "slug": "program-baru",
        "title_ind": "Program baru",
        "pillar": governance(),
        "lead_agency": w.agency(side).pk,
        "first_year": 2024,
        "last_year": 2025,
    }


def link_data(side):
    """A link of the side's program to the other side's indicator: any visible indicator may be linked."""
    return lambda w: {"program": w.program(side).pk, "indicator": w.indicator("b" if side == "a" else "a").pk,
                      "role": "outcome"}  # fmt: skip


def nested_links(side):
    return lambda w: {"indicators": [{"indicator": w.indicator("a").pk, "role": "output"}]}


def milestone_data(side):
    return lambda w: {"program": w.program(side).pk, "title_ind": "Tahap baru", "due_on": "2025-06-30"}


def budget_data(side):
    return lambda w: {"program": w.program(side).pk, "year": 2030, "source": "apbd", "planned_amount": 1000}


def indicator_data(side):
    return lambda w: {
        "slug": "indikator-baru",
        "name_ind": "Indikator baru",
        "unit": "%",
        "owner_agency": w.agency(side).pk,
    }


def target_data(side):
    return lambda w: {"indicator": w.indicator(side).pk, "year": 2031, "value": "50"}


def measurement_data(side):
    return lambda w: {"indicator": w.indicator(side).pk, "measured_on": "2024-01-15", "value": "10"}


def service_data(side):
    return lambda w: {"slug": "layanan-baru", "name": "Layanan baru", "pillar": governance(),
                      "owner_agency": w.agency(side).pk}  # fmt: skip


def follow_up_data(side):
    return lambda w: {"finding": w.finding.pk, "owner_agency": w.agency(side).pk, "title_ind": "Tindak lanjut",
                      "due_on": "2099-01-01"}  # fmt: skip


def mou_data(w):
    return {
        "slug": "mou-baru",
        "title_ind": "MoU baru",
        "valid_from": "2025-01-01",
        "valid_until": "2027-12-31",
        "parties": [{"partner": w.partner("a").pk, "signatory_name": "Direktur"}],
        "scope_areas": [ScopeArea.objects.get(slug="cctv-integration").pk],
    }


def commitment_data(w):
    return {"mou": w.mou("a").pk, "partner": w.partner("a").pk, "description_ind": "Titik Wi-Fi publik",
            "target_quantity": "50", "unit_ind": "titik"}  # fmt: skip


def report_on(commitment_of):
    return post_to(
        lambda w: api(f"{PA}progressreport-list"),
        lambda w: {"commitment": commitment_of(w).pk, "reported_on": TODAY, "quantity_reached": "40"},
    )


def asset_status(side):
    return post_to(lambda w: api(f"{PA}infrastructureasset-status", w.asset(side).pk), {"status": "down"},
                   lambda w: w.asset(side))  # fmt: skip


def activity_data(side):
    return lambda w: {"program": w.program(side).pk, "year": 2024, "owner_agency": w.agency(side).pk,
                      "title_ind": "Kegiatan baru", "weight": "2"}  # fmt: skip


def clarification_data(side):
    return lambda w: {"evaluation": w.evaluation.pk, "pillar": _pillar_pk(), "owner_agency": w.agency(side).pk,
                      "question": "Mohon bukti", "due_on": "2099-01-01"}  # fmt: skip


def answer_to(side):
    return post_to(lambda w: api(f"{EV}clarificationrequest-answer", w.clarification(side).pk),
                   {"text": "Terlampir"}, lambda w: w.clarification(side))  # fmt: skip


INSTRUMENT = {"year": 2023, "kind": "decree", "number": "SK 9/2023", "issued_on": "2023-02-01",
              "title_ind": "Dewan Smart City", "forms_body": "council", "members": [{"name": "Wali Kota"}]}  # fmt: skip
SURVEY = {"year": 2023, "slug": "survei-baru", "title_ind": "Survei", "items": [{"code": "q1", "text_ind": "Puas"}]}


HOOK_URL = "http://127.0.0.1:8179/hook"


def webhook_data(side):
    return lambda w: {"url": HOOK_URL, "events": ["mou.signed"], "partner": w.partner(side).pk}


SCHEME = {"name": "Skema baru", "year": 2026, "issuing_body": "Kementerian Baru", "scale_max": "4",
          "dimensions": [{"code": "output", "name_ind": "Output", "weight": "100"}]}  # fmt: skip
CHANGED = {"title_ind": "Diubah"}
FRAMEWORK = {"slug": "pemdi-2025", "name_ind": "Indeks Pemdi", "issuing_body": "KemenPANRB",
             "domains": [{"code": "d", "name_ind": "D", "aspects": [{"code": "a", "name_ind": "A", "indicators": [
                 {"number": 1, "name_ind": "I", "weight": "100"}]}]}]}  # fmt: skip


def indicator_step(name, side, approval="draft"):
    return post_to(lambda w: api(f"{P}indicator-{name}", w.unapproved_indicator(side, approval).slug), {},
                   lambda w: w.unapproved_indicator(side, approval))  # fmt: skip


def assess(w):
    return {"scores": [{"indicator": 1, "assessor_level": 4}]}


API_WRITES = {
    # pillars: the OPD editor writes for agency A only; assets and masterplans are Diskominfo's
    "program create for A": (create(f"{P}program", program_data("a")), api_staff_only(201, OPD=201)),
    "program create for B": (create(f"{P}program", program_data("b")), api_staff_only(201)),
    "program update of A": (
        update(f"{P}program", lambda w: w.program("a"), CHANGED, "slug"),
        api_staff_only(200, OPD=200),
    ),
    "program update of B": (update(f"{P}program", lambda w: w.program("b"), CHANGED, "slug"), api_staff_only(200)),
    "program move A to B": (
        update(f"{P}program", lambda w: w.program("a"), lambda w: {"lead_agency": w.agency_b.pk}, "slug"),
        api_staff_only(200),
    ),
    "program delete of A": (delete(f"{P}program", lambda w: w.program("a"), "slug"), api_staff_only(204)),
    # program → indicator links: the program's lead agency links it (to any indicator it may see)
    "program indicator create for A": (create(f"{P}programindicator", link_data("a")), api_staff_only(201, OPD=201)),
    "program indicator create for B": (create(f"{P}programindicator", link_data("b")), api_staff_only(201)),
    "program indicator update of A": (
        update(f"{P}programindicator", lambda w: w.program_indicator("a"), {"role": "output"}),
        api_staff_only(200, OPD=200),
    ),
    "program indicator update of B": (
        update(f"{P}programindicator", lambda w: w.program_indicator("b"), {"role": "output"}),
        api_staff_only(200),
    ),
    "program indicator move A to B": (
        update(f"{P}programindicator", lambda w: w.program_indicator("a"), lambda w: {"program": w.program("b").pk}),
        api_staff_only(200),
    ),
    "program indicator delete of A": (
        delete(f"{P}programindicator", lambda w: w.program_indicator("a")),
        api_staff_only(204, OPD=204),
    ),
    "program indicator delete of B": (
        delete(f"{P}programindicator", lambda w: w.program_indicator("b")),
        api_staff_only(204),
    ),
    "program indicators (nested) of A": (
        update(f"{P}program", lambda w: w.program("a"), nested_links("a"), "slug"),
        api_staff_only(200, OPD=200),
    ),
    "program indicators (nested) of B": (
        update(f"{P}program", lambda w: w.program("b"), nested_links("b"), "slug"),
        api_staff_only(200),
    ),
    "milestone create for A": (create(f"{P}milestone", milestone_data("a")), api_staff_only(201, OPD=201)),
    "milestone create for B": (create(f"{P}milestone", milestone_data("b")), api_staff_only(201)),
    "milestone update of B": (update(f"{P}milestone", lambda w: w.milestone("b"), CHANGED), api_staff_only(200)),
    "milestone delete of A": (delete(f"{P}milestone", lambda w: w.milestone("a")), api_staff_only(204, OPD=204)),
    "milestone delete of B": (delete(f"{P}milestone", lambda w: w.milestone("b")), api_staff_only(204)),
    "budget line create for B": (create(f"{P}budgetline", budget_data("b")), api_staff_only(201)),
    "budget line update of A": (
        update(f"{P}budgetline", lambda w: w.budget_line("a"), {"realised_amount": 5}),
        api_staff_only(200, OPD=200),
    ),
    "budget line delete of B": (delete(f"{P}budgetline", lambda w: w.budget_line("b")), api_staff_only(204)),
    "indicator create for A": (create(f"{P}indicator", indicator_data("a")), api_staff_only(201, OPD=201)),
    "indicator update of B": (
        update(f"{P}indicator", lambda w: w.indicator("b"), {"unit": "poin"}, "slug"),
        api_staff_only(200),
    ),
    "indicator delete of A": (delete(f"{P}indicator", lambda w: w.indicator("a"), "slug"), api_staff_only(204)),
    "target create for B": (create(f"{P}indicatortarget", target_data("b")), api_staff_only(201)),
    "target delete of A": (delete(f"{P}indicatortarget", lambda w: w.target("a")), api_staff_only(204, OPD=204)),
    "measurement create for A": (create(f"{P}measurement", measurement_data("a")), api_staff_only(201, OPD=201)),
    "measurement create for B": (create(f"{P}measurement", measurement_data("b")), api_staff_only(201)),
    "measurement update of B": (
        update(f"{P}measurement", lambda w: w.measurement("b"), {"value": "1"}),
        api_staff_only(200),
    ),
    "service create for B": (create(f"{P}digitalservice", service_data("b")), api_staff_only(201)),
    "service update of A": (
        update(f"{P}digitalservice", lambda w: w.service("a"), {"name": "Diubah"}, "slug"),
        api_staff_only(200, OPD=200),
    ),
    "service delete of A": (delete(f"{P}digitalservice", lambda w: w.service("a"), "slug"), api_staff_only(204)),
    "asset create": (
        create(f"{P}infrastructureasset", lambda w: {"kind": "wifi", "name": "Wi-Fi baru"}),
        api_staff_only(201),
    ),
    "asset update": (
        update(f"{P}infrastructureasset", lambda w: w.asset("a"), {"name": "Diubah"}),
        api_staff_only(200),
    ),
    "asset delete": (delete(f"{P}infrastructureasset", lambda w: w.asset("a")), api_staff_only(204)),
    "masterplan create": (
        create(f"{P}masterplan", lambda w: {"title": "Masterplan baru", "first_year": 2025, "last_year": 2030}),
        api_staff_only(201),
    ),
    "masterplan update": (
        update(f"{P}masterplan", lambda w: w.masterplan, {"regulation": "Perwako 1"}),
        api_staff_only(200),
    ),
    "masterplan delete": (delete(f"{P}masterplan", lambda w: w.masterplan), api_staff_only(204)),
    # issue 15: the producing OPD submits its own indicators; Diskominfo (walidata) approves and keeps the areas
    "indicator submit of A": (indicator_step("submit", "a"), api_staff_only(200, OPD=200)),
    "indicator submit of B": (indicator_step("submit", "b"), api_staff_only(200)),
    "indicator approve of A": (indicator_step("approve", "a", "submitted"), api_staff_only(200)),
    "indicator send back of A": (
        post_to(
            lambda w: api(f"{P}indicator-send-back", w.unapproved_indicator("a", "submitted").slug),
            {"note": "Definisi belum lengkap"},
            lambda w: w.unapproved_indicator("a", "submitted"),
        ),
        api_staff_only(200),
    ),  # fmt: skip
    "indicator resubmit of A": (indicator_step("submit", "a", "sent_back"), api_staff_only(200, OPD=200)),
    # issue 25: MS-Ind complete. The producer's metadata change of an approved indicator is saved (and takes it back
    # to the walidata); a composite may name any agency's indicators as building blocks, only its own agency sets them
    "indicator metadata update of A": (
        update(f"{P}indicator", lambda w: w.indicator("a"), {"breakdown": "Menurut kelurahan"}, "slug"),
        api_staff_only(200, OPD=200),
    ),
    "indicator access of B": (
        update(f"{P}indicator", lambda w: w.indicator("b"), {"access": "terbatas"}, "slug"),
        api_staff_only(200),
    ),
    "indicator building blocks of A naming B's": (
        update(
            f"{P}indicator",
            lambda w: w.indicator("a"),
            lambda w: {"is_composite": True, "building_blocks": [w.indicator("b").pk]},
            "slug",
        ),
        api_staff_only(200, OPD=200),
    ),
    "indicator building blocks of B": (
        update(
            f"{P}indicator",
            lambda w: w.indicator("b"),
            lambda w: {"is_composite": True, "building_blocks": [w.indicator("a").pk]},
            "slug",
        ),
        api_staff_only(200),
    ),
    "district create": (create(f"{P}district", lambda w: {"code": "13.71.12", "name": "Baru"}), api_staff_only(201)),
    # partnerships: staff write; a partner's key only reports progress and sets its own assets' status
    "partner create": (
        create(f"{PA}partner", lambda w: {"name": "Universitas Andalas", "slug": "unand", "kind": "university"}),
        api_staff_only(201),
    ),
    "partner update of A": (
        update(f"{PA}partner", lambda w: w.partner("a"), {"website": "https://mitra.example/"}, "slug"),
        api_staff_only(200),
    ),
    "MoU create": (create(f"{PA}mou", mou_data), api_staff_only(201)),
    "MoU update of A": (update(f"{PA}mou", lambda w: w.mou("a"), {"title_ind": "Diubah"}, "slug"), api_staff_only(200)),
    "MoU sign": (
        post_to(
            lambda w: api(f"{PA}mou-sign", w.draft_mou_a.slug),
            {"signed_on": TODAY, "signed_place": "Padang"},
            lambda w: w.draft_mou_a,
        ),  # fmt: skip
        api_staff_only(200),
    ),
    "MoU terminate": (
        post_to(
            lambda w: api(f"{PA}mou-terminate", w.mou("a").slug),
            {"terminated_on": TODAY, "reason": "Selesai"},
            lambda w: w.mou("a"),
        ),  # fmt: skip
        api_staff_only(200),
    ),
    "commitment create": (create(f"{PA}commitment", commitment_data), api_staff_only(201)),
    "commitment update of A": (
        update(f"{PA}commitment", lambda w: w.commitment("a"), {"target_quantity": "90"}),
        api_staff_only(200),
    ),
    "progress report on A's commitment": (report_on(lambda w: w.commitment("a")), api_staff_only(201, KEY_A=201)),
    "progress report on B's commitment": (report_on(lambda w: w.commitment("b")), api_staff_only(201)),
    "progress report on B's hidden commitment": (
        report_on(lambda w: w.hidden_commitment_b),
        api_staff_only(201, KEY_A=400),  # named like a commitment that does not exist: 400 on the field
    ),
    "operated asset status of A": (asset_status("a"), api_staff_only(403, KEY_A=200)),
    "operated asset status of B": (asset_status("b"), api_staff_only(403)),
    # webhooks: a partner's key keeps its own endpoints (another partner's answer as missing); Diskominfo keeps all
    "webhook endpoint create for A": (
        create(f"{PA}webhookendpoint", webhook_data("a")),
        api_staff_only(201, KEY_A=201),
    ),
    "webhook endpoint create for B": (create(f"{PA}webhookendpoint", webhook_data("b")), api_staff_only(201)),
    "webhook endpoint create for A at its cap": (  # a 400 on `partner`, for staff and the partner's key alike
        create(f"{PA}webhookendpoint", lambda w: w.webhooks_at_cap("a") and webhook_data("a")(w)),
        api_staff_only(400, KEY_A=400),
    ),
    "webhook endpoint update of A": (
        update(f"{PA}webhookendpoint", lambda w: w.webhook_endpoint("a"), {"events": ["mou.expiring"]}),
        api_staff_only(200, KEY_A=200),
    ),
    "webhook endpoint update of B": (
        update(f"{PA}webhookendpoint", lambda w: w.webhook_endpoint("b"), {"active": False}),
        api_staff_only(200, KEY_A=404),
    ),
    "webhook endpoint delete of B": (
        delete(f"{PA}webhookendpoint", lambda w: w.webhook_endpoint("b")),
        api_staff_only(204, KEY_A=404),
    ),
    "webhook endpoint rotate secret of A": (
        post_to(
            lambda w: api(f"{PA}webhookendpoint-rotate-secret", w.webhook_endpoint("a").pk),
            {},
            lambda w: w.webhook_endpoint("a"),
        ),  # fmt: skip
        api_staff_only(200, KEY_A=200),
    ),
    "webhook endpoint rotate secret of B": (
        post_to(
            lambda w: api(f"{PA}webhookendpoint-rotate-secret", w.webhook_endpoint("b").pk),
            {},
            lambda w: w.webhook_endpoint("b"),
        ),  # fmt: skip
        api_staff_only(200, KEY_A=404),
    ),
    # evaluations: evaluators assess, Diskominfo keeps the schemes, OPD editors report on their agency's follow-ups
    "scheme create": (create(f"{EV}evaluationscheme", lambda w: SCHEME), api_staff_only(201)),
    "scheme update": (
        update(f"{EV}evaluationscheme", lambda w: w.evaluation.scheme, {"notes": "Diubah"}),
        api_staff_only(200),
    ),
    "scheme delete": (
        delete(f"{EV}evaluationscheme", lambda w: EvaluationSchemeFactory(year=2030)),
        api_staff_only(403),
    ),
    "evaluation create": (
        create(
            f"{EV}evaluation",
            lambda w: {"scheme": w.evaluation.scheme.pk, "year": 2023, "stage": "stage_1", "kind": "field_review"},
        ),  # fmt: skip
        api_staff_only(201, EVAL=201),
    ),
    "evaluation update": (
        update(f"{EV}evaluation", lambda w: w.evaluation, {"summary_ind": "Diubah"}, lookup="slug"),
        api_staff_only(200, EVAL=200),
    ),
    "evaluation delete": (delete(f"{EV}evaluation", lambda w: EvaluationFactory(), lookup="slug"), api_staff_only(403)),
    "finding create": (
        create(f"{EV}finding", lambda w: {"evaluation": w.evaluation.pk, "kind": "weakness", "text_ind": "Temuan"}),
        api_staff_only(201, EVAL=201),
    ),
    "finding update": (
        update(f"{EV}finding", lambda w: w.finding, {"text_ind": "Diubah"}),
        api_staff_only(200, EVAL=200),
    ),
    "finding delete": (delete(f"{EV}finding", lambda w: w.finding), api_staff_only(204)),
    "follow-up create for A": (create(f"{EV}followupaction", follow_up_data("a")), api_staff_only(201)),
    "follow-up update of A": (
        update(f"{EV}followupaction", lambda w: w.follow_up("a"), {"note": "Sedang berjalan"}),
        api_staff_only(200, OPD=200),
    ),
    "follow-up update of B": (
        update(f"{EV}followupaction", lambda w: w.follow_up("b"), {"note": "Sedang berjalan"}),
        api_staff_only(200),
    ),
    "follow-up hand A's to B": (
        update(f"{EV}followupaction", lambda w: w.follow_up("a"), lambda w: {"owner_agency": w.agency_b.pk}),
        api_staff_only(200),
    ),
    "follow-up delete of A": (delete(f"{EV}followupaction", lambda w: w.follow_up("a")), api_staff_only(204)),
    "field visit create": (
        create(
            f"{EV}fieldvisit",
            lambda w: {"evaluation": w.evaluation.pk, "visited_on": "2023-10-01", "site": "Pantai Air Manis"},
        ),  # fmt: skip
        api_staff_only(201, EVAL=201),
    ),
    "field visit update": (
        update(f"{EV}fieldvisit", lambda w: w.field_visit, {"site": "Diubah"}),
        api_staff_only(200, EVAL=200),
    ),
    "field visit delete": (delete(f"{EV}fieldvisit", lambda w: w.field_visit), api_staff_only(204)),
    # issue 14: the evidence. OPD editors plan and report their own agency's activities (another's is bad input,
    # a 400 naming the owner) and answer their own clarification requests; assessors ask and close; Diskominfo
    # keeps the output register and the survey; evaluators and Diskominfo ask for the pack.
    "activity create for A": (create(f"{P}activity", activity_data("a")), api_staff_only(201, OPD=201)),
    "activity create for B": (create(f"{P}activity", activity_data("b")), api_staff_only(201, OPD=400)),
    "activity report of A": (
        update(f"{P}activity", lambda w: w.activity("a"), {"progress": 60}),
        api_staff_only(200, OPD=200),
    ),
    "activity report of B": (
        update(f"{P}activity", lambda w: w.activity("b"), {"progress": 60}),
        api_staff_only(200, OPD=400),
    ),
    "activity delete of B": (delete(f"{P}activity", lambda w: w.activity("b")), api_staff_only(204, OPD=400)),
    "legal instrument create": (create(f"{EV}legalinstrument", lambda w: INSTRUMENT), api_staff_only(201)),
    "survey create": (create(f"{EV}survey", lambda w: SURVEY), api_staff_only(201)),
    "survey response create": (
        create(
            f"{EV}surveyresponse",
            lambda w: {"target": w.survey_target.pk, "answered_on": "2023-06-01", "answers": {"q1": 4}},
        ),
        api_staff_only(201),
    ),  # fmt: skip
    "clarification create for A": (
        create(f"{EV}clarificationrequest", clarification_data("a")),
        api_staff_only(201, EVAL=201),
    ),  # fmt: skip
    "clarification answer of A": (answer_to("a"), api_staff_only(200, OPD=200)),
    "clarification answer of B": (answer_to("b"), api_staff_only(200, OPD=404)),
    "clarification close of A": (
        post_to(
            lambda w: api(f"{EV}clarificationrequest-close", w.clarification("a").pk),
            {},
            lambda w: w.clarification("a"),
        ),
        api_staff_only(200, EVAL=200),
    ),  # fmt: skip
    "evaluation pack request": (
        post_to(lambda w: api(f"{EV}evaluation-pack", w.evaluation.slug), {"format": "xlsx"}),
        api_staff_only(202, EVAL=202),
    ),
    # frameworks: Diskominfo keeps them and fills the self-assessment; the evaluators (assessors) record their levels
    "framework create": (create(f"{EV}framework", lambda w: FRAMEWORK), api_staff_only(201)),
    "self-assessment create": (
        create(f"{EV}selfassessment", lambda w: {"framework": w.framework.pk, "year": 2025}),
        api_staff_only(201),
    ),
    "self-assessment update": (
        update(f"{EV}selfassessment", lambda w: w.self_assessment, {"scores": [{"indicator": 1, "self_level": 3}]}),
        api_staff_only(200),
    ),
    "self-assessment assess": (
        post_to(lambda w: api(f"{EV}selfassessment-assess", w.self_assessment.pk), assess, lambda w: w.self_assessment),
        api_staff_only(403, EVAL=200),
    ),
    "external index value create": (
        create(f"{EV}externalindexvalue", lambda w: {"index": w.external_index.pk, "year": 2024, "value": "60"}),
        api_staff_only(201),
    ),
    # citizen feedback: the owning agency moderates (a hidden row answers 404); citizens write through the public form
    "feedback publish of A": (
        update(f"{P}feedback", lambda w: w.feedback("a"), {"status": "published", "reply": "Terima kasih"}),
        api_staff_only(200, OPD=200),
    ),
    "feedback publish of B": (
        update(f"{P}feedback", lambda w: w.feedback("b"), {"status": "published"}),
        api_staff_only(200, OPD=404),
    ),
    "feedback create": (
        create(f"{P}feedback", lambda w: {"program": w.program("a").pk, "message": "Dari API"}),
        api_staff_only(403),
    ),
    "feedback delete of A": (delete(f"{P}feedback", lambda w: w.feedback("a")), api_staff_only(403)),
    # the provincial view: Diskominfo keeps the followed portals; snapshots are the harvest's alone
    "followed portal create": (
        create(f"{EV}followedportal", lambda w: {"name": "Kota Solok", "base_url": "http://36.66.2.2"}),
        api_staff_only(201),
    ),
    "followed portal update": (
        update(f"{EV}followedportal", lambda w: w.followed_portal, {"active": False}),
        api_staff_only(200),
    ),
    "followed portal delete": (delete(f"{EV}followedportal", lambda w: w.followed_portal), api_staff_only(204)),
    "portal snapshot delete": (delete(f"{EV}portalsnapshot", lambda w: w.portal_snapshot), api_staff_only(403)),
}


# --- the admin's forms ----------------------------------------------------------------------------------------------
def form_fields(form) -> dict:
    """What a browser sends for `form` as it is shown: every field's current value."""
    data = {}
    for name, field in form.fields.items():
        key, value = form.add_prefix(name), form[name].value()
        if isinstance(field, forms.FileField):
            continue
        if isinstance(field, forms.MultiValueField):
            parts = field.widget.decompress(value) if value else [None] * len(field.widget.widgets)
            suffixes = getattr(field.widget, "widgets_names", [f"_{i}" for i in range(len(parts))])
            data |= {
                f"{key}{suffix}": "" if part is None else str(part)
                for suffix, part in zip(suffixes, parts, strict=True)
            }
        elif isinstance(field, forms.BooleanField):
            if value:
                data[key] = "on"
        elif isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            data[key] = [str(item) for item in value or []]
        else:
            data[key] = "" if value is None else str(value)
    return data


def admin_form_data(world, model, obj=None, **overrides) -> dict:
    """The admin's add or change form of `model` (and its inlines) as a browser would post it back."""
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = world.superuser
    data = form_fields(model_admin.get_form(request, obj, change=obj is not None)(instance=obj))
    for formset_class, inline in model_admin.get_formsets_with_inlines(request, obj):
        formset = formset_class(instance=obj or model(), queryset=inline.get_queryset(request))
        initial = formset.initial_form_count()
        data[f"{formset.prefix}-TOTAL_FORMS"] = data[f"{formset.prefix}-INITIAL_FORMS"] = str(initial)
        for form in formset.forms[:initial]:
            data |= form_fields(form)
    return data | overrides


def admin_add(model, **fields):
    def build(w):
        values = {name: value(w) if callable(value) else value for name, value in fields.items()}
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        return Request("post", url, admin_form_data(w, model, **values))

    return build


def admin_change(target_of, **fields):
    def build(w):
        target = target_of(w)
        opts = target._meta
        values = {name: value(w) if callable(value) else value for name, value in fields.items()}
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[target.pk])
        return Request("post", url, admin_form_data(w, type(target), target, **values), target)

    return build


def admin_delete(target_of):
    def build(w):
        target = target_of(w)
        url = reverse(f"admin:{target._meta.app_label}_{target._meta.model_name}_delete", args=[target.pk])
        return Request("post", url, {"post": "yes"}, target)

    return build


def admin_action(model, action, target_of):
    """A bulk action of a change list, posted for the target row as the change list's form sends it."""

    def build(w):
        target = target_of(w)
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        return Request("post", url, {"action": action, "_selected_action": [target.pk]}, target)

    return build


def admin_staff_only(ok: str = SAVED, **overrides) -> dict:
    """Only the Diskominfo editor may; a partner's key opens no admin page (it is no login)."""
    expected = {ANON: LOGIN, VIEWER_: 403, OPD: 403, EVAL: 403, DISK: ok, KEY_A: LOGIN, EXPIRED: LOGIN, REVOKED: LOGIN}
    return expected | {globals()[name]: outcome for name, outcome in overrides.items()}


PROGRAM_NEW = {"slug": "program-baru", "title_ind": "Program baru", "pillar": lambda w: _pillar_pk(),
               "first_year": "2024", "last_year": "2025"}  # fmt: skip


# One new row of the program form's indicator inline (the form carries no row yet: TOTAL_FORMS 1, INITIAL 0).
INLINE_LINK = {"indicator_links-TOTAL_FORMS": "1", "indicator_links-0-indicator": lambda w: str(w.indicator("b").pk),
               "indicator_links-0-role": "outcome"}  # fmt: skip


def _outline_file():
    ring = [[100.3, -0.9], [100.4, -0.9], [100.4, -0.8], [100.3, -0.9]]
    return SimpleUploadedFile("padang.geojson", json.dumps({"type": "Polygon", "coordinates": [ring]}).encode())


def _basemap_file():
    return SimpleUploadedFile("padang.pmtiles", pmtiles.archive())


def _pillar_pk():
    return str(governance())


ADMIN_WRITES = {
    "admin program add for A": (
        admin_add(Program, **PROGRAM_NEW, lead_agency=lambda w: str(w.agency_a.pk)),
        admin_staff_only(OPD=SAVED),
    ),
    "admin program add for B": (
        admin_add(Program, **PROGRAM_NEW, lead_agency=lambda w: str(w.agency_b.pk)),
        admin_staff_only(OPD=INVALID),  # B is not among the OPD editor's choices
    ),
    "admin program change of A": (
        admin_change(lambda w: w.program("a"), title_ind="Diubah"),
        admin_staff_only(OPD=SAVED),
    ),
    "admin program change of B": (
        admin_change(lambda w: w.program("b"), title_ind="Diubah"),
        admin_staff_only(OPD=MISSING),  # B's programs are outside the OPD editor's rows
    ),
    "admin program delete of A": (admin_delete(lambda w: w.program("a")), admin_staff_only()),
    "admin program link indicator of A": (
        admin_change(lambda w: w.program("a"), **INLINE_LINK),
        admin_staff_only(OPD=SAVED),
    ),
    "admin program link indicator of B": (
        admin_change(lambda w: w.program("b"), **INLINE_LINK),
        admin_staff_only(OPD=MISSING),  # B's programs are outside the OPD editor's rows
    ),
    "admin program change a link of A": (
        admin_change(lambda w: w.program_indicator("a").program, **{"indicator_links-0-role": "output"}),
        admin_staff_only(OPD=SAVED),
    ),
    "admin agency B members": (
        admin_change(lambda w: w.agency_b, members=lambda w: [str(w.superuser.pk)]),
        admin_staff_only(),
    ),
    "admin asset change": (admin_change(lambda w: w.asset("a"), name="Diubah"), admin_staff_only()),
    "admin masterplan add": (
        admin_add(Masterplan, title="Masterplan baru", first_year="2025", last_year="2030"),
        admin_staff_only(),
    ),
    "admin map boundary add": (
        admin_add(Boundary, name="Kota Padang", kind="city", upload=lambda w: _outline_file()),
        admin_staff_only(),
    ),
    "admin base map add": (
        admin_add(BaseMap, name="OSM Padang", attribution="© OpenStreetMap", file=lambda w: _basemap_file()),
        admin_staff_only(),  # Diskominfo only: an OPD editor may look at it, not upload it
    ),
    "admin partner change of A": (admin_change(lambda w: w.partner("a"), short_name="Diubah"), admin_staff_only()),
    "admin MoU change of A": (admin_change(lambda w: w.mou("a"), title_ind="Diubah"), admin_staff_only()),
    "admin MoU delete of A": (admin_delete(lambda w: w.mou("a")), admin_staff_only(403)),
    "admin commitment change of A": (
        admin_change(lambda w: w.commitment("a"), target_quantity="90"),
        admin_staff_only(),
    ),
    "admin progress report add": (
        admin_add(
            ProgressReport,
            commitment=lambda w: str(w.commitment("a").pk),
            reported_on=TODAY,
            quantity_reached="10",
        ),  # fmt: skip
        admin_staff_only(),
    ),
    "admin API key add for A": (
        admin_add(PartnerAPIKey, partner=lambda w: str(w.partner("a").pk), name="Kunci baru"),
        admin_staff_only(),
    ),
    "admin webhook endpoint add for A": (
        admin_add(WebhookEndpoint, partner=lambda w: str(w.partner("a").pk), url=HOOK_URL, events=["mou.signed"]),
        admin_staff_only(),
    ),
    "admin webhook endpoint add for A at its cap": (
        admin_add(
            WebhookEndpoint,
            partner=lambda w: w.webhooks_at_cap("a") and str(w.partner("a").pk),
            url=HOOK_URL,
            events=["mou.signed"],
        ),  # fmt: skip
        admin_staff_only(INVALID),
    ),
    "admin webhook endpoint switched on again": (
        admin_change(lambda w: w.webhook_endpoint("a"), active="on", description="Hidup lagi"),
        admin_staff_only(),
    ),
    "admin webhook endpoint rotate secret": (
        admin_action(WebhookEndpoint, "rotate_secret", lambda w: w.webhook_endpoint("a")),
        admin_staff_only(),
    ),
    "admin webhook delivery replay": (
        admin_action(WebhookDelivery, "replay", lambda w: w.webhook_delivery),
        admin_staff_only(),
    ),
    "admin evaluation change": (
        admin_change(lambda w: w.evaluation, summary_ind="Diubah"),
        admin_staff_only(EVAL=SAVED),
    ),
    "admin evaluation delete": (admin_delete(lambda w: EvaluationFactory()), admin_staff_only(403)),
    "admin finding delete": (admin_delete(lambda w: w.finding), admin_staff_only()),
    "admin follow-up change of A": (
        admin_change(lambda w: w.follow_up("a"), note="Sedang berjalan"),
        admin_staff_only(OPD=SAVED),
    ),
    "admin follow-up change of B": (
        admin_change(lambda w: w.follow_up("b"), note="Sedang berjalan"),
        admin_staff_only(),
    ),
    "admin activity change of A": (
        admin_change(lambda w: w.activity("a"), progress="70"),
        admin_staff_only(OPD=SAVED),
    ),
    "admin activity change of B": (
        admin_change(lambda w: w.activity("b"), progress="70"),
        admin_staff_only(OPD=MISSING),  # B's activities are outside the OPD editor's rows
    ),
    "admin legal instrument add": (
        admin_add(
            LegalInstrument,
            year="2023",
            kind="regulation",
            number="Perwal 3/2023",
            issued_on="2023-01-02",
            title_ind="Perwal Smart City",
        ),
        admin_staff_only(),
    ),  # fmt: skip
    "admin district add": (admin_add(District, code="13.71.12", name="Baru"), admin_staff_only()),
    "admin framework change": (admin_change(lambda w: w.framework, notes="Diubah"), admin_staff_only()),
    "admin self-assessment change": (
        admin_change(lambda w: w.self_assessment, summary_ind="Diubah"),
        admin_staff_only(),
    ),
    "admin external index add": (
        admin_add(
            ExternalIndex,
            slug="ikci",
            name_ind="IKCI",
            publisher="Kompas",
            scale_min="0",
            scale_max="100",
            decimals="2",
            publication="published",
        ),
        admin_staff_only(),
    ),  # fmt: skip
    "admin field visit add": (
        admin_add(FieldVisit, evaluation=lambda w: str(w.evaluation.pk), visited_on="2023-10-01", site="Pantai"),
        admin_staff_only(EVAL=SAVED),
    ),
    "admin feedback publish of A": (
        admin_change(lambda w: w.feedback("a"), status="published", reply="Terima kasih"),
        admin_staff_only(OPD=SAVED),
    ),
    "admin feedback publish of B": (
        admin_change(lambda w: w.feedback("b"), status="published"),
        admin_staff_only(OPD=MISSING),  # B's feedback is outside the OPD editor's rows
    ),
    "admin followed portal add": (
        admin_add(FollowedPortal, name="Kota Solok", base_url="http://36.66.2.2/", active="on"),
        admin_staff_only(),
    ),
    "admin followed portal add on a private address": (
        admin_add(FollowedPortal, name="Metadata", base_url="http://169.254.169.254/", active="on"),
        admin_staff_only(INVALID),
    ),
    "admin followed portal change": (admin_change(lambda w: w.followed_portal, name="Diubah"), admin_staff_only()),
    # issue 22: only who may add users (the Administrator) adds staff; the account, role and agency come together
    "admin add staff as OPD editor of B": (
        post_to(
            lambda w: reverse("admin:auth_user_add_staff"),
            lambda w: {"name": "Staf Baru", "email": "baru@kota.example", "role": OPD_EDITOR, "agency": w.agency_b.pk},
            lambda w: w.agency_b,
        ),
        admin_staff_only(403),
    ),
    "admin add staff as administrator": (
        post_to(
            lambda w: reverse("admin:auth_user_add_staff"),
            {"name": "Staf Baru", "email": "baru@kota.example", "role": "Administrator"},
        ),
        admin_staff_only(403),
    ),
    "admin user made superuser": (
        admin_change(lambda w: UserFactory(is_staff=True), is_superuser="on"),
        admin_staff_only(403),
    ),
}


# --- the matrix -----------------------------------------------------------------------------------------------------
def admin_errors(response) -> str:
    """The errors an admin form was shown again with, for the failure message."""
    context = response.context or {}
    return str(context.get("errors", "")) if response.status_code == 200 else ""


def admin_outcome(response):
    if response.status_code != 302:
        return INVALID if response.status_code == 200 else response.status_code
    location = response["Location"]
    if location.startswith(reverse("admin:login")):
        return LOGIN
    return MISSING if location == reverse("admin:index") else SAVED


CELLS = [(write, actor, False) for write in API_WRITES for actor in ACTORS]
CELLS += [(write, actor, True) for write in ADMIN_WRITES for actor in ACTORS]


@pytest.mark.parametrize(("write", "actor", "for_admin"), CELLS, ids=[f"{w} · {a}" for w, a, _ in CELLS])
def test_write(world, write, actor, for_admin):
    build, expected = (ADMIN_WRITES if for_admin else API_WRITES)[write]
    client = world.client(actor, for_admin=for_admin)
    request = build(world)
    before = snapshot(request.target)
    kwargs = {} if for_admin else {"format": "json"}
    response = getattr(client, request.method)(request.url, request.data, **kwargs)
    outcome = admin_outcome(response) if for_admin else response.status_code
    detail = admin_errors(response) if for_admin else getattr(response, "data", "")
    assert outcome == expected[actor], detail
    if outcome in (SAVED, 200, 201, 202, 204):
        assert snapshot(request.target) != before, "an allowed write changed nothing"
        return
    after = snapshot(request.target)
    assert after[1] == before[1], "a refused write changed the row"
    assert not changed_tables(before, after), "a refused write added or removed rows"
    if not for_admin:
        # a 400 (bad input, e.g. another agency's activity) names the field in `errors`
        assert set(response.data) == ({"code", "detail", "errors"} if outcome == 400 else {"code", "detail"})
        if outcome == 401:
            assert response["WWW-Authenticate"] == "Api-Key"


# --- the admin's other doors: history, revert, bulk actions, import and export --------------------------------------
# Outcomes of a read door: SHOWN (200), 404, 403, LOGIN. Of a write door: SAVED, INVALID, 404, 403, LOGIN, or, for doors
# that answer with a redirect whatever happened (a bulk action, an import's confirm), what became of the target row:
# GONE / KEPT (bulk delete), WRITTEN / KEPT (import). An import's dry run is OFFERED (a confirm form) or REFUSED (row
# errors); an export lists the target's row (WITH) or not (WITHOUT).
SHOWN, GONE, KEPT, WRITTEN, OFFERED, REFUSED, WITH, WITHOUT, PUBLISHED = (
    "shown", "gone", "kept", "written", "offered", "refused", "with", "without", "published",
)  # fmt: skip
# The rows each door is tried on: agency-scoped rows of A and B, and the partnerships rows only staff keep.
DOOR_TARGETS = {
    "program of A": lambda w: w.program("a"),
    "program of B": lambda w: w.program("b"),
    "indicator of B": lambda w: w.indicator("b"),
    "measurement of B": lambda w: w.measurement("b"),
    "budget line of B": lambda w: w.budget_line("b"),
    "service of B": lambda w: w.service("b"),
    "follow-up of B": lambda w: w.follow_up("b"),
    "MoU of A": lambda w: w.mou("a"),
    "commitment of A": lambda w: w.commitment("a"),
}
IMPORTABLE = ["program of A", "program of B", "indicator of B", "measurement of B", "budget line of B", "service of B"]
# A text field an import or a revert changes on each kind of row.
CHANGEABLE = {"program": "title_ind", "indicator": "name_ind", "measurement": "source_note", "budgetline": "note",
              "digitalservice": "name", "followupaction": "note", "mou": "title_ind",
              "commitment": "description_ind", "followedportal": "name"}  # fmt: skip


def _admin_url(target, view, *args):
    opts = target._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def history_list(target_of):
    return lambda w: Request("get", _admin_url(target_of(w), "history", target_of(w).pk), {}, target_of(w))


def history_form(target_of):
    def build(w):
        target = target_of(w)
        return Request(
            "get", _admin_url(target, "simple_history", target.pk, target.history.first().history_id), {}, target
        )

    return build


def history_revert(target_of):
    """Post the form of the row's first version back with one field changed, as a browser would."""

    def build(w):
        target = target_of(w)
        field = CHANGEABLE[target._meta.model_name]
        data = admin_form_data(w, type(target), target, **{field: "Dipulihkan"})
        url = _admin_url(target, "simple_history", target.pk, target.history.first().history_id)
        return Request("post", url, data, target)

    return build


def bulk_delete(target_of):
    def build(w):
        target = target_of(w)
        data = {"action": "delete_selected", "_selected_action": [target.pk], "post": "yes"}
        return Request("post", _admin_url(target, "changelist"), data, target)

    return build


def _import_file(target):
    """The target's row as the admin exports it, with one text field changed: what an editor would re-import."""
    model_admin = admin.site._registry[type(target)]
    dataset = model_admin.get_export_resource_classes(None)[0]().export(
        queryset=type(target).objects.filter(pk=target.pk)
    )
    field = CHANGEABLE[target._meta.model_name]
    dataset.append_col(["Diimpor"], header=f"{field}__new")
    dataset.headers[dataset.headers.index(field)] = f"{field}__old"
    dataset.headers[-1] = field
    return SimpleUploadedFile("rows.csv", dataset.export("csv").encode(), content_type="text/csv")


def import_dry_run(target_of):
    def build(w):
        target = target_of(w)
        return Request(
            "post", _admin_url(target, "import"), {"import_file": _import_file(target), "format": "0"}, target
        )

    return build


def import_confirm(target_of):
    """The confirm step, posted with a file that passed a dry run (a Diskominfo editor's): the rules run again."""

    def build(w):
        target = target_of(w)
        client = Client()
        client.force_login(w.superuser)
        page = client.post(_admin_url(target, "import"), {"import_file": _import_file(target), "format": "0"})
        confirm = page.context["confirm_form"].initial
        return Request("post", _admin_url(target, "process_import"), dict(confirm), target)

    return build


EXPORT_MARK = "Penanda-ekspor-7f3a"  # set on the target row, so an export that lists it shows it


def export(target_of):
    """The export form posted with every column ticked, as its page offers it."""

    def build(w):
        target = target_of(w)
        client = Client()
        client.force_login(w.superuser)
        form = client.get(_admin_url(target, "export")).context["form"]
        data = {name: "on" for name, field in form.fields.items() if isinstance(field, forms.BooleanField)}
        type(target).objects.filter(pk=target.pk).update(**{CHANGEABLE[target._meta.model_name]: EXPORT_MARK})
        return Request("post", _admin_url(target, "export"), {**data, "format": "0", "resource": "0"}, target)

    return build


def door_outcome(kind, response, target):
    if response.status_code == 302 and response["Location"].startswith(reverse("admin:login")):
        return LOGIN
    if response.status_code in (403, 404):
        return response.status_code
    present = type(target).objects.filter(pk=target.pk).exists()
    if kind == "bulk":
        return GONE if not present else KEPT
    if kind == "publish":
        return PUBLISHED if type(target).objects.get(pk=target.pk).status == "published" else KEPT
    if kind == "confirm":
        field = CHANGEABLE[target._meta.model_name]
        return WRITTEN if getattr(type(target).objects.get(pk=target.pk), field) == "Diimpor" else KEPT
    if kind == "dry-run":
        return OFFERED if response.context and response.context.get("confirm_form") else REFUSED
    if kind == "export":
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return WITH if EXPORT_MARK in body.decode() else WITHOUT
    if kind == "read":
        return SHOWN if response.status_code == 200 else response.status_code
    if kind == "survey-dry-run":
        return OFFERED if response.context.get("key") else REFUSED if response.context.get("problems") else INVALID
    if kind == "survey-confirm":
        return WRITTEN if target.responses.exists() else KEPT
    if kind == "approval":
        return type(target).objects.get(pk=target.pk).approval
    return admin_outcome(response)


def outcomes(**by_actor) -> dict:
    """Every actor's outcome: a partner's key (no login) and anonymous callers go to the login page."""
    expected = {ANON: LOGIN, KEY_A: LOGIN, EXPIRED: LOGIN, REVOKED: LOGIN}
    return expected | {globals()[name]: outcome for name, outcome in by_actor.items()}


DOORS = {}
for _name, _target in DOOR_TARGETS.items():
    _staff_only = _name.startswith(("MoU", "commitment"))  # partnerships rows: Diskominfo keeps them, never deletes
    _own = _name.endswith("of A") and not _staff_only  # a row of the OPD editor's own agency
    # OPD editors read every follow-up (they are told what other agencies owe) but change only their own.
    _opd_read = SHOWN if _own or _staff_only or _name.startswith("follow-up") else 404
    _opd_revert = SAVED if _own else (404 if _opd_read == 404 else 403)
    DOORS[f"history list of {_name}"] = ("read", history_list(_target),
                                         outcomes(VIEWER_=SHOWN, OPD=_opd_read, EVAL=SHOWN, DISK=SHOWN))  # fmt: skip
    DOORS[f"history form of {_name}"] = ("read", history_form(_target),
                                         outcomes(VIEWER_=SHOWN, OPD=_opd_read, EVAL=SHOWN, DISK=SHOWN))  # fmt: skip
    DOORS[f"revert of {_name}"] = ("write", history_revert(_target),
                                   outcomes(VIEWER_=403, OPD=_opd_revert, EVAL=403, DISK=SAVED))  # fmt: skip
    _deleted = KEPT if _staff_only else GONE
    DOORS[f"bulk delete of {_name}"] = ("bulk", bulk_delete(_target),
                                        outcomes(VIEWER_=KEPT, OPD=KEPT, EVAL=KEPT, DISK=_deleted))  # fmt: skip
for _name in IMPORTABLE:
    _own = _name.endswith("of A")
    DOORS[f"import dry run of {_name}"] = ("dry-run", import_dry_run(DOOR_TARGETS[_name]),
                                           outcomes(VIEWER_=403, OPD=OFFERED if _own else REFUSED, EVAL=403,
                                                    DISK=OFFERED))  # fmt: skip
    DOORS[f"import confirm of {_name}"] = ("confirm", import_confirm(DOOR_TARGETS[_name]),
                                           outcomes(VIEWER_=403, OPD=WRITTEN if _own else KEPT, EVAL=403,
                                                    DISK=WRITTEN))  # fmt: skip
    DOORS[f"export of {_name}"] = ("export", export(DOOR_TARGETS[_name]),
                                   outcomes(VIEWER_=WITH, OPD=WITH if _own else WITHOUT, EVAL=WITH,
                                            DISK=WITH))  # fmt: skip


def bulk_publish(target_of):
    def build(w):
        target = target_of(w)
        data = {"action": "publish_selected", "_selected_action": [target.pk]}
        return Request("post", _admin_url(target, "changelist"), data, target)

    return build


# Followed portals (the provincial view): every staff role reads them, only Diskominfo changes or removes them.
_portal = lambda w: w.followed_portal  # noqa: E731
DOORS["history list of followed portal"] = ("read", history_list(_portal),
                                            outcomes(VIEWER_=SHOWN, OPD=SHOWN, EVAL=SHOWN, DISK=SHOWN))  # fmt: skip
DOORS["revert of followed portal"] = ("write", history_revert(_portal),
                                      outcomes(VIEWER_=403, OPD=403, EVAL=403, DISK=SAVED))  # fmt: skip
DOORS["bulk delete of followed portal"] = ("bulk", bulk_delete(_portal),
                                           outcomes(VIEWER_=KEPT, OPD=KEPT, EVAL=KEPT, DISK=GONE))  # fmt: skip

# Citizen feedback: the bulk publish action, through the writer, on the OPD editor's own agency's rows only.
DOORS["bulk publish of feedback of A"] = ("publish", bulk_publish(lambda w: w.feedback("a")),
                                          outcomes(VIEWER_=403, OPD=PUBLISHED, EVAL=403, DISK=PUBLISHED))  # fmt: skip
DOORS["bulk publish of feedback of B"] = ("publish", bulk_publish(lambda w: w.feedback("b")),
                                          outcomes(VIEWER_=403, OPD=KEPT, EVAL=403, DISK=PUBLISHED))  # fmt: skip


# The walidata's steps on an indicator's change page (issue 22): the same services as the API's actions. The outcome is
# the indicator's approval state after the post; a refusal leaves it as it was.
def approval_step(step, side, approval, note=None):
    def build(w):
        target = w.unapproved_indicator(side, approval)
        url = reverse("admin:pillars_indicator_approval", args=[target.pk, step])
        return Request("post", url, {} if note is None else {"note": note}, target)

    return build


DOORS["approve of submitted indicator of A"] = ("approval", approval_step("approve", "a", "submitted"),
                                                outcomes(VIEWER_=403, OPD=403, EVAL=403, DISK="approved"))  # fmt: skip
DOORS["approve of draft indicator of A"] = ("approval", approval_step("approve", "a", "draft"),
                                            outcomes(VIEWER_=403, OPD=403, EVAL=403, DISK="draft"))  # fmt: skip
DOORS["send back of submitted indicator of A"] = ("approval", approval_step("send_back", "a", "submitted", "Ubah"),
                                                  outcomes(VIEWER_=403, OPD=403, EVAL=403,
                                                           DISK="sent_back"))  # fmt: skip
DOORS["send back without a reason"] = ("approval", approval_step("send_back", "a", "submitted", " "),
                                       outcomes(VIEWER_=403, OPD=403, EVAL=403, DISK="submitted"))  # fmt: skip
DOORS["resubmit of sent-back indicator of A"] = ("approval", approval_step("submit", "a", "sent_back"),
                                                 outcomes(VIEWER_=403, OPD="submitted", EVAL=403,
                                                          DISK="submitted"))  # fmt: skip
DOORS["resubmit of sent-back indicator of B"] = ("approval", approval_step("submit", "b", "sent_back"),
                                                 outcomes(VIEWER_=403, OPD=404, EVAL=403,
                                                          DISK="submitted"))  # fmt: skip


# Survey responses imported on the survey's page (issue 22): the dry run offers a confirm or lists the bad rows; the
# confirm imports only a file this session checked (a key from another session imports nothing).
SURVEY_FILE = "respondent,answered_on,q1,q2,q3\nA,2023-06-01,5,4,3\n"


def survey_import(text):
    def build(w):
        target = w.survey_target
        url = reverse("admin:evaluations_survey_import_responses", args=[target.survey_id])
        upload = SimpleUploadedFile("responses.csv", text.encode(), content_type="text/csv")
        return Request("post", url, {"target": target.pk, "import_file": upload}, target)

    return build


def survey_confirm_of_another_session(w):
    target = w.survey_target
    url = reverse("admin:evaluations_survey_import_responses", args=[target.survey_id])
    checker = Client()
    checker.force_login(w.superuser)
    upload = SimpleUploadedFile("responses.csv", SURVEY_FILE.encode(), content_type="text/csv")
    key = checker.post(url, {"target": target.pk, "import_file": upload}).context["key"]
    return Request("post", url, {"key": key, "confirm": "1"}, target)


DOORS["survey import dry run"] = ("survey-dry-run", survey_import(SURVEY_FILE),
                                  outcomes(VIEWER_=403, OPD=403, EVAL=403, DISK=OFFERED))  # fmt: skip
DOORS["survey import dry run with a bad row"] = ("survey-dry-run", survey_import(SURVEY_FILE + "B,2023-06-01,9,9,9\n"),
                                                 outcomes(VIEWER_=403, OPD=403, EVAL=403, DISK=REFUSED))  # fmt: skip
DOORS["survey import confirm of another session"] = ("survey-confirm", survey_confirm_of_another_session,
                                                     outcomes(VIEWER_=403, OPD=403, EVAL=403, DISK=KEPT))  # fmt: skip


# A scheme copied into a new year (issue 22), through the scheme's writer; a year that has it already is a form error.
def scheme_copy(year):
    def build(w):
        scheme = w.evaluation.scheme
        return Request("post", reverse("admin:evaluations_evaluationscheme_copy", args=[scheme.pk]), {"year": year},
                       scheme)  # fmt: skip

    return build


DOORS["scheme copy to a new year"] = ("write", scheme_copy("2024"),
                                      outcomes(VIEWER_=403, OPD=403, EVAL=403, DISK=SAVED))  # fmt: skip
DOORS["scheme copy to its own year"] = ("write", scheme_copy("2023"),
                                        outcomes(VIEWER_=403, OPD=403, EVAL=403, DISK=INVALID))  # fmt: skip


def admin_step(view, target_of, data):
    """A POST to one of the admin's step doors (evaluations/evidence_admin.py) on the target row."""

    def build(w):
        target = target_of(w)
        return Request("post", _admin_url(target, view, target.pk), data, target)

    return build


# Issue 22: the evaluation steps' admin doors, through the API's services. The owning agency (and Diskominfo) answer a
# clarification request, another agency's OPD editor does not find it; the assessors close it; evaluators and
# Diskominfo build the pack; only the Administrator (not an actor here: tests/evaluations/test_admin_doors.py) submits
# past blocking gaps.
_request_a, _request_b = (lambda w: w.clarification("a")), (lambda w: w.clarification("b"))  # noqa: E731
DOORS["admin answer of clarification of A"] = ("write", admin_step("answer", _request_a, {"text": "Terlampir"}),
                                              outcomes(VIEWER_=403, OPD=SAVED, EVAL=403, DISK=SAVED))  # fmt: skip
DOORS["admin answer of clarification of B"] = ("write", admin_step("answer", _request_b, {"text": "Terlampir"}),
                                              outcomes(VIEWER_=403, OPD=404, EVAL=403, DISK=SAVED))  # fmt: skip
DOORS["admin close of clarification of A"] = ("write", admin_step("close", _request_a, {}),
                                             outcomes(VIEWER_=403, OPD=403, EVAL=SAVED, DISK=SAVED))  # fmt: skip
DOORS["admin evaluation pack build"] = ("write", admin_step("pack", lambda w: w.evaluation, {}),
                                        outcomes(VIEWER_=403, OPD=403, EVAL=SAVED, DISK=SAVED))  # fmt: skip
DOORS["admin readiness override"] = ("write", admin_step("override", lambda w: w.evaluation, {"reason": "Tenggat"}),
                                     outcomes(VIEWER_=403, OPD=403, EVAL=403, DISK=403))  # fmt: skip


# Issue 22: the invitation sent again to staff who never chose a password, a bulk action of the user list through the
# add-staff form's service; only the Administrator (not an actor here: tests/admin/test_add_staff.py) may.
def _invited(w):
    return w._once("invited", lambda: UserFactory(is_staff=True, email="diundang@kota.example", password=None))


DOORS["re-send invitation to invited staff"] = ("write", admin_action(User, "resend_invitation", _invited),
                                              outcomes(VIEWER_=403, OPD=403, EVAL=403, DISK=403))  # fmt: skip


# A framework's official text loaded from a JSON file in the admin (issue 25: the Indeks Pemdi, once the office has
# it), through the same loader as `load_framework`: all or nothing, and a bad file changes nothing.
def framework_upload(*weights):
    def build(w):
        target = w.framework
        indicators = [{"number": n, "name_ind": f"I{n}", "weight": str(v)} for n, v in enumerate(weights, start=1)]
        data = {"slug": target.slug, "name_ind": target.name_ind, "issuing_body": "KemenPANRB", "notes": "Dari berkas",
                "domains": [{"code": "d1", "name_ind": "D", "aspects": [{"code": "a1", "name_ind": "A",
                                                                         "indicators": indicators}]}]}  # fmt: skip
        upload = SimpleUploadedFile("pemdi.json", json.dumps(data).encode(), content_type="application/json")
        return Request("post", reverse("admin:frameworks_framework_load"), {"file": upload}, target)

    return build


DOORS["framework load from a file"] = ("write", framework_upload(30, 70),
                                       outcomes(VIEWER_=403, OPD=403, EVAL=403, DISK=SAVED))  # fmt: skip
DOORS["framework load of a file whose weights add up to 90"] = ("write", framework_upload(30, 60),
                                                                outcomes(VIEWER_=403, OPD=403, EVAL=403,
                                                                         DISK=INVALID))  # fmt: skip

DOOR_CELLS = [(door, actor) for door in DOORS for actor in ACTORS]


@pytest.mark.parametrize(("door", "actor"), DOOR_CELLS, ids=[f"{d} · {a}" for d, a in DOOR_CELLS])
def test_admin_door(world, door, actor):
    kind, build, expected = DOORS[door]
    request = build(world)
    client = world.client(actor, for_admin=True)
    before = snapshot(request.target)
    response = getattr(client, request.method)(request.url, request.data)
    outcome = door_outcome(kind, response, request.target)
    assert outcome == expected[actor], admin_errors(response)
    moved = kind == "approval" and isinstance(outcome, str) and outcome not in (LOGIN, request.target.approval)
    if outcome in (SAVED, GONE, WRITTEN, PUBLISHED) or moved:
        assert snapshot(request.target) != before, "an allowed write changed nothing"
        return
    after = snapshot(request.target)
    assert after[1] == before[1], "a refused write (or a read) changed the row"
    assert not changed_tables(before, after), "a refused write (or a read) added or removed rows"

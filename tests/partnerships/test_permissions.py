"""The permission matrix: every write of the partnerships API, by every kind of caller.

Actors: anonymous, staff (Diskominfo editor), OPD editor, partner A's key, partner B's key, an expired key and a
revoked key of partner A. A refused write leaves no history row anywhere (every model is history-tracked).
"""

import datetime

import pytest
from django.urls import reverse

from partnerships.models import Commitment, MoU, MoUParty, Partner, ProgressReport, ScopeArea

from .factories import MoUFactory

pytestmark = pytest.mark.django_db

ACTORS = ["anonymous", "staff", "opd_editor", "partner_a", "partner_b", "expired_key", "revoked_key"]
TODAY = datetime.date.today().isoformat()


def history_rows() -> int:
    return sum(model.history.count() for model in (MoU, MoUParty, Commitment, ProgressReport, Partner))


def url(name, *args):
    return reverse(f"partnerships-api:{name}", args=args)


def report_on(commitment_attr):
    def request(world):
        commitment = getattr(world, commitment_attr)
        return (
            "post",
            url("progressreport-list"),
            {"commitment": commitment.pk, "reported_on": TODAY, "quantity_reached": "40"},
        )

    return request


def mou_create(world):
    data = {
        "slug": "mou-baru",
        "title_ind": "MoU baru",
        "valid_from": "2025-01-01",
        "valid_until": "2027-12-31",
        "parties": [{"partner": world.partner_a.pk, "signatory_name": "Direktur"}],
        "scope_areas": [ScopeArea.objects.get(slug="cctv-integration").pk],
    }
    return "post", url("mou-list"), data


def mou_update(world):
    return "patch", url("mou-detail", world.mou_a.slug), {"title_ind": "Judul diubah"}


def mou_sign(world):
    draft = MoUFactory(state="draft", signed_on=None, party__partner=world.partner_a)
    return "post", url("mou-sign", draft.slug), {"signed_on": TODAY, "signed_place": "Padang"}


def mou_terminate(world):
    return "post", url("mou-terminate", world.mou_a.slug), {"terminated_on": TODAY, "reason": "Tidak dilanjutkan"}


def commitment_create(world):
    data = {
        "mou": world.mou_a.pk,
        "partner": world.partner_a.pk,
        "description_ind": "Titik Wi-Fi publik",
        "target_quantity": "50",
        "unit_ind": "titik",
    }
    return "post", url("commitment-list"), data


def commitment_update(world):
    return "patch", url("commitment-detail", world.commitment_a.pk), {"target_quantity": "90"}


def partner_create(world):
    return "post", url("partner-list"), {"name": "Universitas Andalas", "slug": "unand", "kind": "university"}


def partner_update(world):
    return "patch", url("partner-detail", world.partner_a.slug), {"website": "https://mitra.example/"}


ANON, STAFF, OPD, PA, PB, EX, RV = ACTORS
REFUSED_KEYS = {EX: 401, RV: 401}
MATRIX = {
    # write: {actor: expected status}
    "report on A's commitment": (
        report_on("commitment_a"),
        {ANON: 401, STAFF: 201, OPD: 403, PA: 201, PB: 403} | REFUSED_KEYS,
    ),
    "report on B's hidden commitment": (
        report_on("hidden_commitment_b"),
        # A hidden commitment is named like one that does not exist: a 400 on the field, not a hint it is there.
        {ANON: 401, STAFF: 201, OPD: 403, PA: 400, PB: 201} | REFUSED_KEYS,
    ),
    "create an MoU": (mou_create, {ANON: 401, STAFF: 201, OPD: 403, PA: 403, PB: 403} | REFUSED_KEYS),
    "change an MoU": (mou_update, {ANON: 401, STAFF: 200, OPD: 403, PA: 403, PB: 403} | REFUSED_KEYS),
    "sign an MoU": (mou_sign, {ANON: 401, STAFF: 200, OPD: 403, PA: 403, PB: 403} | REFUSED_KEYS),
    "terminate an MoU": (mou_terminate, {ANON: 401, STAFF: 200, OPD: 403, PA: 403, PB: 403} | REFUSED_KEYS),
    "create a commitment": (commitment_create, {ANON: 401, STAFF: 201, OPD: 403, PA: 403, PB: 403} | REFUSED_KEYS),
    "change a commitment": (commitment_update, {ANON: 401, STAFF: 200, OPD: 403, PA: 403, PB: 403} | REFUSED_KEYS),
    "create a partner": (partner_create, {ANON: 401, STAFF: 201, OPD: 403, PA: 403, PB: 403} | REFUSED_KEYS),
    "change a partner": (partner_update, {ANON: 401, STAFF: 200, OPD: 403, PA: 403, PB: 403} | REFUSED_KEYS),
}
CASES = [(write, actor) for write in MATRIX for actor in ACTORS]


@pytest.mark.parametrize(("write", "actor"), CASES, ids=[f"{w}-{a}" for w, a in CASES])
def test_write_permission_matrix(world, act_as, write, actor):
    build, expected = MATRIX[write]
    method, target, data = build(world)
    client = act_as(actor)
    before = history_rows()
    response = getattr(client, method)(target, data)
    assert response.status_code == expected[actor], response.data
    if expected[actor] >= 400:
        assert history_rows() == before, "a refused write changed something"
        assert set(response.data) == ({"code", "detail", "errors"} if expected[actor] == 400 else {"code", "detail"})
        if expected[actor] == 401:
            assert response["WWW-Authenticate"] == "Api-Key"
    else:
        assert history_rows() > before


def test_a_partner_report_records_the_key_and_no_user(world, act_as):
    response = act_as("partner_a").post(*report_on("commitment_a")(world)[1:])
    report = ProgressReport.objects.get(pk=response.data["id"])
    assert report.reported_by is None and report.reported_by_key == world.key_rows["partner_a"]
    assert response.data["reported_with_key"] is True and response.data["progress_percent"] == 50


@pytest.mark.parametrize(
    ("actor", "hidden_visible"),
    [("anonymous", False), ("partner_a", False), ("partner_b", True), ("staff", True), ("opd_editor", True)],
)
def test_another_partners_unpublished_records_are_404_and_unlisted(world, act_as, actor, hidden_visible):
    client = act_as(actor)
    for detail, listing, hidden in [
        (url("mou-detail", world.hidden_mou_b.slug), url("mou-list"), world.hidden_mou_b.slug),
        (url("commitment-detail", world.hidden_commitment_b.pk), url("commitment-list"), world.hidden_commitment_b.pk),
    ]:
        assert client.get(detail).status_code == (200 if hidden_visible else 404)
        listed = [row.get("slug", row["id"]) for row in client.get(listing).data["results"]]
        assert (hidden in listed) is hidden_visible
        assert client.get(listing).status_code == 200  # everything public stays readable


def test_partner_key_reads_its_own_unpublished_partner_record_but_not_the_contacts(world, act_as):
    Partner.objects.filter(pk=world.partner_a.pk).update(publication="draft")
    client = act_as("partner_a")
    response = client.get(url("partner-detail", world.partner_a.slug))
    assert response.status_code == 200 and "contacts" not in response.data
    assert client.get(url("partner-detail", world.partner_b.slug)).status_code == 200
    Partner.objects.filter(pk=world.partner_b.pk).update(publication="draft")
    assert client.get(url("partner-detail", world.partner_b.slug)).status_code == 404


def test_partner_key_reads_other_apps_public_data_but_cannot_write_there(world, act_as):
    client = act_as("partner_a")
    assert client.get(reverse("pillars-api:pillar-list")).status_code == 200
    assert client.post(reverse("pillars-api:pillar-list"), {"slug": "x"}).status_code == 403

"""Every door of the partnerships app goes through the model's writer (partnerships/services.py): the admin's
change forms, inlines, history reverts and deletes, the API and its filters. Each refusal leaves no row, no field
and no history changed (tests/snapshots.py)."""

import datetime

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from partnerships.models import Commitment, MoU, MoUParty, PartnerAPIKey, ProgressReport, ScopeArea
from partnerships.services import COMMITMENT, MOU_PARTY, PARTNER_API_KEY
from smartcity.roles import DISKOMINFO_EDITOR, OPD_EDITOR
from tests.snapshots import changed_tables, snapshot

from .factories import CommitmentFactory, MoUFactory, MoUPartyFactory, PartnerFactory, make_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_user):
    def make(role: str = DISKOMINFO_EDITOR, **fields):
        user = make_user(is_staff=True, **fields)
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


def url(obj, view: str, *args) -> str:
    opts = obj._meta
    with translation.override("en"):
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk, *args])


def form_values(form) -> dict:
    """What a browser sends back for one form as the page rendered it."""
    data = {}
    for name, field in form.fields.items():
        key, value = form.add_prefix(name), form[name].value()
        if isinstance(field.widget, forms.MultiWidget):
            parts = field.widget.decompress(value) if value else [None] * len(field.widget.widgets)
            data |= {
                f"{key}{suffix}": "" if part is None else str(part)
                for suffix, part in zip(field.widget.widgets_names, parts, strict=True)
            }
        elif isinstance(field, forms.BooleanField):
            if value:
                data[key] = "on"
        elif isinstance(field, forms.FileField):
            continue
        elif isinstance(value, list | tuple):
            data[key] = [str(item) for item in value]
        else:
            data[key] = "" if value is None else str(value)
    return data


def opened(client, page: str) -> dict:
    """Open an admin form page (change form or history version) and return what saving it unchanged would post."""
    response = client.get(page)
    assert response.status_code == 200
    data = form_values(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets") or []:
        formset = inline.formset
        data |= {formset.add_prefix(k): str(v) for k, v in formset.management_form.initial.items()}
        data[formset.add_prefix("TOTAL_FORMS")] = str(formset.initial_form_count())
        for form in formset.initial_forms:
            data |= form_values(form)
    return data


def refused_unchanged(before, target) -> None:
    after = snapshot(target)
    assert changed_tables(before, after) == set() and after[1] == before[1]


def form_errors(response) -> str:
    """Every error the admin page shows: main form, inline rows, inline non-form errors."""
    assert response.status_code == 200, response.get("Location")
    texts = [str(response.context["adminform"].form.errors)]
    for inline in response.context.get("inline_admin_formsets") or []:
        texts += [str(inline.formset.non_form_errors()), *(str(f.errors) for f in inline.formset.forms)]
    return " ".join(texts)


# --- Commitment -----------------------------------------------------------------------------------------------------
def test_the_standalone_commitment_admin_refuses_a_partner_who_is_not_a_party(client, staff):
    commitment, outsider = CommitmentFactory(), PartnerFactory(name="Bukan Pihak")
    client.force_login(staff())
    data = opened(client, url(commitment, "change"))
    before = snapshot(commitment)
    response = client.post(url(commitment, "change"), data | {"partner": outsider.pk})
    assert "The partner is not a party of this MoU." in form_errors(response)  # was saved (302)
    refused_unchanged(before, commitment)
    with translation.override("en"):
        add = reverse("admin:partnerships_commitment_add")
    response = client.post(add, data | {"partner": outsider.pk, "row_version": ""})
    assert "The partner is not a party of this MoU." in form_errors(response)
    refused_unchanged(before, commitment)
    assert client.post(add, data | {"row_version": "", "description_ind": "Kedua"}).status_code == 302
    assert Commitment.objects.filter(description_ind="Kedua", partner=commitment.partner).exists()


def test_a_commitment_revert_that_would_break_the_party_rule_is_a_form_error(client, staff):
    mou = MoUFactory()
    first, second = mou.parties.get(), MoUPartyFactory(mou=mou)
    commitment = CommitmentFactory(mou=mou, partner=first.partner)
    old_version = commitment.history.first().history_id
    editor = staff()
    COMMITMENT.update(instance=commitment, data={"partner": second.partner}, actor=editor)
    MOU_PARTY.delete(instance=first, actor=editor)  # allowed: the first partner has no commitment left
    client.force_login(editor)
    data = opened(client, url(commitment, "simple_history", old_version))
    assert data["partner"] == str(first.partner_id)
    before = snapshot(commitment)
    response = client.post(url(commitment, "simple_history", old_version), data)
    assert "The partner is not a party of this MoU." in form_errors(response)
    refused_unchanged(before, commitment)
    MoUParty.objects.create(mou=mou, partner=first.partner)  # a party again: the same revert now goes through
    response = client.post(
        url(commitment, "simple_history", old_version), opened(client, url(commitment, "simple_history", old_version))
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.partner == first.partner and commitment.history.first().history_user == editor


def test_a_stale_commitment_save_is_a_form_error_naming_who_changed_it(client, staff, make_user):
    commitment = CommitmentFactory(target_quantity=80)
    first, second = staff(username="rina"), staff(username="budi")
    client.force_login(second)
    stale = opened(client, url(commitment, "change"))
    client.force_login(first)
    assert (
        client.post(
            url(commitment, "change"), opened(client, url(commitment, "change")) | {"target_quantity": "90"}
        ).status_code
        == 302
    )
    client.force_login(second)
    before = snapshot(commitment)
    response = client.post(url(commitment, "change"), stale | {"description_ind": "Ditimpa"})
    assert "rina changed this record" in form_errors(response)
    refused_unchanged(before, commitment)
    commitment.refresh_from_db()
    assert commitment.target_quantity == 90 and commitment.description_ind != "Ditimpa"


def test_commitment_history_is_read_only_for_read_only_roles_and_closed_to_others(client, staff, make_user):
    commitment = CommitmentFactory()
    version = commitment.history.first().history_id
    client.force_login(make_user(is_staff=True))  # no partnerships permission at all
    assert client.get(url(commitment, "history")).status_code == 403
    assert client.get(url(commitment, "simple_history", version)).status_code == 403
    client.force_login(staff(OPD_EDITOR))  # partnerships are city-wide: read-only roles see every row's history
    assert client.get(url(commitment, "history")).status_code == 200
    data = opened(client, url(commitment, "simple_history", version))
    before = snapshot(commitment)
    assert client.post(url(commitment, "simple_history", version), data | {"description_ind": "X"}).status_code == 403
    refused_unchanged(before, commitment)


# --- MoU ----------------------------------------------------------------------------------------------------------
def test_the_mou_admin_refuses_to_drop_a_party_that_still_has_commitments(client, staff):
    commitment = CommitmentFactory()
    mou = commitment.mou
    client.force_login(staff())
    data = opened(client, url(mou, "change"))
    before = snapshot(mou)
    response = client.post(url(mou, "change"), data | {"parties-0-DELETE": "on", "title_ind": "Diubah"})
    assert "still has commitments under this MoU" in form_errors(response)
    refused_unchanged(before, mou)


def test_the_mou_admin_adds_a_party_and_its_commitment_in_one_save(client, staff):
    mou, newcomer = MoUFactory(), PartnerFactory(name="Mitra Baru")
    editor = staff()
    client.force_login(editor)
    data = opened(client, url(mou, "change")) | {
        "parties-TOTAL_FORMS": "2",
        "parties-1-partner": str(newcomer.pk),
        "parties-1-mou": str(mou.pk),
        "commitments-TOTAL_FORMS": "1",
        "commitments-0-mou": str(mou.pk),
        "commitments-0-partner": str(newcomer.pk),
        "commitments-0-description_ind": "Titik Wi-Fi",
        "commitments-0-target_quantity": "10",
        "commitments-0-unit_ind": "titik",
    }
    response = client.post(url(mou, "change"), data)
    assert response.status_code == 302, form_errors(response)
    commitment = Commitment.objects.get(mou=mou)
    assert commitment.partner == newcomer and set(mou.partners.all()) >= {newcomer}
    assert commitment.history.first().history_user == editor
    assert MoUParty.history.filter(partner=newcomer).first().history_user == editor


def test_a_stale_mou_save_is_a_form_error_naming_who_changed_it(client, staff):
    mou = MoUFactory(title_ind="Asal")
    first, second = staff(username="rina"), staff(username="budi")
    client.force_login(second)
    stale = opened(client, url(mou, "change"))
    client.force_login(first)
    assert (
        client.post(url(mou, "change"), opened(client, url(mou, "change")) | {"title_ind": "Oleh Rina"}).status_code
        == 302
    )
    client.force_login(second)
    before = snapshot(mou)
    response = client.post(url(mou, "change"), stale | {"summary_ind": "Ditimpa"})
    assert "rina changed this record" in form_errors(response)
    refused_unchanged(before, mou)


def test_an_mou_revert_goes_through_the_writer_and_a_stale_one_is_refused(client, staff):
    mou = MoUFactory(title_ind="Judul lama")
    version = mou.history.first().history_id
    editor = staff(username="rina")
    client.force_login(editor)
    client.post(url(mou, "change"), opened(client, url(mou, "change")) | {"title_ind": "Judul baru"})
    page = url(mou, "simple_history", version)
    stale = opened(client, page)
    client.post(url(mou, "change"), opened(client, url(mou, "change")) | {"summary_ind": "Sesudahnya"})
    before = snapshot(mou)
    assert "rina changed this record" in form_errors(client.post(page, stale))
    refused_unchanged(before, mou)
    assert client.post(page, opened(client, page)).status_code == 302
    mou.refresh_from_db()
    assert mou.title_ind == "Judul lama" and mou.history.first().history_user == editor


def test_mou_patch_with_an_old_etag_is_412_and_with_the_current_one_200(api_client, staff):
    mou = MoUFactory(title_ind="Asal")
    api_client.force_authenticate(staff())
    detail = reverse("partnerships-api:mou-detail", args=[mou.slug])
    old_etag = api_client.get(detail)["ETag"]
    assert api_client.patch(detail, {"city_number": "1/2025"}, HTTP_IF_MATCH=old_etag).status_code == 200
    before = snapshot(mou)
    response = api_client.patch(detail, {"title_ind": "Ditimpa"}, HTTP_IF_MATCH=old_etag)
    assert response.status_code == 412 and response.data["code"] == "stale"
    refused_unchanged(before, mou)
    current = api_client.get(detail)["ETag"]
    response = api_client.patch(detail, {"title_ind": "Baru"}, HTTP_IF_MATCH=current)
    assert response.status_code == 200 and response.data["title_ind"] == "Baru"
    assert response.data["city_number"] == "1/2025"


def test_an_mou_create_naming_signed_on_is_a_400_naming_the_field(api_client, staff):
    partner = PartnerFactory()
    api_client.force_authenticate(staff())
    body = {
        "slug": "tbg-2021",
        "title_ind": "Smart city bersama TBG",
        "valid_from": "2021-07-26",
        "valid_until": "2026-07-25",
        "parties": [{"partner": partner.pk}],
        "signed_on": "2021-07-26",
    }
    before = snapshot()
    response = api_client.post(reverse("partnerships-api:mou-list"), body)
    assert response.status_code == 400 and list(response.data["errors"]) == ["signed_on"]  # was a 201 draft
    assert changed_tables(before, snapshot()) == set()
    body.pop("signed_on")
    response = api_client.post(reverse("partnerships-api:mou-list"), body)
    assert response.status_code == 201 and response.data["state"] == "draft"
    assert [party["partner"]["id"] for party in response.data["parties"]] == [partner.pk]


# --- Partner ------------------------------------------------------------------------------------------------------
def test_a_stale_partner_save_is_a_form_error_naming_who_changed_it(client, staff):
    partner = PartnerFactory(short_name="Asal")
    first, second = staff(username="rina"), staff(username="budi")
    client.force_login(second)
    stale = opened(client, url(partner, "change"))
    client.force_login(first)
    fresh = opened(client, url(partner, "change"))
    assert client.post(url(partner, "change"), fresh | {"short_name": "Rina"}).status_code == 302
    client.force_login(second)
    before = snapshot(partner)
    response = client.post(url(partner, "change"), stale | {"website": "https://ditimpa.example/"})
    assert "rina changed this record" in form_errors(response)
    refused_unchanged(before, partner)


def test_a_partner_revert_goes_through_the_writer_and_needs_the_change_permission(client, staff):
    partner = PartnerFactory(short_name="Lama")
    version = partner.history.first().history_id
    editor = staff()
    client.force_login(editor)
    client.post(url(partner, "change"), opened(client, url(partner, "change")) | {"short_name": "Baru"})
    page = url(partner, "simple_history", version)
    client.force_login(staff(OPD_EDITOR))  # may read the history, not revert it
    data = opened(client, page)
    before = snapshot(partner)
    assert client.post(page, data).status_code == 403
    refused_unchanged(before, partner)
    client.force_login(editor)
    assert client.post(page, opened(client, page)).status_code == 302
    partner.refresh_from_db()
    assert partner.short_name == "Lama" and partner.history.first().history_user == editor


# --- Filters: a hidden row answers like an unknown one ------------------------------------------------------------
@pytest.mark.parametrize(
    ("route", "param", "hidden_of", "unknown"),
    [
        ("mou-list", "partner", lambda draft_partner, draft_mou: draft_partner.slug, "no-such-partner"),
        ("mou-list", "partner_id", lambda draft_partner, draft_mou: str(draft_partner.pk), "987654"),
        ("commitment-list", "mou", lambda draft_partner, draft_mou: draft_mou.slug, "no-such-mou"),
        ("commitment-list", "mou_id", lambda draft_partner, draft_mou: str(draft_mou.pk), "987654"),
        (
            "progressreport-list",
            "commitment_id",
            lambda draft_partner, draft_mou: str(draft_mou.commitments.get().pk),
            "987654",
        ),
    ],
)
def test_a_hidden_rows_slug_or_id_answers_exactly_like_an_unknown_one(api_client, route, param, hidden_of, unknown):
    draft_partner = PartnerFactory(publication="draft")
    draft_mou = MoUFactory(publication="draft", party__partner=draft_partner)
    CommitmentFactory(mou=draft_mou, partner=draft_partner)
    hidden = hidden_of(draft_partner, draft_mou)
    list_url = reverse(f"partnerships-api:{route}")
    answers = []
    for value in (hidden, unknown):
        response = api_client.get(list_url, {param: value})
        answers.append((response.status_code, response.content.decode().replace(value, "<value>")))
    assert answers[0] == answers[1]
    assert answers[0][0] == 400  # a draft's slug used to answer 200 with an empty list


# --- Progress reports, keys, scope areas --------------------------------------------------------------------------
def test_the_admin_records_the_staff_member_as_the_reporter_through_the_writer(client, staff):
    commitment = CommitmentFactory()
    editor = staff()
    client.force_login(editor)
    with translation.override("en"):
        add = reverse("admin:partnerships_progressreport_add")
    body = {"commitment": commitment.pk, "reported_on": timezone.localdate().isoformat(), "quantity_reached": "5"}
    assert client.post(add, body).status_code == 302
    report = ProgressReport.objects.get()
    assert (report.reported_by, report.reported_by_key) == (editor, None)
    assert report.history.first().history_user == editor
    before = snapshot(report)
    future = body | {"reported_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()}
    assert "future date" in form_errors(client.post(add, future))
    refused_unchanged(before, report)


def test_key_changes_go_through_the_writer_and_a_revoked_key_is_final(client, staff):
    key, _plain = make_key(PartnerFactory())
    superuser = staff(is_superuser=True)
    client.force_login(superuser)
    data = opened(client, url(key, "change"))
    assert client.post(url(key, "change"), data | {"name": "Kunci baru", "revoked": "on"}).status_code == 302
    key.refresh_from_db()
    assert (key.name, key.revoked) == ("Kunci baru", True)
    before = snapshot(key)
    with pytest.raises(ValidationError):
        PARTNER_API_KEY.update(instance=key, data={"revoked": False}, actor=superuser)
    with pytest.raises(ValidationError):
        PARTNER_API_KEY.update(instance=key, data={"partner": PartnerFactory()}, actor=superuser)
    assert PartnerAPIKey.objects.filter(pk=key.pk).values().get() == before[1]
    assert client.get(url(key, "history")).status_code == 200  # Django's own log: keys keep no versions
    assert client.get(url(key, "simple_history", 1)).status_code == 404


def test_a_scope_area_an_mou_uses_is_not_deleted(client, staff):
    area = ScopeArea.objects.get(slug="public-wifi")
    mou = MoUFactory(scope_areas=[area])
    client.force_login(staff(is_superuser=True))
    before = snapshot(mou)
    response = client.post(url(area, "delete"), {"post": "yes"}, follow=True)
    assert "used by MoUs" in response.content.decode()
    refused_unchanged(before, mou)
    assert MoU.objects.get(pk=mou.pk).scope_areas.get() == area


def test_a_new_mou_with_its_party_and_commitment_is_saved_from_one_admin_form(client, staff):
    partner, editor = PartnerFactory(), staff()
    client.force_login(editor)
    with translation.override("en"):
        add = reverse("admin:partnerships_mou_add")
    assert client.get(add).status_code == 200
    data = {
        "title_ind": "MoU baru",
        "slug": "mou-baru",
        "state": "draft",
        "valid_from": "2025-01-01",
        "valid_until": "2027-12-31",
        "publication": "draft",
        "parties-TOTAL_FORMS": "1",
        "parties-INITIAL_FORMS": "0",
        "parties-0-partner": str(partner.pk),
        "commitments-TOTAL_FORMS": "1",
        "commitments-INITIAL_FORMS": "0",
        "commitments-0-partner": str(partner.pk),
        "commitments-0-description_ind": "Menara",
        "commitments-0-target_quantity": "80",
        "commitments-0-unit_ind": "menara",
    }
    outsider = PartnerFactory()
    before = snapshot()
    response = client.post(add, data | {"commitments-0-partner": str(outsider.pk)})
    assert "The partner is not a party of this MoU." in form_errors(response)
    assert changed_tables(before, snapshot()) == set()
    response = client.post(add, data)
    assert response.status_code == 302, form_errors(response)
    mou = MoU.objects.get(slug="mou-baru")
    assert list(mou.partners.all()) == [partner] and mou.commitments.get().partner == partner
    assert mou.history.first().history_user == editor

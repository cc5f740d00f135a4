"""Issue 22: the walidata's approval in the browser. On an indicator's change page the walidata approves or sends
back (with the reason), and the producing agency's editor resubmits; each button shows only to whom the step's own
rule lets take it, and each posts to the same service as the API's action."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from pillars.models import Indicator
from smartcity.roles import DISKOMINFO_EDITOR, EVALUATOR, OPD_EDITOR, VIEWER
from tests.factories import UserFactory
from tests.snapshots import changed_tables, snapshot

from .factories import AgencyFactory, IndicatorFactory

pytestmark = pytest.mark.django_db
BUTTONS = {step: f"/approval/{step}/" for step in ("approve", "send_back", "submit")}  # each button's form


def role(name, agency=None):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=name))
    if agency is not None:
        agency.members.add(user)
    return user


def page(client, indicator) -> str:
    response = client.get(reverse("admin:pillars_indicator_change", args=[indicator.pk]))
    assert response.status_code == 200
    return response.content.decode()


def post_step(client, indicator, step, **data):
    return client.post(reverse("admin:pillars_indicator_approval", args=[indicator.pk, step]), data)


def shown(html) -> set[str]:
    return {name for name, mark in BUTTONS.items() if mark in html}


def test_each_role_sees_only_the_steps_it_may_take(client):
    agency = AgencyFactory()
    submitted = IndicatorFactory(owner_agency=agency, approval="submitted", publication="draft")
    sent_back = IndicatorFactory(owner_agency=agency, approval="sent_back", approval_note="Satuan salah")
    approved = IndicatorFactory(owner_agency=agency, approval="approved")
    expected = {
        (DISKOMINFO_EDITOR, True): ({"approve", "send_back"}, {"submit"}, {"send_back"}),
        (OPD_EDITOR, True): (set(), {"submit"}, set()),  # the producer resubmits; it never approves its own
        (OPD_EDITOR, False): None,  # another agency's editor does not reach the page at all
        (VIEWER, False): (set(), set(), set()),
        (EVALUATOR, False): (set(), set(), set()),
    }
    for (name, own), steps in expected.items():
        client.force_login(role(name, agency if own else AgencyFactory() if name == OPD_EDITOR else None))
        if steps is None:
            url = reverse("admin:pillars_indicator_change", args=[submitted.pk])
            assert client.get(url).status_code == 302  # "not found", back to the admin's index
            continue
        assert [shown(page(client, row)) for row in (submitted, sent_back, approved)] == list(steps), name


def test_the_walidata_sends_back_with_a_reason_the_producer_reads_it_and_resubmits(client):
    agency = AgencyFactory()
    indicator = IndicatorFactory(owner_agency=agency, approval="submitted", publication="draft")
    client.force_login(role(DISKOMINFO_EDITOR))
    before = snapshot(indicator)
    response = post_step(client, indicator, "send_back", note="   ")  # a reason is required
    assert response.status_code == 302 and snapshot(indicator)[1] == before[1]
    assert not changed_tables(before, snapshot(indicator))
    response = post_step(client, indicator, "send_back", note="Definisi operasional belum ada.")
    assert response["Location"] == reverse("admin:pillars_indicator_change", args=[indicator.pk])
    indicator.refresh_from_db()
    assert (indicator.approval, indicator.approval_note) == ("sent_back", "Definisi operasional belum ada.")
    assert indicator.history.first().history_user is not None  # through the writer: the history names who

    client.force_login(role(OPD_EDITOR, agency))
    html = page(client, indicator)
    assert "Definisi operasional belum ada." in html and shown(html) == {"submit"}
    assert post_step(client, indicator, "submit").status_code == 302
    indicator.refresh_from_db()
    assert indicator.approval == "submitted"

    client.force_login(role(DISKOMINFO_EDITOR))
    post_step(client, indicator, "approve")
    indicator.refresh_from_db()
    assert indicator.approval == "approved" and indicator.approval_note == "" and indicator.approved_at


def test_a_step_from_the_wrong_state_is_an_error_message_and_changes_nothing(client):
    indicator = IndicatorFactory(approval="draft", publication="draft")
    client.force_login(role(DISKOMINFO_EDITOR))
    before = snapshot(indicator)
    response = client.post(reverse("admin:pillars_indicator_approval", args=[indicator.pk, "approve"]), follow=True)
    errors = [str(message) for message in response.context["messages"] if message.level_tag == "error"]
    assert errors and "diajukan" in errors[0]  # the service's own message: only a submitted one is approved
    assert Indicator.objects.get(pk=indicator.pk).approval == "draft"
    assert not changed_tables(before, snapshot(indicator))


def test_the_step_urls_take_only_a_post_and_only_known_steps(client):
    indicator = IndicatorFactory(approval="submitted", publication="draft")
    client.force_login(role(DISKOMINFO_EDITOR))
    assert client.get(reverse("admin:pillars_indicator_approval", args=[indicator.pk, "approve"])).status_code == 405
    assert post_step(client, indicator, "publish").status_code == 404
    assert Indicator.objects.get(pk=indicator.pk).approval == "submitted"

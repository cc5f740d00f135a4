"""Issue 22: the staff workspace per role (pillars.workspace), shown first on the admin index, feeding the daily
digest and the reminders before each deadline; its query count does not grow with the data."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pillars.models import WorkspaceNotice
from pillars.workspace import workspace_digests_send, workspace_for, workspace_reminders_send
from smartcity.roles import DISKOMINFO_EDITOR, EVALUATOR, OPD_EDITOR
from tests.evaluations.factories import ClarificationRequestFactory, EvaluationFactory, FollowUpActionFactory
from tests.factories import UserFactory
from tests.partnerships.factories import MoUFactory, WebhookEndpointFactory

from .factories import ActivityFactory, AgencyFactory, FeedbackFactory, IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def staff(role, *agencies, email=None):
    user = UserFactory(is_staff=True, **({"email": email} if email else {}))
    user.groups.add(Group.objects.get(name=role))
    for agency in agencies:
        agency.members.add(user)
    return user


def figures(user, today=None):
    return {item.key: (item.count, item.overdue) for item in workspace_for(user, today=today)}


def agency_work(agency, today, n=1):
    """n of each kind of an OPD's work, every one of them due or waiting on `today`."""
    for _ in range(n):
        IndicatorFactory(owner_agency=agency, frequency="monthly")  # never measured: due since it was made
        ActivityFactory(program__lead_agency=agency, year=today.year, progress=40)
        ClarificationRequestFactory(owner_agency=agency, due_on=today + 3 * DAY)
        FollowUpActionFactory(owner_agency=agency, due_on=today - 2 * DAY)
        FeedbackFactory(program__lead_agency=agency)
        sent_back = IndicatorFactory(owner_agency=agency, approval="sent_back", publication="draft")
        MeasurementFactory(indicator=sent_back, measured_on=today)  # measured: not due


# --- The selector, role by role ------------------------------------------------------------------------------------
def test_an_opd_editor_sees_only_their_own_agency_s_work():
    today = timezone.localdate()
    dishub, dinkes = AgencyFactory(acronym="Dishub"), AgencyFactory(acronym="Dinkes")
    agency_work(dishub, today)
    agency_work(dinkes, today, n=2)
    IndicatorFactory(owner_agency=dinkes, approval="submitted", publication="draft")
    editor = staff(OPD_EDITOR, dishub)
    assert figures(editor) == {
        "pillars.measurements_due": (1, 0),  # made today: due today, not yet late
        "pillars.activities_to_report": (1, 0),
        "evaluations.clarifications_to_answer": (1, 0),
        "evaluations.follow_ups_due": (1, 1),
        "pillars.indicators_sent_back": (1, 0),
        "pillars.feedback_to_moderate": (1, 0),
    }
    both = staff(OPD_EDITOR, dishub, dinkes)  # a member of two agencies sees the work of both
    assert figures(both)["evaluations.follow_ups_due"] == (3, 3)


def test_the_evaluator_sees_the_answered_requests_to_close_and_nothing_of_the_agencies():
    ClarificationRequestFactory(status="answered", due_on=timezone.localdate() - DAY)
    ClarificationRequestFactory(status="open")
    ClarificationRequestFactory(status="closed")
    FollowUpActionFactory(due_on=timezone.localdate() - DAY)
    assert figures(staff(EVALUATOR)) == {"evaluations.clarifications_to_close": (1, 1)}


def test_the_walidata_sees_the_indicators_awaiting_approval_and_the_current_evaluation_s_gaps():
    today = timezone.localdate()
    IndicatorFactory(approval="submitted", publication="draft")
    IndicatorFactory(approval="submitted", publication="draft")
    IndicatorFactory(approval="draft", publication="draft")
    EvaluationFactory(stage="stage_1", status="draft", year=today.year, ended_on=today + 10 * DAY)
    MoUFactory(valid_until=today + 20 * DAY)
    MoUFactory()  # three years to run
    WebhookEndpointFactory(active=False, disabled_at=timezone.now())
    WebhookEndpointFactory()
    walidata = staff(DISKOMINFO_EDITOR)
    items = {item.key: item for item in workspace_for(walidata)}
    assert items["pillars.indicators_to_approve"].count == 2
    assert items["evaluations.readiness"].count > 0 and items["evaluations.readiness"].due_on == today + 10 * DAY
    assert "/readiness/" in items["evaluations.readiness"].url
    assert (items["partnerships.mous_expiring"].count, items["partnerships.mous_expiring"].due_on) == (
        1,
        today + 20 * DAY,
    )
    assert items["partnerships.webhooks_disabled"].count == 1
    producer = staff(OPD_EDITOR, AgencyFactory())
    assert "pillars.indicators_to_approve" not in figures(producer)


def test_measurements_fall_due_by_the_indicator_s_frequency_as_the_stale_mark_does(settings):
    settings.MEASUREMENT_GRACE_DAYS = 0  # the stale mark waits this long after the due date; here, not at all
    today = datetime.date(2026, 6, 1)
    agency = AgencyFactory()
    monthly = IndicatorFactory(owner_agency=agency, frequency="monthly")
    MeasurementFactory(indicator=monthly, measured_on=today - 40 * DAY)  # due 9 days ago
    yearly = IndicatorFactory(owner_agency=agency, frequency="yearly")
    MeasurementFactory(indicator=yearly, measured_on=today - 300 * DAY)  # due in 66 days: not shown yet
    soon = IndicatorFactory(owner_agency=agency, frequency="quarterly")
    MeasurementFactory(indicator=soon, measured_on=today - 80 * DAY)  # due in 12 days
    [item] = [i for i in workspace_for(staff(OPD_EDITOR, agency), today=today) if i.key == "pillars.measurements_due"]
    assert (item.count, item.overdue, item.due_on) == (2, 1, today - 9 * DAY)
    from pillars.models import Indicator

    assert list(Indicator.objects.stale(on=today)) == [monthly]  # the weekly stale mark reads the same due dates


# --- The admin index -------------------------------------------------------------------------------------------------
def admin_client(user):
    client = Client()
    client.force_login(user)
    return client


def rows(page: str) -> dict[str, tuple[str, str]]:
    """key -> (link, count) of each workspace row on the page."""
    found = re.findall(r'data-key="([^"]+)">\s*<th scope="row"><a href="([^"]+)">.*?workspace-count"[^>]*>(\d+)<', page,
                       re.S)  # fmt: skip
    return {key: (link.replace("&amp;", "&"), int(count)) for key, link, count in found}


def test_the_admin_index_opens_on_the_workspace_with_counts_and_links_that_list_the_same_rows():
    today = timezone.localdate()
    dishub = AgencyFactory()
    agency_work(dishub, today, n=2)
    agency_work(AgencyFactory(), today)
    client = admin_client(staff(OPD_EDITOR, dishub))
    page = client.get("/admin/")
    body = page.content.decode()
    assert page.status_code == 200 and body.index('id="workspace"') < body.index('id="content-main"')
    assert "Pekerjaan saya" in body and "Tindak lanjut yang jatuh tempo" in body and "2 terlambat" in body
    found = rows(body)
    assert {key: count for key, (link, count) in found.items()} == {
        "pillars.measurements_due": 2,
        "pillars.activities_to_report": 2,
        "evaluations.clarifications_to_answer": 2,
        "evaluations.follow_ups_due": 2,
        "pillars.indicators_sent_back": 2,
        "pillars.feedback_to_moderate": 2,
    }
    for key, (link, count) in found.items():  # each link lists exactly the rows it counts
        listed = client.get(link)
        assert listed.status_code == 200, key  # an unknown filter would redirect to ?e=1
        assert listed.context["cl"].result_count == count, key


def test_an_empty_workspace_says_so_in_indonesian_and_in_english():
    client = admin_client(staff(EVALUATOR))
    assert "Tidak ada yang perlu dikerjakan" in client.get("/admin/").content.decode()
    assert "Nothing to do" in client.get("/en/admin/").content.decode()


# --- Query counts: the same from a small world to a large one -------------------------------------------------------
def queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/admin/").status_code == 200
    return len(captured)


def test_the_workspace_costs_the_same_queries_in_a_small_and_a_large_world(django_assert_max_num_queries):
    today = timezone.localdate()
    dishub = AgencyFactory()
    EvaluationFactory(stage="stage_1", status="draft", year=today.year)
    agency_work(dishub, today)
    opd, walidata = staff(OPD_EDITOR, dishub), staff(DISKOMINFO_EDITOR)
    clients = {user: admin_client(user) for user in (opd, walidata)}
    small = {user: queries(client) for user, client in clients.items()}
    for agency in (dishub, AgencyFactory(), AgencyFactory()):
        agency_work(agency, today, n=4)
    for user, client in clients.items():
        with django_assert_max_num_queries(small[user]):
            assert client.get("/admin/").status_code == 200
        assert queries(client) == small[user]
    with CaptureQueriesContext(connection) as captured:
        workspace_for(walidata)
    assert len(captured) <= 21, [q["sql"][:80] for q in captured]  # a fixed budget: the readiness reads the scheme


# --- The digest reads the workspace ----------------------------------------------------------------------------------
def test_the_daily_digest_lists_the_workspace_and_follows_the_data():
    today = datetime.date(2026, 3, 1)
    dishub = AgencyFactory(acronym="Dishub")
    staff(OPD_EDITOR, dishub, email="editor@dishub.example")
    staff(OPD_EDITOR, AgencyFactory(), email="editor@dinkes.example")  # nothing overdue: no mail
    FollowUpActionFactory(owner_agency=dishub, title_ind="Pasang CCTV", due_on=today - 3 * DAY)
    FollowUpActionFactory(owner_agency=dishub, title_ind="Belum jatuh tempo", due_on=today + 3 * DAY)
    assert workspace_digests_send(today=today) == 1
    assert workspace_digests_send(today=today) == 0  # once a day
    [first] = mail.outbox
    assert first.to == ["editor@dishub.example"] and "Pasang CCTV" in first.body
    assert "Tindak lanjut yang jatuh tempo: 2" in first.body and "Belum jatuh tempo" not in first.body
    ClarificationRequestFactory(owner_agency=dishub, question="Mohon foto lokasi", due_on=today - DAY)
    assert workspace_digests_send(today=today + DAY) == 1
    second = mail.outbox[1]
    assert "Mohon foto lokasi" in second.body and "Permintaan klarifikasi yang perlu dijawab: 1" in second.body
    assert "2 butir terlambat" in second.subject


# --- Reminders before each deadline ----------------------------------------------------------------------------------
def test_reminders_go_out_once_at_each_lead_day(settings):
    settings.REMINDER_LEAD_DAYS = (7, 1)
    due = datetime.date(2026, 3, 20)
    dishub = AgencyFactory()
    staff(OPD_EDITOR, dishub, email="editor@dishub.example")
    staff(OPD_EDITOR, AgencyFactory(), email="other@dinkes.example")
    FollowUpActionFactory(owner_agency=dishub, title_ind="Pasang CCTV", due_on=due)
    ClarificationRequestFactory(owner_agency=dishub, question="Mohon foto", due_on=due)
    sent = {}
    for day in range(20):
        today = datetime.date(2026, 3, 1) + day * DAY
        sent[today] = workspace_reminders_send(today=today) + workspace_reminders_send(today=today)  # twice a day
    assert {day: n for day, n in sent.items() if n} == {due - 7 * DAY: 1, due - DAY: 1}
    week, eve = mail.outbox
    assert week.to == eve.to == ["editor@dishub.example"]
    assert "Pasang CCTV" in week.body and "Mohon foto" in week.body and "dalam 7 hari" in week.body
    assert "dalam 1 hari" in eve.body and "/admin/evaluations/followupaction/" in eve.body
    assert WorkspaceNotice.objects.filter(topic__startswith="reminder:").count() == 4

"""Issue 14: the evidence's rules, bad input, readiness, digests, survey aggregates and query counts.

Bad input is a 400 that changes nothing (tests/snapshots.py counts every table of the three apps)."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from rest_framework.test import APIClient

from evaluations.models import SurveyResponse
from evaluations.readiness import blocking_gaps
from evaluations.surveys import survey_results
from pillars.models import Pillar
from pillars.workspace import workspace_digests_send
from smartcity.roles import DISKOMINFO_EDITOR, EVALUATOR, OPD_EDITOR, VIEWER
from tests.factories import UserFactory
from tests.pillars.factories import ActivityFactory, AgencyFactory, ProgramFactory
from tests.snapshots import changed_tables, snapshot

from .factories import (
    ClarificationRequestFactory,
    EvaluationFactory,
    EvaluationSchemeFactory,
    LegalInstrumentFactory,
    SurveyResponseFactory,
    SurveyTargetFactory,
)

pytestmark = pytest.mark.django_db
API = "/api/v1"


def client_as(role, agency=None):
    user = UserFactory(is_staff=True, email=f"{role.split()[0].lower()}@kota.example")
    user.groups.add(Group.objects.get(name=role))
    if agency is not None:
        agency.members.add(user)
    client = APIClient()
    client.force_authenticate(user)
    return client


def refused_unchanged(send, target=None, field=None):
    """`send()` answers 400 (naming `field`) and no row of the three apps changed."""
    before = snapshot(target)
    response = send()
    assert response.status_code == 400, response.data
    if field:
        assert field in response.data["errors"], response.data
    after = snapshot(target)
    assert not changed_tables(before, after) and after[1] == before[1]
    return response


def csv_file(text: str, name="responses.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


# --- Bad input: a 400 that changes nothing ------------------------------------------------------------------------
def test_a_negative_weight_is_refused():
    activity = ActivityFactory()
    client = client_as(DISKOMINFO_EDITOR)
    refused_unchanged(lambda: client.patch(f"{API}/activities/{activity.pk}/", {"weight": "-1"}, format="json"),
                      activity, "weight")  # fmt: skip
    data = {"program": activity.program.pk, "year": 2024, "owner_agency": activity.owner_agency.pk,
            "title_ind": "Baru", "weight": "-0.5"}  # fmt: skip
    refused_unchanged(lambda: client.post(f"{API}/activities/", data, format="json"), field="weight")


def test_a_response_outside_the_likert_scale_is_refused_and_so_is_its_whole_file():
    target = SurveyTargetFactory()
    client = client_as(DISKOMINFO_EDITOR)
    data = {"target": target.pk, "answered_on": "2023-06-01", "answers": {"q1": 6, "q2": 3}}
    response = refused_unchanged(lambda: client.post(f"{API}/survey-responses/", data, format="json"), field="answers")
    assert "q1" in str(response.data["errors"]["answers"])
    good_then_bad = "respondent,answered_on,q1,q2,q3\nA,2023-06-01,5,4,3\nB,2023-06-01,0,4,3\n"
    url = f"{API}/survey-targets/{target.pk}/import-responses/"
    response = refused_unchanged(
        lambda: client.post(url, {"file": csv_file(good_then_bad)}, format="multipart"), field="file"
    )
    assert "2" in str(response.data["errors"]["file"])  # the second row is named
    assert not SurveyResponse.objects.exists()  # all or nothing: the good first row is not kept either


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("responses.csv", b"\xff\xfe\x00garbage\x00"),
        ("responses.xlsx", b"PK\x03\x04 not really a workbook"),
        ("responses.txt", b"respondent,answered_on,q1\n"),
        ("responses.csv", b"respondent,answered_on,q1,q2\nA,2023-06-01,5,5\n"),  # no column q3
        ("responses.csv", b"respondent,answered_on,q1,q2,q3\n"),  # a header and no rows
        ("responses.csv", b"respondent,answered_on,q1,q2,q3\nA,kemarin,5,5,5\n"),  # not a date
    ],
)
def test_a_malformed_survey_file_is_refused(name, content):
    target = SurveyTargetFactory()
    client = client_as(DISKOMINFO_EDITOR)
    url = f"{API}/survey-targets/{target.pk}/import-responses/"
    upload = SimpleUploadedFile(name, content)
    refused_unchanged(lambda: client.post(url, {"file": upload}, format="multipart"), field="file")


def test_an_xlsx_survey_file_is_imported():
    target = SurveyTargetFactory()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["respondent", "answered_on", "q1", "q2", "q3"])
    for n in range(3):
        sheet.append([f"P{n}", datetime.date(2023, 6, 2), 4, 5, 3])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("paper.xlsx", buffer.getvalue())
    response = client_as(DISKOMINFO_EDITOR).post(
        f"{API}/survey-targets/{target.pk}/import-responses/", {"file": upload}, format="multipart"
    )
    assert response.status_code == 200, response.data
    assert response.data["responses"] == 3
    assert sorted(SurveyResponse.objects.values_list("answers__value", flat=True)) == [3, 3, 3, 4, 4, 4, 5, 5, 5]


def test_a_decree_member_without_a_name_refuses_the_whole_decree():
    client = client_as(DISKOMINFO_EDITOR)
    data = {"year": 2023, "kind": "decree", "number": "SK 1/2023", "issued_on": "2023-01-05", "forms_body": "team",
            "title_ind": "Tim Pelaksana",
            "members": [{"name": "Ketua Tim", "role": "Ketua"}, {"name": "", "role": "Anggota"}]}  # fmt: skip
    refused_unchanged(lambda: client.post(f"{API}/legal-instruments/", data, format="json"), field="members")
    decree = LegalInstrumentFactory(kind="decree", forms_body="team")
    update = {"members": [{"role": "Anggota"}]}
    refused_unchanged(lambda: client.patch(f"{API}/legal-instruments/{decree.pk}/", update, format="json"), decree,
                      "members")  # fmt: skip


def test_members_only_on_a_decree_forming_a_body():
    client = client_as(DISKOMINFO_EDITOR)
    data = {"year": 2023, "kind": "regulation", "number": "Perwal 2/2023", "issued_on": "2023-01-05",
            "title_ind": "Perwal", "forms_body": "council"}  # fmt: skip
    refused_unchanged(lambda: client.post(f"{API}/legal-instruments/", data, format="json"), field="forms_body")


def test_an_activity_of_one_opd_reported_by_another_is_refused():
    dishub, dinkes = AgencyFactory(), AgencyFactory()
    activity = ActivityFactory(program=ProgramFactory(lead_agency=dishub), owner_agency=dishub)
    other = client_as(OPD_EDITOR, dinkes)
    refused_unchanged(lambda: other.patch(f"{API}/activities/{activity.pk}/", {"progress": 50}, format="json"),
                      activity, "owner_agency")  # fmt: skip
    data = {"program": activity.program.pk, "year": 2024, "owner_agency": dishub.pk, "title_ind": "Menyusup"}
    refused_unchanged(lambda: other.post(f"{API}/activities/", data, format="json"), field="owner_agency")
    # nor may it hand its own activity to another agency
    own = ActivityFactory(program=activity.program, owner_agency=dinkes)
    refused_unchanged(lambda: other.patch(f"{API}/activities/{own.pk}/", {"owner_agency": dishub.pk}, format="json"),
                      own, "owner_agency")  # fmt: skip


def test_a_program_with_activities_takes_no_direct_progress():
    program = ProgramFactory(progress=10)
    ActivityFactory(program=program, progress=40)
    client = client_as(DISKOMINFO_EDITOR)
    refused_unchanged(lambda: client.patch(f"{API}/programs/{program.slug}/", {"progress": 90}, format="json"),
                      program, "progress")  # fmt: skip


# --- Readiness -------------------------------------------------------------------------------------------------
def test_readiness_blocks_on_missing_instruments_short_surveys_and_open_requests():
    evaluation = EvaluationFactory(scheme=EvaluationSchemeFactory(year=2023), stage="stage_1")
    texts = lambda: sorted(gap.dimension for gap in blocking_gaps(evaluation=evaluation))  # noqa: E731
    assert texts() == ["output", "output"]  # neither a regulation nor a decree
    LegalInstrumentFactory(year=2023, kind="regulation")
    LegalInstrumentFactory(year=2023, kind="decree")
    LegalInstrumentFactory(year=2022, kind="decree")
    assert texts() == []
    target = SurveyTargetFactory(survey__year=2023)
    SurveyResponseFactory.create_batch(49, target=target)
    assert texts() == ["impact"]
    SurveyResponseFactory(target=target)
    assert texts() == []
    request = ClarificationRequestFactory(
        evaluation=evaluation, pillar=None, dimension=evaluation.scheme.dimensions.get(code="outcome")
    )
    assert texts() == ["outcome"]
    request.status = "closed"
    request.save()
    assert texts() == []


def test_readiness_page_shows_dimensions_and_pillars(client):
    evaluation = EvaluationFactory(scheme=EvaluationSchemeFactory(year=2023))
    target = SurveyTargetFactory(survey__year=2023)
    SurveyResponseFactory.create_batch(3, target=target)
    ActivityFactory(year=2023, progress=0)
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=EVALUATOR))
    client.force_login(user)
    page = client.get(evaluation.get_absolute_url().replace("/", "/", 1) + "readiness/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Per dimensi dan pilar" in body and "3 responden; dibutuhkan sekurang-kurangnya 50." in body
    assert "belum ada kemajuan" in body and "Menghalangi" in body


# --- Clarifications: only the owner agency sees them; overdue ones join the digest --------------------------
def test_opd_editors_see_only_their_agency_s_requests_and_viewers_none():
    dishub, dinkes = AgencyFactory(), AgencyFactory()
    mine = ClarificationRequestFactory(owner_agency=dishub)
    ClarificationRequestFactory(owner_agency=dinkes)
    ids = lambda client: [row["id"] for row in client.get(f"{API}/clarification-requests/").data["results"]]  # noqa: E731
    assert ids(client_as(OPD_EDITOR, dishub)) == [mine.pk]
    assert len(ids(client_as(EVALUATOR))) == 2
    assert client_as(VIEWER).get(f"{API}/clarification-requests/").status_code == 403
    assert APIClient().get(f"{API}/clarification-requests/").status_code == 401  # never public


def test_a_closed_request_takes_no_answer():
    dishub = AgencyFactory()
    request = ClarificationRequestFactory(owner_agency=dishub, status="closed")
    client = client_as(OPD_EDITOR, dishub)
    refused_unchanged(lambda: client.post(f"{API}/clarification-requests/{request.pk}/answer/", {"text": "Terlambat"}),
                      request, "request")  # fmt: skip


def test_overdue_clarification_requests_join_the_daily_digest():
    today = datetime.date(2026, 3, 1)
    dishub = AgencyFactory(acronym="Dishub")
    client_as(OPD_EDITOR, dishub)
    ClarificationRequestFactory(
        owner_agency=dishub, question="Mohon foto lokasi CCTV", due_on=today - datetime.timedelta(days=2)
    )
    ClarificationRequestFactory(
        owner_agency=dishub, question="Belum jatuh tempo", due_on=today + datetime.timedelta(days=2)
    )
    late = today - datetime.timedelta(days=2)
    ClarificationRequestFactory(owner_agency=dishub, question="Sudah ditutup", due_on=late, status="closed")
    assert workspace_digests_send(today=today) == 1
    [message] = mail.outbox
    assert "Mohon foto lokasi CCTV" in message.body and "Belum jatuh tempo" not in message.body
    assert "Sudah ditutup" not in message.body and "Permintaan klarifikasi yang perlu dijawab: 2" in message.body


# --- Survey aggregates: public, and only aggregates ------------------------------------------------------------
def test_survey_results_count_mean_and_distribution_per_item_sub_dimension_and_pillar():
    target = SurveyTargetFactory()
    SurveyResponseFactory(target=target, answers={"q1": 5, "q2": 4, "q3": 3})
    SurveyResponseFactory(target=target, answers={"q1": 3, "q2": 4, "q3": 5})
    [pillar] = survey_results(survey=target.survey).pillars
    [row] = pillar.targets
    assert (row.overall.responses, str(row.overall.mean), row.overall.meets_minimum) == (2, "4.00", False)
    q1 = next(tally for item, tally in row.items if item.code == "q1")
    assert q1.distribution == [(1, 0), (2, 0), (3, 1), (4, 0), (5, 1)]
    public = APIClient().get(f"{API}/surveys/{target.survey.slug}/results/")
    assert public.status_code == 200
    assert public.data["pillars"][0]["sub_dimensions"][0]["items"]["q1"]["mean"] == "4.00"
    assert APIClient().get(f"{API}/survey-responses/").status_code == 401  # no respondent's answers in public


# --- Query counts that do not grow with data ---------------------------------------------------------------------
def _lists(size):
    governance = Pillar.objects.get(slug="governance")
    for n in range(size):
        decree = LegalInstrumentFactory(kind="decree", forms_body="council", number=f"SK {n}/{size}")
        decree.pillars.set([governance])
        decree.members.create(name=f"Anggota {n}")
        request = ClarificationRequestFactory()
        request.answers.create(text="Jawaban")
        ActivityFactory()
        SurveyResponseFactory()


LISTS = ["legal-instruments", "activities", "surveys", "survey-targets", "survey-responses", "clarification-requests",
         "evaluation-packs"]  # fmt: skip


@pytest.mark.parametrize("name", LISTS)
def test_new_lists_run_the_same_queries_at_two_sizes(name, django_assert_num_queries):
    client = client_as(DISKOMINFO_EDITOR)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(f"{API}/{name}/?limit=50")  # the user's permissions are read once, then cached on the user
    counts = []
    for size in (2, 12):
        _lists(size)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{API}/{name}/?limit=50")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_public_register_and_evaluation_page_queries_do_not_grow(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    evaluation = EvaluationFactory(scheme=EvaluationSchemeFactory(year=2023))
    living = list(Pillar.objects.get(slug="living").sub_dimensions.all())
    targets = [SurveyTargetFactory(survey__year=2023, sub_dimension=sub) for sub in living[:1]]
    register = "/evaluations/regulations/?year=2023"
    counts = []
    for size, sub in ((2, living[1]), (12, living[2])):
        for n in range(size):
            decree = LegalInstrumentFactory(number=f"Perwal {n}/{size}", kind="decree", forms_body="council")
            decree.pillars.set([Pillar.objects.get(slug="living")])
            decree.members.create(name=f"Anggota {n}")
            SurveyResponseFactory(target=targets[0])
            ActivityFactory(year=2023)
        targets.append(SurveyTargetFactory(survey=targets[0].survey, sub_dimension=sub))
        with CaptureQueriesContext(connection) as on_register:
            assert client.get(register).status_code == 200
        with CaptureQueriesContext(connection) as on_page:
            assert client.get(evaluation.get_absolute_url()).status_code == 200
        counts.append((len(on_register), len(on_page)))
    assert counts[0] == counts[1], counts


def test_a_survey_file_over_the_import_limits_is_refused(settings):
    settings.IMPORT_MAX_ROWS = 2
    target = SurveyTargetFactory()
    client = client_as(DISKOMINFO_EDITOR)
    url = f"{API}/survey-targets/{target.pk}/import-responses/"
    three = "respondent,answered_on,q1,q2,q3\n" + "A,2023-06-01,5,4,3\n" * 3
    response = refused_unchanged(lambda: client.post(url, {"file": csv_file(three)}, format="multipart"), field="file")
    assert "lebih dari 2 baris" in str(response.data["errors"]["file"])  # reading stopped at the third
    settings.IMPORT_MAX_BYTES = 10
    refused_unchanged(lambda: client.post(url, {"file": csv_file(three)}, format="multipart"), field="file")

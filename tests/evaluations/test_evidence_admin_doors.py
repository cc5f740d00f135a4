"""Issue 22 item 2: the evaluation steps that needed an HTTP client have doors in the admin, through the API's own
services: answering (the owning agency, with a file) and closing (the assessor) a clarification request, building
the evaluation pack (both files, readable names, numbers as numbers) and submitting a stage past blocking gaps (the
administrator alone, with a reason). Each role tried with Django's test client; each refusal changes nothing."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.choices import ExportStatus
from evaluations.models import ClarificationAnswer, ClarificationRequest, Evaluation, EvaluationPack, ReadinessOverride
from smartcity.roles import ADMINISTRATOR, DISKOMINFO_EDITOR, EVALUATOR, OPD_EDITOR, VIEWER
from tests.factories import UserFactory
from tests.pillars.factories import ActivityFactory, AgencyFactory, ProgramFactory
from tests.snapshots import changed_tables, snapshot

from .factories import ClarificationRequestFactory, EvaluationFactory, EvaluationSchemeFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def eager_celery():
    """Queued tasks run in the test's process (the broker is real Redis, so Celery is not eager by default)."""
    from smartcity.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def client_as(role, agency=None) -> Client:
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    if agency is not None:
        agency.members.add(user)
    client = Client()
    client.force_login(user)
    return client


def admin_url(view, *args):
    return reverse(f"admin:evaluations_{view}", args=args)


def unchanged(before, target):
    after = snapshot(target)
    return after[1] == before[1] and not changed_tables(before, after)


# --- clarification requests -----------------------------------------------------------------------------------------
@pytest.fixture
def request_of_a():
    return ClarificationRequestFactory(owner_agency=AgencyFactory(slug="dinas-a"))


def test_the_owning_agency_answers_with_a_file_and_the_assessor_closes(request_of_a):
    opd = client_as(OPD_EDITOR, request_of_a.owner_agency)
    page = opd.get(admin_url("clarificationrequest_change", request_of_a.pk))
    assert page.status_code == 200 and page.context["may_answer"] and not page.context["may_close"]
    assert b'id="answer-form"' in page.content and b'id="close-form"' not in page.content

    upload = SimpleUploadedFile("bukti.pdf", PDF, content_type="application/pdf")
    response = opd.post(
        admin_url("clarificationrequest_answer", request_of_a.pk), {"text": "Terlampir", "file": upload}
    )
    assert response.status_code == 302
    answer = ClarificationAnswer.objects.get(request=request_of_a)
    assert answer.text == "Terlampir" and answer.file and answer.answered_by is not None
    request_of_a.refresh_from_db()
    assert request_of_a.status == "answered"
    page = opd.get(admin_url("clarificationrequest_change", request_of_a.pk))
    assert answer.file.url.encode() in page.content  # listed with its file, served by the visibility-checked view
    assert opd.get(answer.file.url).status_code == 200

    evaluator = client_as(EVALUATOR)
    page = evaluator.get(admin_url("clarificationrequest_change", request_of_a.pk))
    assert page.context["may_close"] and not page.context["may_answer"] and b'id="answer-form"' not in page.content
    assert evaluator.post(admin_url("clarificationrequest_close", request_of_a.pk)).status_code == 302
    request_of_a.refresh_from_db()
    assert request_of_a.status == "closed" and request_of_a.closed_on is not None
    page = opd.get(admin_url("clarificationrequest_change", request_of_a.pk))
    assert not page.context["may_answer"]  # a closed request takes no answer: the form is gone


@pytest.mark.parametrize(
    ("who", "expected"),
    [("other agency's OPD editor", 404), ("evaluator", 403), ("viewer", 403)],
)
def test_an_answer_from_anyone_else_is_refused_and_changes_nothing(request_of_a, who, expected):
    client = {
        "other agency's OPD editor": lambda: client_as(OPD_EDITOR, AgencyFactory(slug="dinas-b")),
        "evaluator": lambda: client_as(EVALUATOR),
        "viewer": lambda: client_as(VIEWER),
    }[who]()
    before = snapshot(request_of_a)
    response = client.post(admin_url("clarificationrequest_answer", request_of_a.pk), {"text": "Bukan milik saya"})
    assert response.status_code == expected
    assert unchanged(before, request_of_a)


def test_a_file_of_the_wrong_type_is_a_form_error(request_of_a):
    opd = client_as(OPD_EDITOR, request_of_a.owner_agency)
    before = snapshot(request_of_a)
    upload = SimpleUploadedFile("bukti.pdf", b"#!/bin/sh\necho hi\n", content_type="application/pdf")
    response = opd.post(
        admin_url("clarificationrequest_answer", request_of_a.pk), {"text": "Terlampir", "file": upload}
    )
    assert response.status_code == 200 and response.context["answer_form"].errors["file"]
    assert unchanged(before, request_of_a)
    response = opd.post(admin_url("clarificationrequest_answer", request_of_a.pk), {"text": ""})
    assert response.status_code == 200 and response.context["answer_form"].errors["text"]
    assert unchanged(before, request_of_a)


def test_a_closed_request_takes_no_answer_through_the_door(request_of_a):
    ClarificationRequest.objects.filter(pk=request_of_a.pk).update(status="closed")
    request_of_a.refresh_from_db()
    opd = client_as(OPD_EDITOR, request_of_a.owner_agency)
    before = snapshot(request_of_a)
    response = opd.post(admin_url("clarificationrequest_answer", request_of_a.pk), {"text": "Terlambat"})
    assert response.status_code == 200 and response.context["answer_form"].non_field_errors()
    assert unchanged(before, request_of_a)


@pytest.mark.parametrize(("role", "expected"), [(OPD_EDITOR, 403), (VIEWER, 403)])
def test_only_the_assessors_close(request_of_a, role, expected):
    client = client_as(role, request_of_a.owner_agency if role == OPD_EDITOR else None)
    before = snapshot(request_of_a)
    assert client.post(admin_url("clarificationrequest_close", request_of_a.pk)).status_code == expected
    assert unchanged(before, request_of_a)


def test_closing_twice_is_a_message_not_an_error(request_of_a):
    evaluator = client_as(EVALUATOR)
    evaluator.post(admin_url("clarificationrequest_close", request_of_a.pk))
    before = snapshot(request_of_a)
    response = evaluator.post(admin_url("clarificationrequest_close", request_of_a.pk), follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"  # "This request is already closed."
    assert unchanged(before, request_of_a)


# --- the evaluation pack --------------------------------------------------------------------------------------------
@pytest.fixture
def stage_two():
    evaluation = EvaluationFactory(scheme=EvaluationSchemeFactory(year=2024), stage="stage_2", kind="field_review")
    ActivityFactory(program=ProgramFactory(), year=2024, progress=60)
    ClarificationRequestFactory(evaluation=evaluation)
    return evaluation


def test_the_pack_is_built_from_the_evaluations_page_with_readable_names_and_numbers(
    stage_two, eager_celery, django_capture_on_commit_callbacks
):
    evaluator = client_as(EVALUATOR)
    page = evaluator.get(admin_url("evaluation_change", stage_two.pk))
    assert page.context["pack_url"] == admin_url("evaluation_pack", stage_two.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = evaluator.post(admin_url("evaluation_pack", stage_two.pk))
    assert response.status_code == 302
    packs = {pack.format: pack for pack in EvaluationPack.objects.filter(evaluation=stage_two)}
    assert set(packs) == {"xlsx", "pdf"} and {p.status for p in packs.values()} == {ExportStatus.DONE}

    page = evaluator.get(admin_url("evaluation_pack", stage_two.pk))
    assert not page.context["busy"] and b'http-equiv="refresh"' not in page.content
    for fmt, pack in packs.items():
        link = reverse("evaluations:evaluationpack-download", args=[pack.pk])
        assert link.encode() in page.content
        download = evaluator.get(link)
        assert download.status_code == 200
        assert f'filename="paket-evaluasi-2024-tahap-2.{fmt}"' in download["Content-Disposition"]
        body = b"".join(download.streaming_content)
        if fmt == "pdf":
            assert body.startswith(b"%PDF")
        else:
            workbook = load_workbook(io.BytesIO(body))
            progress = [
                cell
                for sheet in workbook
                if sheet.title.startswith(("2.", "3.", "4.", "5."))  # the figures of the dimensions
                for row in sheet.iter_rows(min_row=2)
                for cell in row
                if cell.column == 6 and cell.value is not None and cell.value != ""
            ]
            assert progress and all(cell.data_type == "n" for cell in progress), [c.value for c in progress]
            assert any(cell.value == 60 and cell.number_format == '#,##0" %"' for cell in progress)
            due = workbook["Permintaan klarifikasi"]["F2"]
            assert due.is_date and due.number_format == "DD-MM-YYYY"


def test_the_pack_page_refreshes_itself_while_a_pack_is_made(stage_two):
    evaluator = client_as(EVALUATOR)
    evaluator.post(admin_url("evaluation_pack", stage_two.pk))  # not committed in this test: it stays queued
    page = evaluator.get(admin_url("evaluation_pack", stage_two.pk))
    assert page.context["busy"] and b'<meta http-equiv="refresh" content="3">' in page.content


@pytest.mark.parametrize("role", [OPD_EDITOR, VIEWER])
def test_the_pack_door_is_closed_to_roles_without_packs(stage_two, role):
    client = client_as(role)
    assert "pack_url" not in (client.get(admin_url("evaluation_change", stage_two.pk)).context or {})
    before = snapshot(stage_two)
    assert client.get(admin_url("evaluation_pack", stage_two.pk)).status_code == 403
    assert client.post(admin_url("evaluation_pack", stage_two.pk)).status_code == 403
    assert unchanged(before, stage_two)


# --- the readiness override -----------------------------------------------------------------------------------------
@pytest.fixture
def blocked(stage_two):
    """A draft stage II whose readiness blocks (no regulation, no decree, an open clarification request)."""
    from evaluations.readiness import blocking_gaps

    assert blocking_gaps(evaluation=stage_two)
    return stage_two


def test_the_administrator_submits_past_blocking_gaps_with_a_reason(blocked):
    administrator = client_as(ADMINISTRATOR)
    page = administrator.get(admin_url("evaluation_change", blocked.pk))
    assert page.context["override_url"] == admin_url("evaluation_override", blocked.pk)
    page = administrator.get(admin_url("evaluation_override", blocked.pk))
    assert page.status_code == 200 and page.context["dimensions"]
    before = snapshot(blocked)
    response = administrator.post(admin_url("evaluation_override", blocked.pk), {"reason": "  "})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    assert unchanged(before, blocked)
    response = administrator.post(admin_url("evaluation_override", blocked.pk), {"reason": "Tenggat kementerian"})
    assert response.status_code == 302
    assert Evaluation.objects.get(pk=blocked.pk).status == "submitted"
    override = ReadinessOverride.objects.get(evaluation=blocked)
    assert override.reason == "Tenggat kementerian" and override.gaps


@pytest.mark.parametrize("role", [DISKOMINFO_EDITOR, EVALUATOR, OPD_EDITOR])
def test_nobody_else_sees_or_posts_the_override(blocked, role):
    client = client_as(role)
    assert "override_url" not in (client.get(admin_url("evaluation_change", blocked.pk)).context or {})
    before = snapshot(blocked)
    assert client.get(admin_url("evaluation_override", blocked.pk)).status_code == 403
    assert client.post(admin_url("evaluation_override", blocked.pk), {"reason": "Saya mau"}).status_code == 403
    assert unchanged(before, blocked)


def test_the_pack_page_reads_a_fixed_number_of_queries(stage_two):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    evaluator = client_as(EVALUATOR)
    staff = UserFactory(is_staff=True)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert evaluator.get(admin_url("evaluation_pack", stage_two.pk)).status_code == 200
        return len(captured)

    EvaluationPack.objects.create(evaluation=stage_two, format="pdf", requested_by=staff, status="done")
    one = queries()
    for _ in range(5):
        EvaluationPack.objects.create(evaluation=stage_two, format="xlsx", requested_by=UserFactory(), status="failed")
    assert queries() == one

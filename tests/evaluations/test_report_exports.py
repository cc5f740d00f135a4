"""Yearly report files: made by a task with its progress saved, downloadable only by staff allowed to."""

import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.choices import ExportStatus
from evaluations.models import ReportExport
from evaluations.services import report_export_build, report_export_request
from evaluations.tasks import build_waiting_report_exports
from smartcity.roles import EVALUATOR, OPD_EDITOR
from tests.pillars.factories import ProgramFactory

from .factories import EvaluationFactory, FindingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def staff(make_user, role):
    user = make_user(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def year_with_data():
    evaluation = EvaluationFactory()
    FindingFactory(evaluation=evaluation, text_ind="Integrasi data belum tuntas")
    ProgramFactory(title_ind="Wi-Fi publik", first_year=evaluation.year - 1, last_year=evaluation.year + 1)
    return evaluation.year


def test_xlsx_report_has_every_section_and_the_year_s_rows(
    make_user, year_with_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the doorbell is not rung: build it directly
        export = report_export_request(actor=staff(make_user, EVALUATOR), year=year_with_data, fmt="xlsx")
    export = report_export_build(export=export)
    assert (export.status, export.progress) == (ExportStatus.DONE, 100)
    workbook = load_workbook(io.BytesIO(export.file.read()))
    assert workbook.sheetnames == ["Pilar", "Nilai", "Indikator", "Program", "Temuan"]
    assert "Wi-Fi publik" in [row[0] for row in workbook["Program"].iter_rows(values_only=True)]
    assert any("Integrasi data" in str(row[2]) for row in workbook["Temuan"].iter_rows(values_only=True))


def test_pdf_report_is_a_pdf(make_user, year_with_data):
    export = ReportExport.objects.create(year=year_with_data, format="pdf", requested_by=make_user())
    assert report_export_build(export=export).file.read()[:5] == b"%PDF-"


def test_a_report_whose_message_was_lost_is_built_by_the_sweeper(make_user, year_with_data):
    export = ReportExport.objects.create(year=year_with_data, format="xlsx", requested_by=make_user())
    assert build_waiting_report_exports(older_than_seconds=0) == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    assert build_waiting_report_exports(older_than_seconds=0) == 0  # nothing is built twice


def test_only_allowed_staff_see_and_download_the_files(client, make_user, year_with_data, settings):
    export = report_export_build(
        export=ReportExport.objects.create(year=year_with_data, format="pdf", requested_by=make_user())
    )
    download = reverse("evaluations:report-export-download", args=[export.pk])
    assert client.get(download).status_code == 302  # anonymous: to the login page
    client.force_login(staff(make_user, OPD_EDITOR))
    assert client.get(download).status_code == 403
    assert client.post(reverse("evaluations:report-export-list"), {"year": 2024, "format": "pdf"}).status_code == 403
    client.force_login(staff(make_user, EVALUATOR))
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content)[:5] == b"%PDF-"
    assert not str(export.file.path).startswith(str(settings.MEDIA_ROOT))  # never reachable as a media URL


def test_asking_for_a_report_with_a_bad_year_changes_nothing(client, make_user):
    client.force_login(staff(make_user, EVALUATOR))
    response = client.post(reverse("evaluations:report-export-list"), {"year": 1800, "format": "pdf"})
    assert response.status_code == 200 and "year" in response.context["form"].errors
    assert not ReportExport.objects.exists()

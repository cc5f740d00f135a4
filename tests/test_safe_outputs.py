"""Safe outputs (issue 12, item 6): each test opens with the reproduction of what an outside review did.

Every CSV and XLSX the portal writes escapes cells a spreadsheet would run as formulas; uploads are stored and
served as the type their bytes show; JSON nested too deep is a 400; ids no column can hold are a 400.
"""

import csv
import io
import json

import openpyxl
import pytest
from django.contrib import admin
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluations.models import Finding
from evaluations.reports import Section, sections_to_xlsx
from pillars.models import Program
from smartcity.opendata import open_data_build
from smartcity.spreadsheets import SafeCSV, SafeXLSX, escape_formula
from tests.partnerships.factories import PartnerFactory
from tests.pillars.factories import MilestoneFactory, ProgramFactory
from tests.responses import body

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://evil.example","klik")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00" + b"\x00" * 64


def csv_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


# --- Formula cells ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("title", FORMULAS)
def test_public_list_downloads_escape_formula_cells(client, title):
    ProgramFactory(slug="jebakan", title_ind=title)
    rows = csv_rows(body(client.get("/programs/?download=csv")))
    assert rows[0]["title_ind"] == "'" + title  # was written raw: a spreadsheet ran it
    assert json.loads(body(client.get("/programs/?download=json")))[0]["title_ind"] == title  # JSON needs none


def test_registry_downloads_escape_formula_cells(client):
    PartnerFactory(slug="jebakan", name="=cmd|' /C calc'!A0")
    rows = csv_rows(body(client.get("/partnerships/partners/?download=csv")))
    assert rows[0]["name"] == "'=cmd|' /C calc'!A0"


def test_open_data_files_escape_formula_cells(client, settings, tmp_path):
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"
    ProgramFactory(slug="jebakan", title_ind="@SUM(1+1)*cmd|' /C calc'!A0")
    open_data_build()
    rows = csv_rows((tmp_path / "open-data" / "programs.csv").read_bytes())
    assert rows[0]["title_ind"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert json.loads((tmp_path / "open-data" / "programs.json").read_text())[0]["title_ind"].startswith("@SUM")


def test_admin_exports_use_the_same_rule():
    from pillars.resources import ProgramResource

    ProgramFactory(slug="jebakan", title_ind="=1+1", description_ind="-12.5")
    formats = admin.site._registry[Program].get_export_formats()
    assert formats == [SafeCSV, SafeXLSX]  # was django-import-export's CSV and XLSX: formulas written raw
    rows = csv_rows(SafeCSV().export_data(ProgramResource().export()).encode())
    assert rows[0]["title_ind"] == "'=1+1" and rows[0]["description_ind"] == "-12.5"  # a number stays a number
    sheet = openpyxl.load_workbook(io.BytesIO(SafeXLSX().export_data(ProgramResource().export()))).active
    header = [cell.value for cell in sheet[1]]
    title = sheet.cell(row=2, column=header.index("title_ind") + 1)
    assert title.value == "'=1+1" and title.data_type == "s"  # text, not a formula openpyxl would store


def test_evaluation_report_workbooks_store_formula_text_as_text():
    workbook = sections_to_xlsx([Section("Temuan", ["uraian"], [['=HYPERLINK("x")'], ["biasa"]])], lambda _: None)
    cells = list(openpyxl.load_workbook(io.BytesIO(workbook)).active.iter_rows(min_row=2, values_only=True))
    assert cells == [('\'=HYPERLINK("x")',), ("biasa",)]


@pytest.mark.parametrize(("value", "safe"), [("-12.5", "-12.5"), ("+62 812", "'+62 812"), (7, 7), (None, None)])
def test_numbers_and_empty_cells_are_left_alone(value, safe):
    assert escape_formula(value) == safe


# --- Uploads: stored and served as what they are -------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def test_an_upload_is_stored_and_served_as_its_detected_type(client, media):
    milestone = MilestoneFactory(program=ProgramFactory(), evidence=SimpleUploadedFile("evil.html", PNG))
    response = client.get(f"/media/{milestone.evidence.name}")
    assert response["Content-Type"] == "image/png"  # was text/html: the uploader's name chose the type
    assert milestone.evidence.name.endswith(".png") and body(response) == PNG


def test_a_file_stored_under_a_wrong_name_is_served_as_its_content(client, media):
    milestone = MilestoneFactory(program=ProgramFactory(), evidence=SimpleUploadedFile("bukti.pdf", PNG))
    (media / "evidence").mkdir(parents=True, exist_ok=True)
    (media / "evidence" / "lama.html").write_bytes(PNG)  # stored before names followed the content
    type(milestone).objects.filter(pk=milestone.pk).update(evidence="evidence/lama.html")
    response = client.get("/media/evidence/lama.html")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert default_storage.exists("evidence/lama.html")


def test_unknown_content_is_never_shown_inline(client, media):
    milestone = MilestoneFactory(program=ProgramFactory(), evidence=SimpleUploadedFile("x.html", b"<script>1</script>"))
    assert milestone.evidence.name.endswith(".bin")
    response = client.get(f"/media/{milestone.evidence.name}")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


# --- Bad JSON and bad ids ----------------------------------------------------------------------------------


def nested(levels: int) -> str:
    return '{"slug": ' + "[" * levels + "]" * levels + "}"


@pytest.mark.parametrize(
    ("path", "perm"), [("/api/v1/programs/", "pillars.add_program"), ("/api/v1/mous/", "partnerships.add_mou")]
)
def test_json_nested_past_the_recursion_limit_is_a_400(api_client, make_user, path, perm):
    api_client.force_authenticate(make_user(perm))
    response = api_client.post(path, data=nested(100_000), content_type="application/json")
    assert response.status_code == 400  # was 500: RecursionError
    assert response.data["code"] == "parse_error"


def test_json_nested_deeper_than_any_record_is_refused_before_validation(api_client, make_user):
    api_client.force_authenticate(make_user("pillars.add_program"))
    response = api_client.post("/api/v1/programs/", data=nested(40), content_type="application/json")
    assert response.status_code == 400 and response.data["code"] == "parse_error"


def test_malformed_json_is_a_400(api_client, make_user):
    api_client.force_authenticate(make_user("pillars.add_program"))
    response = api_client.post("/api/v1/programs/", data='{"slug": "a",', content_type="application/json")
    assert response.status_code == 400 and response.data["code"] == "parse_error"


@pytest.mark.parametrize("value", ["-3577668620188138579461666263531520", "9223372036854775808"])
def test_an_id_no_column_can_hold_is_a_400(client, value):
    response = client.get(f"/api/v1/findings/?evaluation_id={value}")
    assert response.status_code == 400 and "evaluation_id" in response.json()["errors"]
    assert not Finding.objects.filter(pk__in=[int(value)]).exists()  # the lookup itself: no row, no error

"""Issue 23 items 3 and 11: every import reads its file through one reader (smartcity/spreadsheets.py) that refuses
a decompression bomb before opening it, stops reading past IMPORT_MAX_ROWS, and refuses NUL bytes, over-long
fields and non-ASCII digits in area codes, with a clear error and nothing saved, in the admin and the API alike."""

import io
import time
import zipfile

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations.models import SurveyResponse
from pillars.models import District, Program
from smartcity.roles import DISKOMINFO_EDITOR, OPD_EDITOR
from smartcity.spreadsheets import SpreadsheetRefusedError, read_csv, read_xlsx
from tests.evaluations.factories import SurveyTargetFactory
from tests.factories import UserFactory
from tests.pillars.factories import AgencyFactory
from tests.snapshots import changed_tables, snapshot

pytestmark = pytest.mark.django_db

ROW = b'<row><c t="inlineStr"><is><t>x</t></is></c><c t="n"><v>1</v></c></row>'


def bomb(rows: int) -> bytes:
    """A real workbook whose sheet holds `rows` identical rows: a few hundred KB zipped, 70 bytes a row unzipped."""
    book = openpyxl.Workbook()
    book.active.append(["respondent", "answered_on"])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info, source.read(info))
                continue
            head, _, tail = source.read(info).partition(b"<sheetData>")
            head = head.replace(b'ref="A1:B1"', b'ref="A1:B%d"' % rows)  # it declares the rows it holds
            with target.open(info.filename, "w", force_zip64=True) as sheet:
                sheet.write(head + b"<sheetData>")
                chunk, left = ROW * 10_000, rows
                while left > 0:
                    sheet.write(chunk if left >= 10_000 else ROW * left)
                    left -= 10_000
                sheet.write(b"</sheetData>" + tail.partition(b"</sheetData>")[2])
    return out.getvalue()


@pytest.fixture(scope="module")
def three_million_rows():
    return bomb(3_000_000)


def staff(role, agency=None):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    if agency is not None:
        agency.members.add(user)
    return user


# --- the reader itself ----------------------------------------------------------------------------------------------
def test_the_bomb_is_small_zipped_and_refused_from_the_zip_directory_before_it_is_opened(three_million_rows):
    assert len(three_million_rows) < 1_000_000  # ~200 KB, like the review's 363 KB workbook
    started = time.monotonic()
    with pytest.raises(SpreadsheetRefusedError) as refused:
        read_xlsx(three_million_rows)
    assert refused.value.code == "too_large_unzipped"  # the cap, not a parse: openpyxl never opened it
    assert time.monotonic() - started < 1


def test_a_workbook_under_the_cap_stops_reading_at_the_row_limit(settings):
    settings.IMPORT_MAX_ROWS = 100
    started = time.monotonic()
    with pytest.raises(SpreadsheetRefusedError) as refused:
        read_xlsx(bomb(200_000))  # 14 MB unzipped: under the cap, far over the rows
    assert refused.value.code == "too_many_rows" and "100" in refused.value.message
    assert time.monotonic() - started < 3  # 101 rows read, not 200,000


def test_the_row_limit_counts_data_rows_not_the_header(settings):
    settings.IMPORT_MAX_ROWS = 2
    assert len(read_csv("a,b\n1,2\n3,4\n")) == 2
    with pytest.raises(SpreadsheetRefusedError, match="lebih dari 2 baris"):  # "more than 2 rows"
        read_csv("a,b\n1,2\n3,4\n5,6\n")


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"code,name\n13.71.04,Padang\x00Selatan\n", "nul_byte"),
        (b"code,name\n13.71.04," + b"x" * 140_000 + b"\n", "field_too_long"),  # past csv's own 128 KB limit
        (b"code,name\n13.71.04," + b"x" * 40_000 + b"\n", "field_too_long"),  # past a spreadsheet cell
        (b'code,name\n13.71.04,"Padang\n', "unreadable"),
        (b"code,name\n13.71.04,Padang,extra\n", "wide_row"),
    ],
)
def test_the_csv_reader_refuses_bad_text_with_a_code(content, code):
    with pytest.raises(SpreadsheetRefusedError) as refused:
        read_csv(content)
    assert refused.value.code == code and refused.value.message


# --- through the doors: the admin's import and the API's survey import ----------------------------------------------
def test_the_bomb_through_an_opd_editors_admin_import_is_a_form_error_and_saves_nothing(client, three_million_rows):
    client.force_login(staff(OPD_EDITOR, AgencyFactory()))
    before = snapshot()
    started = time.monotonic()
    upload = SimpleUploadedFile("programs.xlsx", three_million_rows)
    response = client.post(reverse("admin:pillars_program_import"), {"import_file": upload, "format": "1"})
    assert time.monotonic() - started < 5  # the review measured 30.7 s and a SIGKILL
    assert response.status_code == 200
    assert "terurai menjadi 200 MB" in response.context["form"].errors["import_file"][0]  # "unpacks to 200 MB"
    assert "result" not in response.context and not Program.objects.exists()
    assert not changed_tables(before, snapshot())


def test_the_bomb_through_the_api_survey_import_is_a_400_and_saves_nothing(api_client, three_million_rows):
    target = SurveyTargetFactory()
    api_client.force_authenticate(staff(DISKOMINFO_EDITOR))
    before = snapshot()
    started = time.monotonic()
    upload = SimpleUploadedFile("responses.xlsx", three_million_rows)
    url = reverse("evaluations-api:surveytarget-import-responses", args=[target.pk])
    response = api_client.post(url, {"file": upload}, format="multipart")
    assert time.monotonic() - started < 5  # the review measured 30.7 s and a SIGKILL
    assert response.status_code == 400 and response.data["code"] == "invalid", response.data
    assert response.data["errors"]["file"][0].code == "too_large_unzipped"
    assert not SurveyResponse.objects.exists() and not changed_tables(before, snapshot())


def test_a_survey_file_over_the_row_limit_is_refused_without_reading_it_whole(api_client, settings):
    settings.IMPORT_MAX_ROWS = 50
    target = SurveyTargetFactory()
    api_client.force_authenticate(staff(DISKOMINFO_EDITOR))
    upload = SimpleUploadedFile("responses.xlsx", bomb(100_000))
    url = reverse("evaluations-api:surveytarget-import-responses", args=[target.pk])
    response = api_client.post(url, {"file": upload}, format="multipart")
    assert response.status_code == 400 and response.data["errors"]["file"][0].code == "too_many_rows"
    assert "50" in response.data["errors"]["file"][0]
    assert not SurveyResponse.objects.exists()


# --- the office's area file (issue 23 item 11): a 400 or a form error, never a 500 ----------------------------------
AREA_FILES = {
    "a NUL byte": b"code,name\n13.71.04,Padang\x00Selatan\n",
    "a field over 128 KB": b"code,name\n13.71.04," + b"x" * 140_000 + b"\n",
    "Arabic-Indic digits": "code,name\n١٣.٧١.٠٤,Padang Selatan\n".encode(),
    "full-width digits": "code,name\n１３.７１.０４,Padang Selatan\n".encode(),
}


@pytest.mark.parametrize("content", AREA_FILES.values(), ids=AREA_FILES.keys())
def test_a_bad_area_file_is_a_400_through_the_api_and_saves_nothing(api_client, content):
    api_client.force_authenticate(staff(DISKOMINFO_EDITOR))
    before = snapshot()
    upload = SimpleUploadedFile("wilayah.csv", content, content_type="text/csv")
    response = api_client.post(reverse("pillars-api:district-load"), {"file": upload}, format="multipart")
    assert response.status_code == 400 and "file" in response.data["errors"], response.data
    assert not District.objects.exists() and not changed_tables(before, snapshot())


@pytest.mark.parametrize("content", AREA_FILES.values(), ids=AREA_FILES.keys())
def test_a_bad_area_file_is_a_form_error_in_the_admin_and_saves_nothing(client, content):
    client.force_login(staff(DISKOMINFO_EDITOR))
    upload = SimpleUploadedFile("wilayah.csv", content, content_type="text/csv")
    response = client.post(reverse("admin:pillars_district_load"), {"file": upload})
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert not District.objects.exists()


def test_a_unicode_digit_code_is_refused_by_the_model_too():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        District(code="١٣.٧١.٠٤", name="Padang Selatan").full_clean()

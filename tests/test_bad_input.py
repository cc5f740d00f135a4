"""A corpus of bad input against every create and update of the API, the admin's import and `import_records`.

Reversed dates, negative money and quantities, percentages over 100, scores outside the scale, unknown
foreign keys, overlong strings, wrong types, malformed CSV and XLSX, and a 50 MB upload. Each must answer a
clear 400 (the API's `{"code": "invalid" or the refusing rule's code, "errors": {...}}`; 413 for a body too large
to read), a form error in the admin, or a CommandError, and leave every table of the three apps as it was.
"""

import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from pillars.models import Pillar
from smartcity.roles import DISKOMINFO_EDITOR
from tests.evaluations.factories import EvaluationFactory, EvaluationSchemeFactory, FindingFactory
from tests.factories import UserFactory
from tests.partnerships.factories import CommitmentFactory, MoUFactory, PartnerFactory, make_key
from tests.pillars.factories import AgencyFactory, IndicatorFactory, ProgramFactory
from tests.snapshots import changed_tables, snapshot

pytestmark = pytest.mark.django_db

TOMORROW = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
LONG = "x" * 1000
MB = 1024 * 1024
# One client of each kind for the module: a new client loads the middleware (and WhiteNoise's file scan) again.
CLIENTS = {"api": APIClient(), "admin": Client()}


@pytest.fixture
def editor(db):
    user = UserFactory(is_staff=True, username="editor")
    user.groups.add(Group.objects.get(name=DISKOMINFO_EDITOR))
    return user


@pytest.fixture
def rows(db):
    """One row of each kind the bad requests aim at or name."""
    agency = AgencyFactory(slug="dishub")
    partner = PartnerFactory(slug="telkom")
    mou = MoUFactory(slug="mou-telkom", party__partner=partner)
    evaluation = EvaluationFactory(scheme=EvaluationSchemeFactory(year=2023))
    return {
        "agency": agency,
        "program": ProgramFactory(slug="wifi", lead_agency=agency),
        "indicator": IndicatorFactory(slug="capaian", owner_agency=agency),
        "partner": partner,
        "mou": mou,
        "draft_mou": MoUFactory(slug="mou-draft", state="draft", signed_on=None, party__partner=partner),
        "commitment": CommitmentFactory(mou=mou),
        "evaluation": evaluation,
        "finding": FindingFactory(evaluation=evaluation),
    }


def program(**bad):
    good = {
        "slug": "baru",
        "title_ind": "Baru",
        "pillar": "PILLAR",
        "lead_agency": "AGENCY",
        "first_year": 2024,
        "last_year": 2025,
    }
    return good | bad


def mou(**bad):
    good = {
        "slug": "mou-baru",
        "title_ind": "MoU baru",
        "valid_from": "2025-01-01",
        "valid_until": "2027-12-31",
        "parties": [{"partner": "PARTNER"}],
    }
    return good | bad


def scheme(**bad):
    good = {
        "name": "Skema",
        "year": 2026,
        "issuing_body": "Kementerian",
        "scale_max": "4",
        "dimensions": [{"code": "output", "name_ind": "Output", "weight": "100"}],
    }
    return good | bad


def evaluation(**bad):
    return {"scheme": "SCHEME", "year": 2023, "stage": "stage_1", "kind": "field_review"} | bad


P, PA, EV = "pillars-api:", "partnerships-api:", "evaluations-api:"
# (name, method, url name, lookup of the row aimed at or None, body, the error key the answer must name)
API_CASES = [
    # programs: reversed years, percentages, unknown slugs, overlong and mistyped fields
    ("program reversed years", "post", f"{P}program", None, program(first_year=2026, last_year=2024), "last_year"),
    ("program progress over 100", "post", f"{P}program", None, program(progress=140), "progress"),
    ("program negative progress", "post", f"{P}program", None, program(progress=-5), "progress"),
    ("program unknown pillar", "post", f"{P}program", None, program(pillar=999999), "pillar"),
    ("program unknown agency", "post", f"{P}program", None, program(lead_agency=999999), "lead_agency"),
    ("program unknown sub-dimension", "post", f"{P}program", None, program(sub_dimensions=[999999]), "sub_dimensions"),
    ("program overlong title", "post", f"{P}program", None, program(title_ind=LONG), "title_ind"),
    ("program year as text", "post", f"{P}program", None, program(first_year="dua ribu"), "first_year"),
    ("program list for a string", "post", f"{P}program", None, program(title_ind=["a", "b"]), "title_ind"),
    ("program null pillar", "post", f"{P}program", None, program(pillar=None), "pillar"),
    ("program year 1800", "post", f"{P}program", None, program(first_year=1800), "first_year"),
    (
        "program latitude outside Indonesia",
        "post",
        f"{P}program",
        None,
        program(latitude="48.85", longitude="2.35"),
        "latitude",
    ),
    (
        "program completed at 50 %",
        "patch",
        f"{P}program",
        "program",
        {"stage": "completed", "progress": 50, "completed_on": "2024-01-01"},
        "progress",
    ),
    ("program update reversed years", "patch", f"{P}program", "program", {"first_year": 2030}, "last_year"),
    ("program update null title", "patch", f"{P}program", "program", {"title_ind": None}, "title_ind"),
    (
        "milestone unknown program",
        "post",
        f"{P}milestone",
        None,
        {"program": 999999, "title_ind": "Tahap", "due_on": "2025-01-01"},
        "program",
    ),
    (
        "milestone date as text",
        "post",
        f"{P}milestone",
        None,
        {"program": "PROGRAM", "title_ind": "Tahap", "due_on": "besok"},
        "due_on",
    ),
    (
        "budget negative money",
        "post",
        f"{P}budgetline",
        None,
        {"program": "PROGRAM", "year": 2024, "source": "apbd", "planned_amount": -1000},
        "planned_amount",
    ),
    (
        "budget money as text",
        "post",
        f"{P}budgetline",
        None,
        {"program": "PROGRAM", "year": 2024, "source": "apbd", "realised_amount": "banyak"},
        "realised_amount",
    ),
    (
        "budget unknown source",
        "post",
        f"{P}budgetline",
        None,
        {"program": "PROGRAM", "year": 2024, "source": "hutang"},
        "source",
    ),
    (
        "indicator unknown agency",
        "post",
        f"{P}indicator",
        None,
        {"slug": "i", "name_ind": "I", "unit": "%", "owner_agency": 999999},
        "owner_agency",
    ),
    ("indicator baseline year 3000", "patch", f"{P}indicator", "indicator", {"baseline_year": 3000}, "baseline_year"),
    (
        "target value as list",
        "post",
        f"{P}indicatortarget",
        None,
        {"indicator": "INDICATOR", "year": 2024, "value": [1]},
        "value",
    ),
    (
        "target value too many digits",
        "post",
        f"{P}indicatortarget",
        None,
        {"indicator": "INDICATOR", "year": 2024, "value": "1" * 20},
        "value",
    ),
    (
        "measurement in the future",
        "post",
        f"{P}measurement",
        None,
        {"indicator": "INDICATOR", "measured_on": TOMORROW, "value": "1"},
        "measured_on",
    ),
    (
        "measurement unknown indicator",
        "post",
        f"{P}measurement",
        None,
        {"indicator": 999999, "measured_on": "2024-01-01", "value": "1"},
        "indicator",
    ),
    (
        "service live without a year",
        "post",
        f"{P}digitalservice",
        None,
        {"slug": "s", "name": "S", "pillar": "PILLAR", "owner_agency": "AGENCY", "status": "live"},
        "launched_year",
    ),
    (
        "service bad address",
        "post",
        f"{P}digitalservice",
        None,
        {"slug": "s", "name": "S", "pillar": "PILLAR", "owner_agency": "AGENCY", "url": "not a url"},
        "url",
    ),
    ("asset unknown kind", "post", f"{P}infrastructureasset", None, {"kind": "spaceship", "name": "X"}, "kind"),
    (
        "asset latitude without longitude",
        "post",
        f"{P}infrastructureasset",
        None,
        {"kind": "wifi", "name": "X", "latitude": "-0.9"},
        "longitude",
    ),
    (
        "asset unknown operator",
        "post",
        f"{P}infrastructureasset",
        None,
        {"kind": "wifi", "name": "X", "operator": 999999},
        "operator",
    ),
    (
        "masterplan reversed years",
        "post",
        f"{P}masterplan",
        None,
        {"title": "M", "first_year": 2030, "last_year": 2020},
        "last_year",
    ),
    # partnerships
    ("partner unknown kind", "post", f"{PA}partner", None, {"name": "P", "slug": "p", "kind": "alien"}, "kind"),
    ("partner overlong name", "post", f"{PA}partner", None, {"name": LONG, "slug": "p", "kind": "private"}, "name"),
    ("partner slug with spaces", "post", f"{PA}partner", None, {"name": "P", "slug": "a b", "kind": "private"}, "slug"),
    ("MoU reversed validity", "post", f"{PA}mou", None, mou(valid_until="2024-01-01"), "valid_until"),
    ("MoU without parties", "post", f"{PA}mou", None, mou(parties=[]), "parties"),
    ("MoU unknown partner", "post", f"{PA}mou", None, mou(parties=[{"partner": 999999}]), "parties"),
    ("MoU parties as text", "post", f"{PA}mou", None, mou(parties="Telkom"), "parties"),
    ("MoU unknown scope area", "post", f"{PA}mou", None, mou(scope_areas=[999999]), "scope_areas"),
    ("MoU update reversed validity", "patch", f"{PA}mou", "mou", {"valid_until": "2000-01-01"}, "valid_until"),
    ("MoU sign in the future", "post", f"{PA}mou-sign", "draft_mou", {"signed_on": TOMORROW}, "signed_on"),
    ("MoU sign date as text", "post", f"{PA}mou-sign", "draft_mou", {"signed_on": "kemarin"}, "signed_on"),
    ("MoU sign twice", "post", f"{PA}mou-sign", "mou", {"signed_on": "2024-01-01"}, "non_field_errors"),
    (
        "MoU terminate before signing",
        "post",
        f"{PA}mou-terminate",
        "mou",
        {"terminated_on": "2000-01-01", "reason": "Selesai"},
        "terminated_on",
    ),
    ("MoU terminate without reason", "post", f"{PA}mou-terminate", "mou", {"terminated_on": "2025-01-01"}, "reason"),
    (
        "commitment zero target",
        "post",
        f"{PA}commitment",
        None,
        {"mou": "MOU", "partner": "PARTNER", "description_ind": "D", "target_quantity": "0", "unit_ind": "u"},
        "target_quantity",
    ),
    (
        "commitment negative target",
        "patch",
        f"{PA}commitment",
        "commitment",
        {"target_quantity": "-80"},
        "target_quantity",
    ),
    (
        "commitment unknown MoU",
        "post",
        f"{PA}commitment",
        None,
        {"mou": 999999, "partner": "PARTNER", "description_ind": "D", "target_quantity": "1", "unit_ind": "u"},
        "mou",
    ),
    (
        "progress negative quantity",
        "post",
        f"{PA}progressreport",
        None,
        {"commitment": "COMMITMENT", "reported_on": "2025-01-01", "quantity_reached": "-1"},
        "quantity_reached",
    ),
    (
        "progress in the future",
        "post",
        f"{PA}progressreport",
        None,
        {"commitment": "COMMITMENT", "reported_on": TOMORROW, "quantity_reached": "1"},
        "reported_on",
    ),
    (
        "progress unknown commitment",
        "post",
        f"{PA}progressreport",
        None,
        {"commitment": 999999, "reported_on": "2025-01-01", "quantity_reached": "1"},
        "commitment",
    ),
    # evaluations: weights, scales, bands and scores
    (
        "scheme weights add to 90",
        "post",
        f"{EV}evaluationscheme",
        None,
        scheme(dimensions=[{"code": "output", "name_ind": "O", "weight": "90"}]),
        "non_field_errors",
    ),
    (
        "scheme weight over 100",
        "post",
        f"{EV}evaluationscheme",
        None,
        scheme(dimensions=[{"code": "output", "name_ind": "O", "weight": "150"}]),
        "dimensions",
    ),
    ("scheme reversed scale", "post", f"{EV}evaluationscheme", None, scheme(scale_min="5"), "scale_max"),
    ("scheme nine decimals", "post", f"{EV}evaluationscheme", None, scheme(decimals=9), "decimals"),
    (
        "scheme band outside the scale",
        "post",
        f"{EV}evaluationscheme",
        None,
        scheme(bands=[{"label_ind": "B", "lower": "3", "upper": "7"}]),
        "non_field_errors",
    ),
    (
        "scheme overlapping bands",
        "post",
        f"{EV}evaluationscheme",
        None,
        scheme(bands=[{"label_ind": "A", "lower": "0", "upper": "3"}, {"label_ind": "B", "lower": "2", "upper": "4"}]),
        "non_field_errors",
    ),
    (
        "evaluation score above the scale",
        "post",
        f"{EV}evaluation",
        None,
        evaluation(dimension_scores=[{"dimension": "DIMENSION", "score": "9"}]),
        "dimension_scores",
    ),
    (
        "evaluation negative score",
        "post",
        f"{EV}evaluation",
        None,
        evaluation(pillar_scores=[{"pillar": "PILLAR", "score": "-1"}]),
        "pillar_scores",
    ),
    (
        "evaluation unknown dimension",
        "post",
        f"{EV}evaluation",
        None,
        evaluation(dimension_scores=[{"dimension": 999999, "score": "1"}]),
        "dimension_scores",
    ),
    (
        "evaluation unknown pillar",
        "post",
        f"{EV}evaluation",
        None,
        evaluation(pillar_scores=[{"pillar": 999999, "score": "1"}]),
        "pillar_scores",
    ),
    ("evaluation year of another scheme", "post", f"{EV}evaluation", None, evaluation(year=2019), "scheme"),
    (
        "evaluation reversed dates",
        "post",
        f"{EV}evaluation",
        None,
        evaluation(started_on="2023-10-01", ended_on="2023-06-01"),
        "ended_on",
    ),
    ("evaluation rank zero", "post", f"{EV}evaluation", None, evaluation(national_rank=0), "national_rank"),
    (
        "evaluation score too precise",
        "patch",
        f"{EV}evaluation",
        "evaluation",
        {"dimension_scores": [{"dimension": "DIMENSION", "score": "3.555"}]},
        "dimension_scores",
    ),
    (
        "finding unknown evaluation",
        "post",
        f"{EV}finding",
        None,
        {"evaluation": 999999, "kind": "weakness", "text_ind": "T"},
        "evaluation",
    ),
    ("finding null text", "patch", f"{EV}finding", "finding", {"text_ind": None}, "text_ind"),
    (
        "follow-up unknown agency",
        "post",
        f"{EV}followupaction",
        None,
        {"finding": "FINDING", "owner_agency": 999999, "title_ind": "T", "due_on": "2099-01-01"},
        "owner_agency",
    ),
    (
        "follow-up done without date",
        "post",
        f"{EV}followupaction",
        None,
        {"finding": "FINDING", "owner_agency": "AGENCY", "title_ind": "T", "due_on": "2099-01-01", "status": "done"},
        "done_on",
    ),
    (
        "field visit overlong site",
        "post",
        f"{EV}fieldvisit",
        None,
        {"evaluation": "EVALUATION", "visited_on": "2023-10-01", "site": LONG},
        "site",
    ),
]
PLACEHOLDERS = {
    "PARTNER": "partner",
    "MOU": "mou",
    "COMMITMENT": "commitment",
    "SCHEME": "scheme",
    "FINDING": "finding",
    "EVALUATION": "evaluation",
    "AGENCY": "agency",
    "PROGRAM": "program",
    "INDICATOR": "indicator",
}


def resolve(value, rows):
    """Replace the placeholders in a body by the ids of the world's rows (the API names a relation by id)."""
    if isinstance(value, dict):
        return {key: resolve(item, rows) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, rows) for item in value]
    if value == "SCHEME":
        return rows["evaluation"].scheme_id
    if value == "PILLAR":
        return Pillar.objects.get(slug="governance").pk
    if value == "DIMENSION":
        return rows["evaluation"].scheme.dimensions.get(code="output").pk
    return rows[PLACEHOLDERS[value]].pk if isinstance(value, str) and value in PLACEHOLDERS else value


def api_as(user):
    client = CLIENTS["api"]
    client.credentials()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(
    ("method", "url_name", "target", "body", "field"),
    [case[1:] for case in API_CASES],
    ids=[case[0] for case in API_CASES],
)
def test_api_refuses_bad_input_with_400_and_changes_nothing(editor, rows, method, url_name, target, body, field):
    row = rows[target] if target else None
    if row is None:
        url = reverse(f"{url_name}-list")
    else:
        suffix = "" if url_name.endswith(("sign", "terminate")) else "-detail"
        url = reverse(f"{url_name}{suffix}", args=[getattr(row, "slug", None) or row.pk])  # the slug where it has one
    before = snapshot(row)
    response = getattr(api_as(editor), method)(url, resolve(body, rows), format="json")
    assert response.status_code == 400, response.data
    assert field in response.data["errors"], response.data
    # A field's error is "invalid"; a rule that refuses the whole write names itself (weights_sum, not_draft).
    if field == "non_field_errors":
        assert response.data["code"] not in ("invalid", "error"), response.data
    else:
        assert response.data["code"] == "invalid", response.data
    after = snapshot(row)
    assert after[1] == before[1] and not changed_tables(before, after)


def test_partner_key_bad_asset_status_is_400(rows):
    from tests.pillars.factories import InfrastructureAssetFactory

    asset = InfrastructureAssetFactory(operator=rows["partner"])
    _, key = make_key(rows["partner"])
    client = CLIENTS["api"]
    client.force_authenticate(None)
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    before = snapshot(asset)
    url = reverse("partnerships-api:infrastructureasset-status", args=[asset.pk])
    for body in ({"status": "exploded"}, {"status": ["active"]}, {}):
        response = client.post(url, body, format="json")
        assert response.status_code == 400 and "status" in response.data["errors"]
    assert snapshot(asset) == before


# --- 50 MB --------------------------------------------------------------------------------------------------------
def fifty_mb_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("bukti.pdf", b"%PDF-1.4\n" + b"0" * (50 * MB), content_type="application/pdf")


def test_a_50_mb_evidence_upload_is_a_400(editor, rows):
    before = snapshot()
    body = {"indicator": rows["indicator"].pk, "measured_on": "2024-01-01", "value": "1", "evidence": fifty_mb_pdf()}
    response = api_as(editor).post(reverse("pillars-api:measurement-list"), body, format="multipart")
    assert response.status_code == 400 and response.data["errors"]["evidence"][0].code == "file_too_large"
    assert not changed_tables(before, snapshot())


def test_a_50_mb_json_body_is_a_413_not_a_server_error(editor, rows):
    """Django refuses to read a non-file body over DATA_UPLOAD_MAX_MEMORY_SIZE; the API says so in its format."""
    before = snapshot()
    body = {
        "indicator": rows["indicator"].pk,
        "measured_on": "2024-01-01",
        "value": "1",
        "source_note": "x" * (50 * MB),
    }
    response = api_as(editor).post(reverse("pillars-api:measurement-list"), body, format="json")
    assert response.status_code == 413 and response.data["code"] == "too_large"
    assert not changed_tables(before, snapshot())


def test_a_50_mb_evidence_in_the_admin_is_a_form_error(editor, rows):
    client = CLIENTS["admin"]
    client.force_login(editor)
    before = snapshot()
    data = {"indicator": rows["indicator"].pk, "measured_on": "2024-01-01", "value": "1", "evidence": fifty_mb_pdf()}
    response = client.post(reverse("admin:pillars_measurement_add"), data)
    assert response.status_code == 200 and "evidence" in response.context["adminform"].form.errors
    assert not changed_tables(before, snapshot())


# --- imports ------------------------------------------------------------------------------------------------------
HEADER = [
    "slug",
    "title_ind",
    "pillar",
    "lead_agency",
    "horizon",
    "stage",
    "progress",
    "first_year",
    "last_year",
    "publication",
]
GOOD_ROW = ["parkir", "Parkir elektronik", "living", "dishub", "short", "planned", "0", "2024", "2025", "published"]


def bad_row(**changes) -> list[str]:
    return [changes.get(name, value) for name, value in zip(HEADER, GOOD_ROW, strict=True)]


BAD_ROWS = {
    "reversed years": bad_row(first_year="2026", last_year="2024"),
    "progress over 100": bad_row(progress="140"),
    "negative progress": bad_row(progress="-3"),
    "unknown agency": bad_row(lead_agency="no-such-opd"),
    "unknown pillar": bad_row(pillar="smart-nothing"),
    "overlong title": bad_row(title_ind=LONG),
    "year as text": bad_row(first_year="dua ribu"),
    "empty required title": bad_row(title_ind=""),
}


def as_csv(*rows) -> bytes:
    return "\n".join(",".join(row) for row in rows).encode() + b"\n"


def as_xlsx(*rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


MALFORMED = {
    "binary garbage as CSV": ("csv", b"\x00\x01\x02\xff\xfe not a table"),
    "CSV with unbalanced quotes": ("csv", b'slug,title_ind\n"parkir,Parkir\n'),
    "CSV with semicolons": ("csv", b"slug;title_ind;pillar\nparkir;Parkir;living\n"),
    "empty CSV": ("csv", b""),
    "zip that is no workbook": ("xlsx", b"PK\x03\x04 this is no workbook"),
    "CSV bytes named XLSX": ("xlsx", as_csv(HEADER, GOOD_ROW)),
}
FORMATS = {"csv": "0", "xlsx": "1"}


def admin_import(client, fmt: str, content: bytes):
    upload = SimpleUploadedFile(f"programs.{fmt}", content)
    return client.post(reverse("admin:pillars_program_import"), {"import_file": upload, "format": FORMATS[fmt]})


def import_cases():
    for name, row in BAD_ROWS.items():
        for fmt, encode in (("csv", as_csv), ("xlsx", as_xlsx)):
            yield pytest.param(fmt, encode(HEADER, GOOD_ROW, row), id=f"{fmt}: a row with {name}")
    for name, (fmt, content) in MALFORMED.items():
        yield pytest.param(fmt, content, id=name)


@pytest.mark.parametrize(("fmt", "content"), list(import_cases()))
def test_admin_import_of_bad_input_shows_errors_and_imports_nothing(editor, rows, fmt, content):
    client = CLIENTS["admin"]
    client.force_login(editor)
    before = snapshot()
    response = admin_import(client, fmt, content)
    html = response.content.decode()
    assert response.status_code == 200 and 'name="import_file_name"' not in html  # no confirm step offered
    result, form = response.context.get("result"), response.context["form"]
    assert form.errors or result.has_errors() or result.has_validation_errors()  # shown to the user
    assert not changed_tables(before, snapshot())


@pytest.mark.parametrize(("fmt", "content"), list(import_cases()))
def test_import_command_with_bad_input_fails_and_imports_nothing(tmp_path, editor, rows, fmt, content):
    path = tmp_path / f"programs.{fmt}"
    path.write_bytes(content)
    before = snapshot()
    with pytest.raises(CommandError):
        call_command("import_records", "programs", str(path), "--user", "editor", verbosity=0)
    assert not changed_tables(before, snapshot())


@pytest.mark.parametrize(
    ("kind", "content"),
    [
        ("budget-lines", as_csv(["program", "year", "source", "planned_amount"], ["wifi", "2024", "apbd", "-5"])),
        ("budget-lines", as_csv(["program", "year", "source", "planned_amount"], ["nope", "2024", "apbd", "5"])),
        ("measurements", as_csv(["indicator", "measured_on", "value"], ["capaian", TOMORROW, "5"])),
        ("measurements", as_csv(["indicator", "measured_on", "value"], ["capaian", "2024-13-45", "5"])),
        ("measurements", as_csv(["indicator", "measured_on", "value"], ["capaian", "2024-01-01", "lima"])),
        ("indicators", as_csv(["slug", "name_ind", "unit", "owner_agency"], ["i", "I", "%", "nope"])),
        ("assets", as_csv(["id", "kind", "name", "latitude", "longitude"], ["", "wifi", "X", "91", "100"])),
        (
            "services",
            as_csv(["slug", "name", "pillar", "owner_agency", "status"], ["s", "S", "governance", "dishub", "live"]),
        ),
    ],
    ids=[
        "negative money",
        "unknown program",
        "future measurement",
        "impossible date",
        "value as text",
        "unknown agency",
        "latitude 91",
        "live service without a year",
    ],
)
def test_import_command_refuses_bad_rows_of_every_kind(tmp_path, editor, rows, kind, content):
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(content)
    before = snapshot()
    with pytest.raises(CommandError, match="row 1"):
        call_command("import_records", kind, str(path), "--user", "editor", verbosity=0)
    assert not changed_tables(before, snapshot())

"""The admin as staff use it: imports in words, a template per model, money with separators, sub-dimensions that
follow the pillar, score rows named by dimension, and an index in the order of the daily work."""

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from evaluations.models import DimensionScore, PillarScore
from pillars.models import BudgetLine, Pillar, Program, SubDimension
from pillars.resources import ProgramResource
from smartcity.roles import DISKOMINFO_EDITOR, OPD_EDITOR, VIEWER
from smartcity.widgets import MoneyField, MoneyInput
from tests.evaluations.factories import EvaluationFactory
from tests.pillars.factories import AgencyFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def staff(make_user, role, *agencies):
    user = make_user(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    for agency in agencies:
        agency.members.add(user)
    return user


@pytest.fixture
def editor_client(client, make_user):
    AgencyFactory(slug="dishub", acronym="Dishub")
    client.force_login(staff(make_user, DISKOMINFO_EDITOR))
    return client


def url(name, *args, language="en"):
    with translation.override(language):
        return reverse(name, args=args)


def upload(client, text: str, language="en"):
    file = SimpleUploadedFile("programs.csv", text.encode(), content_type="text/csv")
    return client.post(url("admin:pillars_program_import", language=language), {"import_file": file, "format": "0"})


# --- the template and the columns' guide ------------------------------------------------------------------------
def test_template_has_the_resource_columns_and_an_example_row_that_imports_cleanly(editor_client):
    response = editor_client.get(url("admin:pillars_program_import_template"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="program-template.csv"' in response["Content-Disposition"]
    header, example = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == [field.column_name for field in ProgramResource().get_import_fields()]
    row = dict(zip(header, example, strict=True))
    assert row["pillar"] in Pillar.objects.values_list("slug", flat=True)
    assert (
        row["horizon"] in Program._meta.get_field("horizon").choices[0] + Program._meta.get_field("horizon").choices[1]
    )
    assert row["publication"] == "draft"
    # The template as downloaded passes the dry run: the confirm form is offered, nothing saved yet.
    html = upload(editor_client, response.content.decode("utf-8-sig")).content.decode()
    assert 'name="import_file_name"' in html, re.findall(r"<li>.*?</li>", html)[:5]
    assert not Program.objects.exists()


def test_import_page_lists_columns_with_their_allowed_values(editor_client):
    html = editor_client.get(url("admin:pillars_program_import")).content.decode()
    assert url("admin:pillars_program_import_template") in html
    for slug in Pillar.objects.values_list("slug", flat=True):
        assert f"<code>{slug}</code>" in html  # every pillar slug
    assert "<code>quick_win</code>" in html and "<code>dishub</code>" in html  # a choice, an agency
    assert "<code>sub_dimensions</code>" in html and "<code>tourism</code>" in html


def test_template_needs_the_import_permission(client, make_user):
    client.force_login(staff(make_user, VIEWER))
    assert client.get(url("admin:pillars_program_import_template")).status_code == 403


# --- errors in words -----------------------------------------------------------------------------------------
HEADER = "slug,title_ind,pillar,sub_dimensions,lead_agency,horizon,stage,progress,first_year,last_year,publication\n"
BAD_ROWS = HEADER + (
    "parkir,Parkir elektronik,livin,mobility,dishub,short,planned,0,2024,2025,published\n"
    "sampah,Bank sampah,environment,waste|sampah,dishub,soon,planned,140,20x4,2025,published\n"
    ",Wisata,economy,industry,nowhere,short,planned,0,2024,2025,draft\n"
)


def test_every_error_of_every_row_is_listed_in_words_and_nothing_imported(editor_client):
    html = upload(editor_client, BAD_ROWS).content.decode()
    assert 'name="import_file_name"' not in html and not Program.objects.exists()
    assert "3 rows have errors; nothing was imported" in html
    expected = [
        "<strong>Pillar (column pillar)</strong>: Pillar «livin» is unknown; choose one of: governance, branding,",
        "<strong>Sub-dimensions (column sub_dimensions)</strong>: Unknown sub-dimension: «sampah»; choose from:",
        "<strong>First year (column first_year)</strong>: «20x4» is not a whole number.",
        "<strong>Horizon (column horizon)</strong>: «soon» is not one of: quick_win, short, medium, long.",
        "<strong>Progress (%) (column progress)</strong>: Ensure this value is less than or equal to 100.",
        "<strong>Lead agency (column lead_agency)</strong>: Agency «nowhere» is unknown; choose one of:",
        "<strong>Slug (column slug)</strong>: This cell is empty; a value is required.",
    ]
    text = html.replace("&#x27;", "'")
    missing = [line for line in expected if line not in text]
    assert not missing, missing
    assert "matching query" not in html and "Traceback" not in html and "Non field specific" not in html


def test_errors_read_in_indonesian_in_the_indonesian_admin(editor_client):
    html = upload(editor_client, BAD_ROWS, language="id").content.decode()
    assert "<strong>Pilar (" in html and "<strong>Kemajuan (%) (" in html  # the models' Indonesian names
    assert "Pastikan nilai ini lebih kecil dari atau sama dengan 100." in html  # Django's own Indonesian
    assert "progress</strong>" not in html and "matching query" not in html
    assert not Program.objects.exists()


def test_a_misspelt_column_is_named_as_ignored(editor_client):
    rows = HEADER.replace("pillar,", "pilar,") + "x,X,living,,dishub,short,planned,0,2024,2025,draft\n"
    html = upload(editor_client, rows).content.decode()
    assert "These columns are not read and their values are ignored: pilar." in html
    assert "<strong>Pillar (column pillar)</strong>: This cell is empty; a value is required." in html
    assert not Program.objects.exists()


def test_a_file_without_its_key_column_is_refused_in_words(editor_client):
    html = upload(editor_client, "title_ind,pillar\nX,living\n").content.decode()
    assert "The file has no column slug; each row is matched on slug." in html and "Traceback" not in html
    assert 'name="import_file_name"' not in html and not Program.objects.exists()


# --- money ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("language", "typed", "amount"),
    [("id", "750.000.000", 750_000_000), ("id", "Rp 1.250.000", 1_250_000), ("id", "750000000", 750_000_000),
     ("en", "750,000,000", 750_000_000)],
)  # fmt: skip
def test_money_field_reads_the_languages_thousands_separators(language, typed, amount):
    with translation.override(language):
        assert MoneyField(min_value=0).clean(typed) == amount


@pytest.mark.parametrize("typed", ["1.5", "75.00.000", "1,5", "-1.000"])
def test_money_field_refuses_what_is_not_a_grouped_whole_amount(typed):
    with translation.override("id"), pytest.raises(ValidationError):
        MoneyField(min_value=0).clean(typed)


def test_money_input_shows_the_amount_grouped_in_the_page_language():
    with translation.override("id"):
        assert 'value="750.000.000"' in MoneyInput().render("planned_amount", 750_000_000)
    with translation.override("en"):
        assert 'value="750,000,000"' in MoneyInput().render("planned_amount", 750_000_000)


def test_budget_line_typed_with_separators_is_saved_through_the_admin(editor_client):
    program = ProgramFactory()
    form = {"program": program.pk, "year": 2024, "source": "apbd", "planned_amount": "750.000.000",
            "realised_amount": "1.250.000", "note": ""}  # fmt: skip
    response = editor_client.post(url("admin:pillars_budgetline_add", language="id"), form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    line = BudgetLine.objects.get()
    assert (line.planned_amount, line.realised_amount) == (750_000_000, 1_250_000)
    with translation.override("id"):
        html = editor_client.get(reverse("admin:pillars_budgetline_change", args=[line.pk])).content.decode()
    assert 'value="750.000.000"' in html and "admin_ext/money.js" in html


# --- sub-dimensions follow the pillar ---------------------------------------------------------------------------
def test_program_form_carries_the_pillar_to_sub_dimension_map(editor_client):
    html = editor_client.get(url("admin:pillars_program_add")).content.decode()
    found = re.search(r'<script id="id_sub_dimensions_pillar_map" type="application/json">(.*?)</script>', html)
    expected = {}
    for pillar_id, pk in SubDimension.objects.order_by("pk").values_list("pillar_id", "pk"):
        expected.setdefault(str(pillar_id), []).append(pk)
    assert {key: sorted(value) for key, value in json.loads(found.group(1)).items()} == expected
    assert len(expected) == 6 and all(len(ids) == 3 for ids in expected.values())
    assert 'data-pillar-input="pillar"' in html and "admin_ext/subdimensions.js" in html


# --- score rows -----------------------------------------------------------------------------------------------
def test_score_rows_are_labelled_by_dimension_and_pillar():
    evaluation = EvaluationFactory()
    outcome = evaluation.scheme.dimensions.get(code="outcome")
    score = DimensionScore.objects.create(evaluation=evaluation, dimension=outcome, score=Decimal("3.25"))
    pillar = Pillar.objects.get(slug="governance")
    pillar_score = PillarScore.objects.create(evaluation=evaluation, pillar=pillar, score=Decimal("2.75"))
    with translation.override("id"):
        assert str(score) == "Outcome: 3,25"
        assert str(pillar_score) == f"{pillar.name_ind}: 2,75"
    with translation.override("en"):
        assert str(score) == "Outcome: 3.25"


def test_evaluation_form_labels_score_rows_without_a_query_per_row(client, make_user):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    EvaluationFactory()  # another scheme, with five dimensions of its own that the form must not offer
    evaluation = EvaluationFactory()
    dimensions = list(evaluation.scheme.dimensions.all())
    with translation.override("id"):
        change = reverse("admin:evaluations_evaluation_change", args=[evaluation.pk])
    DimensionScore.objects.create(evaluation=evaluation, dimension=dimensions[0], score=Decimal("3.1"))
    client.get(change)  # the first request warms per-process caches (content types)
    with CaptureQueriesContext(connection) as one_row:
        client.get(change)
    for dimension in dimensions[1:]:
        DimensionScore.objects.create(evaluation=evaluation, dimension=dimension, score=Decimal("3.1"))
    with CaptureQueriesContext(connection) as five_rows:
        html = client.get(change).content.decode()
    assert len(five_rows) == len(one_row)
    assert "Outcome: 3,10" in html and "Quick-Win: 3,10" in html
    assert not re.search(r">\d+: 3\.1000<", html)
    # Only the evaluation's scheme's dimensions are offered.
    select = re.search(r'<select name="dimension_scores-0-dimension".*?</select>', html, re.S).group(0)
    offered = {int(pk) for pk in re.findall(r'<option value="(\d+)"', select)}
    assert offered == {dimension.pk for dimension in dimensions}


# --- the index ------------------------------------------------------------------------------------------------
def test_index_is_ordered_by_daily_work_with_reference_data_and_lockouts_last(client, make_user):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    apps = client.get(url("admin:index")).context["app_list"]
    assert [app["app_label"] for app in apps] == [
        "pillars",
        "partnerships",
        "evaluations",
        "frameworks",
        "federation",
        "reference",
        "auth",
        "axes",
    ]
    first = {app["app_label"]: [model["object_name"] for model in app["models"]][:3] for app in apps}
    assert first["pillars"] == ["Program", "Indicator", "Measurement"]
    assert first["partnerships"][0] == "MoU" and first["evaluations"][:2] == ["Evaluation", "FollowUpAction"]
    assert first["reference"] == ["Pillar", "SubDimension", "Agency"]


def test_opd_editor_index_starts_with_their_daily_work(client, make_user):
    client.force_login(staff(make_user, OPD_EDITOR, AgencyFactory()))
    apps = client.get(url("admin:index")).context["app_list"]
    assert apps[0]["models"][0]["object_name"] == "Program"
    assert "axes" not in [app["app_label"] for app in apps]
    assert apps[-1]["app_label"] == "reference"

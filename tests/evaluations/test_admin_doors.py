"""Issue 22: tasks that needed an HTTP client, now doors in the admin through the same services. Survey responses
are imported on the survey's page (upload, a dry run naming every bad row, confirm; all or nothing); a scheme is
copied into a new year in one step through the scheme's writer; and every dimension select names its year."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from evaluations.models import EvaluationScheme, SurveyResponse
from evaluations.services import scheme_create
from smartcity.roles import DISKOMINFO_EDITOR, EVALUATOR, OPD_EDITOR, VIEWER
from tests.factories import UserFactory
from tests.snapshots import changed_tables, snapshot

from .factories import ClarificationRequestFactory, EvaluationFactory, EvaluationSchemeFactory, SurveyTargetFactory

pytestmark = pytest.mark.django_db
GOOD = "respondent,answered_on,q1,q2,q3\nA,2023-06-01,5,4,3\nB,2023-06-02,4,4,4\n"
ONE_BAD = "respondent,answered_on,q1,q2,q3\nA,2023-06-01,5,4,3\nB,2023-06-02,9,4,4\nC,kemarin,4,4,4\n"


def role(name):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=name))
    return user


def import_url(survey):
    return reverse("admin:evaluations_survey_import_responses", args=[survey.pk])


def upload(client, target, text, name="responses.csv", content=None):
    file = SimpleUploadedFile(name, content if content is not None else text.encode())
    return client.post(import_url(target.survey), {"target": target.pk, "import_file": file})


# --- survey responses ---------------------------------------------------------------------------------------------
def test_the_dry_run_previews_and_the_confirm_imports_through_the_service(client):
    target = SurveyTargetFactory()
    client.force_login(role(DISKOMINFO_EDITOR))
    change = client.get(reverse("admin:evaluations_survey_change", args=[target.survey.pk])).content.decode()
    assert import_url(target.survey) in change  # the button on the survey's page
    response = upload(client, target, GOOD)
    assert response.status_code == 200 and response.context["rows"] == 2 and response.context["key"]
    assert len(response.context["preview"]) == 2 and not SurveyResponse.objects.exists()  # a dry run saves nothing
    response = client.post(import_url(target.survey), {"key": response.context["key"], "confirm": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:evaluations_survey_change", args=[target.survey.pk])
    assert SurveyResponse.objects.filter(target=target, source="import").count() == 2
    assert sorted(SurveyResponse.objects.values_list("answers__value", flat=True)) == [3, 4, 4, 4, 4, 5]
    # the same key cannot import twice
    again = client.post(import_url(target.survey), {"key": response.wsgi_request.POST["key"], "confirm": "1"})
    assert again.status_code == 302 and SurveyResponse.objects.count() == 2


def test_a_file_with_one_bad_row_saves_nothing_and_names_each_bad_row(client):
    target = SurveyTargetFactory()
    client.force_login(role(DISKOMINFO_EDITOR))
    before = snapshot()
    response = upload(client, target, ONE_BAD)
    problems = response.context["problems"]
    assert response.context.get("key") is None and len(problems) == 2  # the second and third rows, each named
    assert "2" in problems[0] and "«9»" in problems[0] and "3" in problems[1] and "kemarin" in problems[1]
    assert not SurveyResponse.objects.exists() and not changed_tables(before, snapshot())


def test_an_xlsx_file_is_imported_and_a_bomb_is_refused_with_the_size_error(client):
    target = SurveyTargetFactory()
    client.force_login(role(DISKOMINFO_EDITOR))
    book = Workbook()
    book.active.append(["respondent", "answered_on", "q1", "q2", "q3"])
    book.active.append(["P1", "2023-06-01", 4, 5, 3])
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(client, target, "", "paper.xlsx", buffer.getvalue())
    assert response.context["rows"] == 1
    from tests.test_import_limits import bomb

    response = upload(client, target, "", "bomb.xlsx", bomb(400_000))  # 28 MB unzipped
    assert "terurai" in " ".join(
        response.context["problems"]
    )  # "unpacks to 26 MB" and not SurveyResponse.objects.exists()


def test_a_confirm_whose_rows_became_wrong_since_the_dry_run_saves_nothing(client):
    target = SurveyTargetFactory()
    client.force_login(role(DISKOMINFO_EDITOR))
    key = upload(client, target, GOOD).context["key"]
    type(target.survey).objects.filter(pk=target.survey.pk).update(scale_max=3)  # the scale shrank since the dry run
    response = client.post(import_url(target.survey), {"key": key, "confirm": "1"})
    assert response.status_code == 200 and response.context["problems"] and not SurveyResponse.objects.exists()


@pytest.mark.parametrize("name", [VIEWER, OPD_EDITOR, EVALUATOR])
def test_roles_without_the_permission_neither_see_nor_use_the_import(client, name):
    target = SurveyTargetFactory()
    client.force_login(role(name))
    change = client.get(reverse("admin:evaluations_survey_change", args=[target.survey.pk]))
    assert import_url(target.survey) not in change.content.decode()
    assert upload(client, target, GOOD).status_code == 403 and not SurveyResponse.objects.exists()


# --- copying a scheme ------------------------------------------------------------------------------------------------
def scheme_2024():
    dimensions = [{"code": code, "name_ind": name, "name_en": name, "weight": Decimal(weight)}
                  for code, name, weight in (("baseline", "Baseline", "10"), ("output", "Output", "25"),
                                             ("outcome", "Outcome", "30"), ("impact", "Dampak", "25"),
                                             ("quick-win", "Quick Win", "10"))]  # fmt: skip
    bands = [{"label_ind": "Cukup", "label_en": "Fair", "lower": Decimal("0"), "upper": Decimal("2.99")},
             {"label_ind": "Baik", "label_en": "Good", "lower": Decimal("3"), "upper": Decimal("4")}]  # fmt: skip
    return scheme_create(actor=None, name="Evaluasi Smart City 2024", year=2024, issuing_body="Kemkomdigi",
                         scale_min=Decimal("0"), scale_max=Decimal("4"), decimals=2, dimensions=dimensions,
                         bands=bands, publication="published")  # fmt: skip


def test_copying_a_scheme_creates_next_years_draft_with_every_part_and_opens_it(client):
    old = scheme_2024()
    client.force_login(role(DISKOMINFO_EDITOR))
    change = client.get(reverse("admin:evaluations_evaluationscheme_change", args=[old.pk])).content.decode()
    copy_url = reverse("admin:evaluations_evaluationscheme_copy", args=[old.pk])
    assert copy_url in change
    assert client.get(copy_url).context["form"].initial["year"] == 2025
    response = client.post(copy_url, {"year": "2025"})
    new = EvaluationScheme.objects.get(year=2025)
    assert response["Location"] == reverse("admin:evaluations_evaluationscheme_change", args=[new.pk])
    assert (new.name, new.issuing_body, new.scale_max, new.decimals, new.publication) == (
        "Evaluasi Smart City 2025", "Kemkomdigi", Decimal("4"), 2, "draft")  # fmt: skip
    fields = ("code", "name_ind", "weight", "order")
    assert list(new.dimensions.values_list(*fields)) == list(old.dimensions.values_list(*fields))
    fields = ("label_ind", "lower", "upper")
    assert list(new.bands.values_list(*fields)) == list(old.bands.values_list(*fields))
    assert new.history.first().history_user is not None  # written through the writer, the actor recorded


def test_a_year_that_has_the_scheme_already_is_a_form_error_and_nothing_is_written(client):
    old = scheme_2024()
    client.force_login(role(DISKOMINFO_EDITOR))
    url = reverse("admin:evaluations_evaluationscheme_copy", args=[old.pk])
    before = snapshot()
    response = client.post(url, {"year": "2024"})
    assert response.status_code == 200 and "2024" in response.context["form"].errors["year"][0]
    response = client.post(url, {"year": "tahun depan"})
    assert response.status_code == 200 and response.context["form"].errors["year"]
    assert not changed_tables(before, snapshot())


def test_the_list_action_opens_the_copy_page_for_one_scheme(client):
    old = scheme_2024()
    client.force_login(role(DISKOMINFO_EDITOR))
    changelist = reverse("admin:evaluations_evaluationscheme_changelist")
    response = client.post(changelist, {"action": "copy_to_new_year", "_selected_action": [old.pk]})
    assert response["Location"] == reverse("admin:evaluations_evaluationscheme_copy", args=[old.pk])


@pytest.mark.parametrize("name", [VIEWER, OPD_EDITOR, EVALUATOR])
def test_roles_without_the_add_permission_cannot_copy(client, name):
    old = scheme_2024()
    client.force_login(role(name))
    before = snapshot()
    response = client.post(reverse("admin:evaluations_evaluationscheme_copy", args=[old.pk]), {"year": "2025"})
    assert response.status_code == 403 and not changed_tables(before, snapshot())


# --- dimension selects -----------------------------------------------------------------------------------------------
def test_every_dimension_select_names_the_year_and_the_weight_in_a_fixed_number_of_queries(client):
    for year in (2023, 2024):
        EvaluationSchemeFactory(year=year)
    request = ClarificationRequestFactory(evaluation=EvaluationFactory(scheme=EvaluationScheme.objects.get(year=2023)))
    client.force_login(role(DISKOMINFO_EDITOR))
    url = reverse("admin:evaluations_clarificationrequest_change", args=[request.pk])
    html = client.get(url).content.decode()
    assert "2024 · Baseline (" in html and "2023 · Baseline (" in html
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    EvaluationSchemeFactory(year=2025)
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few)
    page = client.get(reverse("admin:evaluations_evaluation_change", args=[request.evaluation.pk])).content.decode()
    assert "2024 · " not in page  # an evaluation's score rows offer only its own scheme's dimensions

"""Every door of the evaluations app goes through its writers: the admin change form, history revert and action,
the API's writes and workflow actions. Each refusal leaves no row, no field and no history changed."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from evaluations import services
from evaluations.models import DimensionScore, Evaluation
from smartcity.roles import DISKOMINFO_EDITOR, EVALUATOR, OPD_EDITOR
from tests.factories import UserFactory
from tests.pillars.factories import AgencyFactory
from tests.snapshots import changed_tables, snapshot
from tests.test_permission_matrix import form_fields

from .factories import EvaluationFactory, FindingFactory

pytestmark = pytest.mark.django_db


def member_of(role: str, agency=None):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    if agency is not None:
        agency.members.add(user)
    return user


def unchanged(before, target):
    after = snapshot(target)
    return after[1] == before[1] and not changed_tables(before, after)


def page_data(response) -> dict:
    """The admin form a page shows (with its inlines), as a browser would post it back."""
    data = form_fields(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        data |= {f"{formset.prefix}-TOTAL_FORMS": formset.total_form_count(),
                 f"{formset.prefix}-INITIAL_FORMS": formset.initial_form_count()}  # fmt: skip
        for form in formset.forms:
            data |= form_fields(form)
    return data


@pytest.fixture
def agencies():
    return AgencyFactory(slug="agency-a"), AgencyFactory(slug="agency-b")


@pytest.fixture
def opd_editor_of_a(agencies):
    return member_of(OPD_EDITOR, agencies[0])


@pytest.fixture
def b_follow_up(agencies):
    """Agency B's follow-up, with a history of two versions written by Diskominfo."""
    follow_up = services.follow_up_create(
        actor=None, finding=FindingFactory(), owner_agency=agencies[1], title_ind="Versi satu",
        due_on="2099-01-01",
    )  # fmt: skip
    return services.follow_up_update(follow_up=follow_up, actor=None, title_ind="Versi dua")


# --- another agency's follow-up: the change form, the history revert and the API all refuse ---------------------
def test_opd_editor_cannot_take_another_agencys_follow_up_through_the_admin_change_form(
    client, opd_editor_of_a, agencies, b_follow_up
):
    client.force_login(opd_editor_of_a)
    url = reverse("admin:evaluations_followupaction_change", args=[b_follow_up.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["has_change_permission"] is False  # a view-only page
    before = snapshot(b_follow_up)
    data = {"finding": b_follow_up.finding_id, "owner_agency": agencies[0].pk, "title_ind": "Milik A",
            "due_on": "2099-01-01", "status": "open", "publication": "published"}  # fmt: skip
    assert client.post(url, data).status_code == 403
    assert unchanged(before, b_follow_up)


def test_opd_editor_cannot_revert_another_agencys_follow_up_from_its_history(
    client, opd_editor_of_a, agencies, b_follow_up
):
    first = b_follow_up.history.order_by("history_date").first()
    client.force_login(opd_editor_of_a)
    url = reverse("admin:evaluations_followupaction_simple_history", args=[b_follow_up.pk, first.history_id])
    page = client.get(url)
    assert page.status_code == 200 and page.context["revert_disabled"] is True
    before = snapshot(b_follow_up)
    data = {"finding": b_follow_up.finding_id, "owner_agency": agencies[0].pk, "title_ind": "Versi satu",
            "due_on": "2099-01-01", "status": "open", "publication": "published"}  # fmt: skip
    assert client.post(url, data).status_code == 403
    assert unchanged(before, b_follow_up)


def test_opd_editor_cannot_hand_their_own_follow_up_to_another_agency_by_reverting_it(
    client, opd_editor_of_a, agencies, b_follow_up
):
    services.follow_up_update(follow_up=b_follow_up, actor=None, owner_agency=agencies[0])  # now A's
    b_version = b_follow_up.history.order_by("history_date").first()
    client.force_login(opd_editor_of_a)
    url = reverse("admin:evaluations_followupaction_simple_history", args=[b_follow_up.pk, b_version.history_id])
    data = page_data(client.get(url))
    assert data["owner_agency"] == str(agencies[1].pk)  # the old version hands it back to B
    before = snapshot(b_follow_up)
    response = client.post(url, data)
    assert response.status_code == 200 and response.context["adminform"].form.errors
    assert unchanged(before, b_follow_up)


def test_opd_editor_reverts_their_own_follow_up_through_the_writer(client, opd_editor_of_a, agencies):
    follow_up = services.follow_up_create(
        actor=None, finding=FindingFactory(), owner_agency=agencies[0], title_ind="Versi satu", due_on="2099-01-01"
    )
    services.follow_up_update(follow_up=follow_up, actor=None, title_ind="Versi dua")
    first = follow_up.history.order_by("history_date").first()
    client.force_login(opd_editor_of_a)
    url = reverse("admin:evaluations_followupaction_simple_history", args=[follow_up.pk, first.history_id])
    assert client.post(url, page_data(client.get(url))).status_code == 302
    latest = follow_up.history.first()
    assert (latest.title_ind, latest.history_user) == ("Versi satu", opd_editor_of_a)


def test_opd_editor_cannot_take_another_agencys_follow_up_through_the_api(opd_editor_of_a, agencies, b_follow_up):
    api = APIClient()
    api.force_authenticate(opd_editor_of_a)
    url = reverse("evaluations-api:followupaction-detail", args=[b_follow_up.pk])
    before = snapshot(b_follow_up)
    response = api.patch(url, {"owner_agency": agencies[0].pk, "title_ind": "Milik A"}, format="json")
    assert response.status_code == 403 and response.data["code"] == "permission_denied"
    assert unchanged(before, b_follow_up)


# --- the workflow: submit and finalise ----------------------------------------------------------------------------
def action_url(evaluation, step):
    return reverse(f"evaluations-api:evaluation-{step}", args=[evaluation.slug])


@pytest.fixture
def api():
    return APIClient()


@pytest.mark.parametrize("step", ["submit", "finalise"])
def test_a_workflow_step_without_its_permission_is_403(api, step):
    evaluation = EvaluationFactory(status="draft" if step == "submit" else "submitted", letter_number="B-1/2023")
    api.force_authenticate(member_of(OPD_EDITOR) if step == "submit" else member_of(EVALUATOR))
    before = snapshot(evaluation)
    assert api.post(action_url(evaluation, step)).status_code == 403
    assert unchanged(before, evaluation)


@pytest.mark.parametrize(
    ("status", "step", "code"),
    [("submitted", "submit", "not_draft"), ("final", "submit", "not_draft"), ("draft", "finalise", "not_submitted"),
     ("final", "finalise", "not_submitted")],
)  # fmt: skip
def test_a_workflow_step_from_the_wrong_state_is_400_with_its_code(api, status, step, code):
    evaluation = EvaluationFactory(status=status, letter_number="B-1/2023")
    api.force_authenticate(member_of(DISKOMINFO_EDITOR))
    before = snapshot(evaluation)
    response = api.post(action_url(evaluation, step))
    assert response.status_code == 400 and response.data["code"] == code
    assert unchanged(before, evaluation)


def test_submit_then_finalise_records_who_took_each_step(api):
    evaluation = EvaluationFactory(letter_number="B-147/2023")
    evaluator, editor = member_of(EVALUATOR), member_of(DISKOMINFO_EDITOR)
    api.force_authenticate(evaluator)
    response = api.post(action_url(evaluation, "submit"))
    assert response.status_code == 200 and response.data["status"] == "submitted"
    api.force_authenticate(editor)
    response = api.post(action_url(evaluation, "finalise"))
    assert response.status_code == 200 and response.data["status"] == "final"
    steps = [(row.status, row.history_user) for row in evaluation.history.order_by("history_date")][-2:]
    assert steps == [("submitted", evaluator), ("final", editor)]


def test_finalising_a_final_result_without_its_letter_number_is_400(api):
    evaluation = EvaluationFactory(status="submitted", stage="final", letter_number="")
    api.force_authenticate(member_of(DISKOMINFO_EDITOR))
    before = snapshot(evaluation)
    response = api.post(action_url(evaluation, "finalise"))
    assert response.status_code == 400 and "letter_number" in response.data["errors"]
    assert unchanged(before, evaluation)


@pytest.mark.parametrize("method", ["patch", "put"])
def test_status_in_a_write_is_400_naming_it(api, method):
    evaluation = EvaluationFactory()
    api.force_authenticate(member_of(DISKOMINFO_EDITOR))
    url = reverse("evaluations-api:evaluation-detail", args=[evaluation.slug])
    body = {"scheme": evaluation.scheme_id, "year": 2023, "stage": "final", "kind": "national", "status": "final"}
    before = snapshot(evaluation)
    response = getattr(api, method)(url, body, format="json")
    assert response.status_code == 400 and set(response.data["errors"]) == {"status"}
    assert unchanged(before, evaluation)


def test_the_status_never_changes_through_the_evaluations_writer():
    evaluation = EvaluationFactory()
    with pytest.raises(ValidationError) as error:
        services.evaluation_update(evaluation=evaluation, actor=None, status="final")
    assert error.value.error_dict["status"][0].code == "status_by_workflow"


def test_admin_shows_the_status_read_only_and_ignores_a_posted_one(client):
    evaluation = EvaluationFactory(letter_number="B-1/2023")
    client.force_login(member_of(DISKOMINFO_EDITOR))
    url = reverse("admin:evaluations_evaluation_change", args=[evaluation.pk])
    data = page_data(client.get(url))
    assert "status" not in data
    assert client.post(url, data | {"status": "final", "summary_ind": "Diubah"}).status_code == 302
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.summary_ind) == ("draft", "Diubah")


def test_admin_actions_take_the_workflow_steps_through_the_services(client):
    evaluation = EvaluationFactory(letter_number="B-1/2023")
    client.force_login(member_of(DISKOMINFO_EDITOR))
    url = reverse("admin:evaluations_evaluation_changelist")
    post = {"action": "evaluation_finalise", "_selected_action": [evaluation.pk]}
    before = snapshot(evaluation)
    response = client.post(url, post, follow=True)  # a draft cannot be finalised: refused, nothing changed
    assert "Hanya evaluasi yang telah diajukan yang dapat ditetapkan final." in response.content.decode()  # id admin
    assert unchanged(before, evaluation)
    client.post(url, post | {"action": "evaluation_submit"})
    client.post(url, post)
    evaluation.refresh_from_db()
    assert evaluation.status == "final"


def test_admin_offers_the_steps_only_to_who_may_take_them(client):
    EvaluationFactory()
    client.force_login(member_of(EVALUATOR))
    actions = client.get(reverse("admin:evaluations_evaluation_changelist")).context["action_form"]
    names = {name for name, _label in actions.fields["action"].choices}
    assert "evaluation_submit" in names and "evaluation_finalise" not in names


# --- deletes, stale saves and preconditions ------------------------------------------------------------------------
def test_api_delete_of_an_evaluation_with_scores_is_409_and_changes_nothing(api):
    evaluation = EvaluationFactory()
    services.evaluation_set_scores(evaluation=evaluation, actor=None, dimension_scores=[
        {"dimension": "baseline", "score": Decimal("3")}])  # fmt: skip
    api.force_authenticate(UserFactory(is_staff=True, is_superuser=True))
    before = snapshot(evaluation)
    response = api.delete(reverse("evaluations-api:evaluation-detail", args=[evaluation.slug]))
    assert response.status_code == 409  # scores are part of the official record: removed first, deliberately
    assert unchanged(before, evaluation) and DimensionScore.objects.filter(evaluation=evaluation).exists()


def test_api_delete_of_an_evaluation_goes_through_the_writer(api):
    evaluation = EvaluationFactory()
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    api.force_authenticate(admin_user)
    assert api.delete(reverse("evaluations-api:evaluation-detail", args=[evaluation.slug])).status_code == 204
    deleted = Evaluation.history.filter(id=evaluation.pk).first()
    assert (deleted.history_type, deleted.history_user) == ("-", admin_user)  # the writer records who deleted it


def test_a_stale_admin_save_is_a_form_error_naming_who_changed_the_evaluation(client):
    evaluation = EvaluationFactory()
    other = member_of(DISKOMINFO_EDITOR)
    other.username = "siti"
    other.save()
    client.force_login(member_of(DISKOMINFO_EDITOR))
    url = reverse("admin:evaluations_evaluation_change", args=[evaluation.pk])
    data = page_data(client.get(url))
    services.evaluation_update(evaluation=evaluation, actor=other, summary_ind="Perubahan Siti")
    before = snapshot(evaluation)
    response = client.post(url, data | {"summary_ind": "Perubahan saya"})
    assert response.status_code == 200 and "siti" in str(response.context["adminform"].form.non_field_errors())
    assert unchanged(before, evaluation)


def test_patch_with_an_old_etag_is_412_and_changes_nothing(api):
    evaluation = EvaluationFactory()
    api.force_authenticate(member_of(DISKOMINFO_EDITOR))
    url = reverse("evaluations-api:evaluation-detail", args=[evaluation.slug])
    etag = api.get(url)["ETag"]
    services.evaluation_update(evaluation=evaluation, actor=None, summary_ind="Diubah lebih dulu")
    before = snapshot(evaluation)
    response = api.patch(url, {"summary_ind": "Terlambat"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412 and response.data["code"] == "stale"
    assert unchanged(before, evaluation)
    response = api.patch(url, {"summary_ind": "Terbaru"}, format="json", HTTP_IF_MATCH=api.get(url)["ETag"])
    assert response.status_code == 200 and response.data["summary_ind"] == "Terbaru"


# --- the index follows weights changed in the admin ----------------------------------------------------------------
def test_changing_a_weight_in_the_scheme_admin_recomputes_the_index_through_the_writer():
    evaluation = EvaluationFactory()
    scores = [{"dimension": code, "score": Decimal(value)} for code, value in
              [("baseline", 4), ("output", 2), ("outcome", 2), ("impact", 2), ("quick-win", 2)]]  # fmt: skip
    services.evaluation_set_scores(evaluation=evaluation, actor=None, dimension_scores=scores)
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:evaluations_evaluationscheme_change", args=[evaluation.scheme_id])
    data = page_data(client.get(url))
    weights = {"dimensions-0-weight": "50", "dimensions-1-weight": "20", "dimensions-2-weight": "10",
               "dimensions-3-weight": "10", "dimensions-4-weight": "10"}  # fmt: skip
    assert client.post(url, data | weights).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.computed_index == Decimal("3.00")  # 4×50% + 2×50%


# --- filters: a hidden evaluation answers like an unknown one -------------------------------------------------------
@pytest.mark.parametrize(
    ("url_name", "param"),
    [("evaluations-api:finding-list", "evaluation_id"), ("evaluations-api:followupaction-list", "evaluation_id"),
     ("evaluations-api:fieldvisit-list", "evaluation_id")],
)  # fmt: skip
def test_a_draft_evaluation_id_in_a_filter_answers_like_an_unknown_one(api, url_name, param):
    hidden = EvaluationFactory(publication="draft")
    unknown = hidden.pk + 1000
    as_hidden = api.get(reverse(url_name), {param: hidden.pk})
    as_unknown = api.get(reverse(url_name), {param: unknown})
    assert as_hidden.status_code == as_unknown.status_code == 400
    assert str(as_hidden.data).replace(str(hidden.pk), "N") == str(as_unknown.data).replace(str(unknown), "N")


def test_a_year_filter_out_of_range_is_400(api):
    assert api.get(reverse("evaluations-api:finding-list"), {"year": "0"}).status_code == 400
    assert api.get(reverse("evaluations-api:evaluation-list"), {"year": "10000"}).status_code == 400

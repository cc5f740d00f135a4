import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from evaluations.models import Evaluation, EvaluationScheme, FollowUpAction
from pillars.models import Pillar
from smartcity.roles import EVALUATOR, OPD_EDITOR
from tests.pillars.factories import AgencyFactory

from .factories import EvaluationFactory, EvaluationSchemeFactory, FollowUpActionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, make_user):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def formset(prefix, rows, initial=0):
    data = {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": initial}
    for i, row in enumerate(rows):
        data |= {f"{prefix}-{i}-{key}": value for key, value in row.items()}
    return data


def scheme_post(weights, bands=()):
    codes = ["baseline", "output", "outcome", "impact", "quick-win"]
    return {
        "name": "Skema 2024", "year": 2024, "issuing_body": "Komdigi", "scale_min": "0", "scale_max": "4",
        "decimals": 2, "min_survey_responses": 50, "publication": "draft",
        **formset("dimensions", [{"order": i, "code": c, "name_ind": c, "weight": w}
                                 for i, (c, w) in enumerate(zip(codes, weights, strict=True))]),
        **formset("bands", [{"label_ind": "B", "lower": lower, "upper": upper} for lower, upper in bands]),
    }  # fmt: skip


def test_scheme_add_form_offers_the_five_usual_dimensions(staff_client):
    html = staff_client.get(reverse("admin:evaluations_evaluationscheme_add")).content.decode()
    assert 'value="quick-win"' in html and 'value="baseline"' in html


def test_scheme_with_weights_not_adding_up_to_100_is_refused_in_the_admin(staff_client):
    response = staff_client.post(reverse("admin:evaluations_evaluationscheme_add"), scheme_post([10, 20, 30, 30, 20]))
    assert response.status_code == 200 and "110" in str(
        response.context["inline_admin_formsets"][0].formset.non_form_errors()
    )
    assert not EvaluationScheme.objects.exists()


def test_scheme_with_overlapping_bands_is_refused_in_the_admin(staff_client):
    data = scheme_post([10, 20, 30, 30, 10], bands=[("0", "3"), ("3", "4")])
    response = staff_client.post(reverse("admin:evaluations_evaluationscheme_add"), data)
    assert response.status_code == 200 and not EvaluationScheme.objects.exists()


def test_valid_scheme_is_saved_from_the_admin_with_history(staff_client):
    data = scheme_post([10, 20, 30, 30, 10], bands=[("0", "2.99"), ("3", "4")])
    assert staff_client.post(reverse("admin:evaluations_evaluationscheme_add"), data).status_code == 302
    scheme = EvaluationScheme.objects.get()
    assert scheme.dimensions.count() == 5 and scheme.bands.count() == 2
    assert scheme.history.first().history_user is not None


def evaluation_post(evaluation, dimension_scores, pillar_scores=()):
    dimensions = {d.code: d.pk for d in evaluation.scheme.dimensions.all()}
    return {
        "scheme": evaluation.scheme_id, "year": evaluation.year, "stage": "final", "kind": "national",
        "status": "draft", "publication": "published",
        **formset("dimension_scores", [{"dimension": dimensions[c], "score": s} for c, s in dimension_scores]),
        **formset("pillar_scores", [{"pillar": Pillar.objects.get(slug=p).pk, "score": s} for p, s in pillar_scores]),
        **formset("findings", []), **formset("field_visits", []),
    }  # fmt: skip


def test_score_outside_the_scale_is_refused_in_the_admin_and_nothing_saved(staff_client):
    evaluation = EvaluationFactory()
    data = evaluation_post(evaluation, [("baseline", "3")], pillar_scores=[("governance", "400")])
    response = staff_client.post(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]), data)
    assert response.status_code == 200
    assert not evaluation.dimension_scores.exists() and not evaluation.pillar_scores.exists()


def test_scores_saved_in_the_admin_update_the_computed_index(staff_client):
    evaluation = EvaluationFactory()
    scores = [("baseline", "3.00"), ("output", "3.10"), ("outcome", "2.80"), ("impact", "2.70"), ("quick-win", "3.00")]
    response = staff_client.post(
        reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]), evaluation_post(evaluation, scores)
    )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.computed_index == Decimal("2.87")


def test_evaluation_of_another_year_than_its_scheme_is_refused(staff_client):
    evaluation = EvaluationFactory()
    data = evaluation_post(evaluation, []) | {"year": 2030}
    response = staff_client.post(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]), data)
    assert response.status_code == 200 and "scheme" in response.context["adminform"].form.errors
    assert Evaluation.objects.get().year == 2023


def test_follow_up_changelist_filters_by_overdue_and_agency(staff_client):
    late = FollowUpActionFactory(title_ind="Terlambat", due_on=timezone.localdate() - datetime.timedelta(days=1))
    FollowUpActionFactory(title_ind="Tepat waktu")
    url = reverse("admin:evaluations_followupaction_changelist")
    html = staff_client.get(url, {"overdue": "yes"}).content.decode()
    assert "Terlambat" in html and "Tepat waktu" not in html
    html = staff_client.get(url, {"owner_agency__id__exact": late.owner_agency_id}).content.decode()
    assert "Terlambat" in html and "Tepat waktu" not in html


def test_opd_editor_changes_only_own_agency_follow_ups_in_the_admin(client, make_user):
    editor = make_user(is_staff=True)
    editor.groups.add(Group.objects.get(name=OPD_EDITOR))
    mine = AgencyFactory()
    mine.members.add(editor)
    own = FollowUpActionFactory(owner_agency=mine)
    other = FollowUpActionFactory()
    client.force_login(editor)
    data = {"finding": other.finding_id, "owner_agency": other.owner_agency_id, "title_ind": "Diubah",
            "due_on": "2099-12-31", "status": "open", "publication": "published"}  # fmt: skip
    assert client.post(reverse("admin:evaluations_followupaction_change", args=[other.pk]), data).status_code == 403
    assert FollowUpAction.objects.get(pk=other.pk).title_ind != "Diubah"
    data |= {"finding": own.finding_id, "owner_agency": mine.pk}
    assert client.post(reverse("admin:evaluations_followupaction_change", args=[own.pk]), data).status_code == 302
    assert FollowUpAction.objects.get(pk=own.pk).title_ind == "Diubah"


def test_evaluator_group_reads_everything_and_edits_the_assessment_not_the_schemes():
    perms = set(Group.objects.get(name=EVALUATOR).permissions.values_list("codename", flat=True))
    assert {"change_evaluation", "add_dimensionscore", "change_finding", "add_fieldvisit", "view_readiness"} <= perms
    assert {"view_followupaction", "view_evaluationscheme", "view_program", "view_indicator"} <= perms
    assert "change_evaluationscheme" not in perms and "change_followupaction" not in perms


def test_scheme_and_evaluation_admin_pages_load(staff_client):
    evaluation = EvaluationFactory(scheme=EvaluationSchemeFactory())
    pages = [("evaluationscheme_changelist", []), ("evaluation_changelist", []),
             ("evaluation_change", [evaluation.pk]), ("evaluation_history", [evaluation.pk]),
             ("followupaction_changelist", []), ("finding_changelist", []), ("fieldvisit_changelist", [])]  # fmt: skip
    for name, args in pages:
        assert staff_client.get(reverse(f"admin:evaluations_{name}", args=args)).status_code == 200, name

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.models import DimensionScore, Evaluation, EvaluationScheme, FollowUpAction, PillarScore
from pillars.models import Pillar
from tests.api import StandardApiTests, count_queries
from tests.pillars.factories import AgencyFactory

from .factories import (
    EvaluationFactory,
    EvaluationSchemeFactory,
    FieldVisitFactory,
    FindingFactory,
    FollowUpActionFactory,
)

# A scheme is written with its dimensions and bands, an evaluation with its scores: each part through its own writer,
# so the writer needs the parts' permissions too (every role that writes schemes or evaluations holds them).
SCHEME_WRITER = ("evaluations.add_evaluationscheme", "evaluations.add_schemedimension", "evaluations.add_schemeband")
SCORER = ("evaluations.view_evaluation",) + tuple(
    f"evaluations.{verb}_{model}" for model in ("dimensionscore", "pillarscore") for verb in ("add", "change", "delete")
)


pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(days=30)
OLD_NAME = "name_id"  # rename_ind: keep (the deprecated name of `name_ind`, answered until API 1.1.0)


def pillar(slug):
    return Pillar.objects.get(slug=slug)


class EvaluationsApiTests(StandardApiTests):
    """The shared battery. Our querysets ask `user.has_perm()` (drafts for staff, public rows for the rest),
    and Django caches a user's permissions after the first ask: one warm-up request first, so the
    comparison measures rows, not the cache."""

    def test_list_query_count_is_constant(self, api_client, make_user):
        api_client.force_authenticate(make_user(*self.view_perms))
        self.factory()
        api_client.get(self.list_url)
        one = count_queries(api_client, self.list_url)
        self.factory.create_batch(5)
        assert count_queries(api_client, self.list_url) == one  # no N+1

    def test_anonymous_list_query_count_is_constant(self, api_client):
        self.factory()
        one = count_queries(api_client, self.list_url)
        self.factory.create_batch(5)
        assert count_queries(api_client, self.list_url) == one


class TestEvaluationSchemeApi(EvaluationsApiTests):
    url_name, factory, public = "evaluations-api:evaluationscheme", EvaluationSchemeFactory, True
    view_perms = ("evaluations.view_evaluationscheme",)

    def payload(self, *weights, bands=()):
        codes = ["baseline", "output", "outcome", "impact", "quick-win"]
        return {
            "name": "Skema 2024", "year": 2024, "issuing_body": "Komdigi", "scale_min": "0", "scale_max": "4",
            "decimals": 2, "publication": "published",
            "dimensions": [{"code": c, "name_ind": c, "weight": w} for c, w in zip(codes, weights, strict=True)],
            "bands": [{"label_ind": "B", "lower": lower, "upper": upper} for lower, upper in bands],
        }  # fmt: skip

    def test_create_with_weights_not_adding_up_to_100_is_400_and_saves_nothing(self, api_client, make_user):
        api_client.force_authenticate(make_user(*SCHEME_WRITER))
        response = api_client.post(self.list_url, self.payload(10, 20, 30, 30, 5))
        assert response.status_code == 400 and response.data["code"] == "weights_sum"
        assert "95" in str(response.data["errors"])
        assert not EvaluationScheme.objects.exists()

    def test_create_with_overlapping_bands_is_400_and_saves_nothing(self, api_client, make_user):
        api_client.force_authenticate(make_user(*SCHEME_WRITER))
        response = api_client.post(self.list_url, self.payload(10, 20, 30, 30, 10, bands=[(0, 3), ("2.5", 4)]))
        assert response.status_code == 400 and "overlap" in str(response.data["errors"])
        assert not EvaluationScheme.objects.exists()

    def test_a_writer_without_the_parts_permission_is_refused_and_nothing_is_saved(self, api_client, make_user):
        api_client.force_authenticate(make_user("evaluations.add_evaluationscheme", "evaluations.add_schemeband"))
        response = api_client.post(self.list_url, self.payload(10, 20, 30, 30, 10, bands=[(0, "2.99"), (3, 4)]))
        assert response.status_code == 403 and not EvaluationScheme.objects.exists()

    def test_create_happy_path_returns_the_scheme_with_its_parts(self, api_client, make_user):
        api_client.force_authenticate(make_user(*SCHEME_WRITER))
        response = api_client.post(self.list_url, self.payload(10, 20, 30, 30, 10, bands=[(0, "2.99"), (3, 4)]))
        assert response.status_code == 201, response.data
        assert [d["weight"] for d in response.data["dimensions"]] == ["10.00", "20.00", "30.00", "30.00", "10.00"]
        assert len(response.data["bands"]) == 2

    def test_draft_scheme_is_hidden_from_anonymous_callers(self, api_client):
        EvaluationSchemeFactory(publication="draft")
        assert api_client.get(self.list_url).data["count"] == 0


class TestEvaluationApi(EvaluationsApiTests):
    url_name, factory, public, lookup_field = "evaluations-api:evaluation", EvaluationFactory, True, "slug"
    view_perms = ("evaluations.view_evaluation",)

    def payload(self, scheme, scores=("3", "3", "3", "3", "3"), pillar_score="3.25"):
        codes = ["baseline", "output", "outcome", "impact", "quick-win"]
        ids = [scheme.dimensions.get(code=code).pk for code in codes]  # relations are named by id
        return {
            "scheme": scheme.pk, "year": scheme.year, "stage": "final", "kind": "national",
            "dimension_scores": [{"dimension": i, "score": s} for i, s in zip(ids, scores, strict=True)],
            "pillar_scores": [{"pillar": pillar("governance").pk, "score": pillar_score}],
        }  # fmt: skip

    def test_create_computes_the_index_from_scores_and_weights(self, api_client, make_user):
        api_client.force_authenticate(make_user(*SCORER, "evaluations.add_evaluation"))
        scheme = EvaluationSchemeFactory()
        response = api_client.post(self.list_url, self.payload(scheme, ("3.00", "3.10", "2.80", "2.70", "3.00")))
        assert response.status_code == 201, response.data
        assert response.data["computed_index"] == "2.8700" and response.data["index"] == "2.8700"
        governance = pillar("governance")
        assert response.data["pillar_scores"] == [
            {
                "pillar": {"id": governance.pk, "slug": "governance", "name_ind": "Tata Kelola Cerdas",
                           OLD_NAME: "Tata Kelola Cerdas", "name_en": "Smart Governance"},
                "score": "3.2500",
            }
        ]  # fmt: skip
        output = response.data["dimension_scores"][1]
        assert output["dimension"] == {
            "id": scheme.dimensions.get(code="output").pk, "code": "output", "name_ind": "Output", OLD_NAME: "Output",
            "name_en": "Output",
        } and output["score"] == "3.1000"  # fmt: skip

    def test_score_outside_the_scale_is_400_and_saves_nothing(self, api_client, make_user):
        api_client.force_authenticate(make_user(*SCORER, "evaluations.add_evaluation"))
        scheme = EvaluationSchemeFactory()
        response = api_client.post(self.list_url, self.payload(scheme, pillar_score="400"))
        assert response.status_code == 400
        assert response.data["code"] == "invalid" and "pillar_scores" in response.data["errors"]
        assert "400" in response.data["errors"]["pillar_scores"][0]
        assert not Evaluation.objects.exists() and not DimensionScore.objects.exists()
        assert not PillarScore.objects.exists()

    def test_a_dimension_of_another_scheme_is_400_and_saves_nothing(self, api_client, make_user):
        api_client.force_authenticate(make_user(*SCORER, "evaluations.add_evaluation"))
        scheme, other = EvaluationSchemeFactory(), EvaluationSchemeFactory(year=2019)
        payload = self.payload(scheme)
        payload["dimension_scores"][0]["dimension"] = other.dimensions.get(
            code="baseline"
        ).pk  # same code, wrong scheme
        response = api_client.post(self.list_url, payload, format="json")
        assert response.status_code == 400 and "dimension_scores" in response.data["errors"], response.data
        assert not Evaluation.objects.exists() and not DimensionScore.objects.exists()

    def test_update_with_a_bad_score_keeps_the_old_scores(self, api_client, make_user):
        api_client.force_authenticate(make_user(*SCORER, "evaluations.change_evaluation"))
        evaluation = EvaluationFactory()
        url = self.detail_url(evaluation)
        economy = pillar("economy").pk
        assert api_client.patch(url, {"pillar_scores": [{"pillar": economy, "score": "3.5"}]}).status_code == 200
        response = api_client.patch(url, {"pillar_scores": [{"pillar": economy, "score": "4.5"}], "summary_ind": "x"})
        assert response.status_code == 400
        evaluation.refresh_from_db()
        assert evaluation.summary_ind == "" and evaluation.pillar_scores.get().score == Decimal("3.5")

    def test_embargoed_evaluation_is_hidden_from_anonymous_callers_until_its_letter(self, api_client, make_user):
        embargoed = EvaluationFactory(publish_from=timezone.now() + LATER)
        EvaluationFactory(publication="draft")
        assert api_client.get(self.list_url).data["count"] == 0
        assert api_client.get(self.detail_url(embargoed)).status_code == 404
        api_client.force_authenticate(make_user(*self.view_perms))
        assert api_client.get(self.list_url).data["count"] == 2

    def test_filters_by_year_stage_kind_status_and_pillar(self, api_client):
        first = EvaluationFactory(scheme=EvaluationSchemeFactory(year=2022), stage="stage_1", kind="self_assessment")
        second = EvaluationFactory(status="submitted")
        PillarScore.objects.create(evaluation=second, pillar=Pillar.objects.get(slug="living"), score=3)
        cases = [({"year": 2022}, first), ({"stage": "stage_1"}, first), ({"kind": "national"}, second),
                 ({"status": "submitted"}, second), ({"pillar": "living"}, second)]  # fmt: skip
        for params, expected in cases:
            response = api_client.get(self.list_url, params)
            assert [row["id"] for row in response.data["results"]] == [expected.pk], params

    def test_index_band_and_improvement_are_read_only(self, api_client, make_user):
        api_client.force_authenticate(make_user(*SCORER, "evaluations.change_evaluation"))
        evaluation = EvaluationFactory()
        response = api_client.patch(self.detail_url(evaluation), {"computed_index": "4.00", "improvement": "1"})
        assert response.status_code == 400 and set(response.data["errors"]) == {"computed_index", "improvement"}
        evaluation.refresh_from_db()
        assert evaluation.computed_index is None


class TestFindingApi(EvaluationsApiTests):
    url_name, factory, public = "evaluations-api:finding", FindingFactory, True
    view_perms = ("evaluations.view_finding",)

    def test_findings_of_an_embargoed_evaluation_are_hidden(self, api_client):
        FindingFactory(evaluation=EvaluationFactory(publish_from=timezone.now() + LATER))
        FindingFactory(publication="draft")
        assert api_client.get(self.list_url).data["count"] == 0

    def test_filters_by_kind_pillar_and_year(self, api_client):
        strength = FindingFactory(kind="strength", pillar=Pillar.objects.get(slug="branding"))
        FindingFactory(evaluation=EvaluationFactory(scheme=EvaluationSchemeFactory(year=2020)))
        for params in ({"kind": "strength"}, {"pillar": "branding"}, {"year": 2023}):
            assert [row["id"] for row in api_client.get(self.list_url, params).data["results"]] == [strength.pk]


class TestFollowUpApi(EvaluationsApiTests):
    url_name, factory, public = "evaluations-api:followupaction", FollowUpActionFactory, True
    view_perms = ("evaluations.view_followupaction",)

    @pytest.fixture
    def opd_editor(self, make_user):
        """An OPD editor of agency A: may change follow-ups, scoped to A by the services."""
        editor = make_user("evaluations.view_followupaction", "evaluations.change_followupaction")
        agency = AgencyFactory(slug="agency-a")
        agency.members.add(editor)
        return editor, agency

    def test_opd_editor_updates_own_agencys_follow_up(self, api_client, opd_editor):
        editor, agency = opd_editor
        action = FollowUpActionFactory(owner_agency=agency)
        api_client.force_authenticate(editor)
        response = api_client.patch(self.detail_url(action), {"status": "done", "done_on": "2025-01-10"})
        assert response.status_code == 200 and response.data["status"] == "done"
        assert action.history.first().history_user == editor

    def test_opd_editor_cannot_update_another_agencys_follow_up(self, api_client, opd_editor):
        editor, _ = opd_editor
        action = FollowUpActionFactory(owner_agency=AgencyFactory(slug="agency-b"))
        api_client.force_authenticate(editor)
        response = api_client.patch(self.detail_url(action), {"status": "done", "done_on": "2025-01-10"})
        assert response.status_code == 403 and response.data["code"] == "permission_denied"
        action.refresh_from_db()
        assert action.status == "open"

    def test_opd_editor_cannot_hand_a_follow_up_to_another_agency(self, api_client, opd_editor):
        editor, agency = opd_editor
        other = AgencyFactory(slug="agency-b")
        action = FollowUpActionFactory(owner_agency=agency)
        api_client.force_authenticate(editor)
        assert api_client.patch(self.detail_url(action), {"owner_agency": other.pk}).status_code == 403
        action.refresh_from_db()
        assert action.owner_agency == agency

    def test_diskominfo_staff_update_any_agencys_follow_up(self, api_client, make_user):
        staff = make_user(
            "evaluations.view_followupaction", "evaluations.change_followupaction", "pillars.manage_all_agencies"
        )
        action = FollowUpActionFactory()
        api_client.force_authenticate(staff)
        assert api_client.patch(self.detail_url(action), {"status": "in_progress"}).status_code == 200

    def test_done_without_date_is_400(self, api_client, make_user):
        api_client.force_authenticate(
            make_user(
                "evaluations.view_followupaction", "evaluations.change_followupaction", "pillars.manage_all_agencies"
            )
        )
        response = api_client.patch(self.detail_url(FollowUpActionFactory()), {"status": "done"})
        assert response.status_code == 400 and "done_on" in response.data["errors"]

    def test_follow_ups_of_an_embargoed_evaluation_are_hidden(self, api_client):
        evaluation = EvaluationFactory(publish_from=timezone.now() + LATER)
        FollowUpActionFactory(finding=FindingFactory(evaluation=evaluation))
        FollowUpActionFactory(finding=FindingFactory(publication="draft"))
        assert api_client.get(self.list_url).data["count"] == 0

    def test_filters_by_overdue_agency_status_and_pillar(self, api_client):
        today = timezone.localdate()
        late = FollowUpActionFactory(
            due_on=today - datetime.timedelta(days=1),
            owner_agency=AgencyFactory(slug="dlh"),
            finding=FindingFactory(pillar=Pillar.objects.get(slug="environment")),
        )
        on_time = FollowUpActionFactory(status="in_progress")
        FollowUpActionFactory(due_on=today - datetime.timedelta(days=9), status="done", done_on=today)
        assert [r["id"] for r in api_client.get(self.list_url, {"overdue": "true"}).data["results"]] == [late.pk]
        assert late.pk not in [r["id"] for r in api_client.get(self.list_url, {"overdue": "false"}).data["results"]]
        assert [r["id"] for r in api_client.get(self.list_url, {"owner_agency": "dlh"}).data["results"]] == [late.pk]
        assert [r["id"] for r in api_client.get(self.list_url, {"pillar": "environment"}).data["results"]] == [late.pk]
        response = api_client.get(self.list_url, {"status": "in_progress"})
        assert [r["id"] for r in response.data["results"]] == [on_time.pk]
        assert response.data["results"][0]["is_overdue"] is False


class TestFieldVisitApi(EvaluationsApiTests):
    url_name, factory, public = "evaluations-api:fieldvisit", FieldVisitFactory, True
    view_perms = ("evaluations.view_fieldvisit",)

    def test_visits_of_an_embargoed_evaluation_are_hidden(self, api_client):
        FieldVisitFactory(evaluation=EvaluationFactory(publish_from=timezone.now() + LATER))
        assert api_client.get(self.list_url).data["count"] == 0

    def test_filters_by_pillar_and_agency(self, api_client):
        visit = FieldVisitFactory(
            site="Pantai Air Manis", pillar=Pillar.objects.get(slug="branding"), agency=AgencyFactory(slug="dispar")
        )
        FieldVisitFactory()
        for params in ({"pillar": "branding"}, {"agency": "dispar"}, {"q": "air manis"}):
            assert [row["id"] for row in api_client.get(self.list_url, params).data["results"]] == [visit.pk]


def test_schema_lists_the_evaluation_endpoints(api_client):
    paths = api_client.get(reverse("schema"), {"format": "json"}).json()["paths"]
    for path in ("evaluation-schemes", "evaluations", "findings", "follow-ups", "field-visits"):
        assert f"/api/v1/{path}/" in paths


def test_no_follow_up_is_deleted_by_a_refused_write(api_client, make_user):
    api_client.force_authenticate(make_user("evaluations.view_followupaction"))
    action = FollowUpActionFactory()
    assert api_client.delete(reverse("evaluations-api:followupaction-detail", args=[action.pk])).status_code == 403
    assert FollowUpAction.objects.filter(pk=action.pk).exists()

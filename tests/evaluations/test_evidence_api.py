"""Issue 14: the shared API battery on the evidence's endpoints (anonymous reads, permissions, 404s, and list
query counts that do not grow with rows)."""

import pytest

from tests.api import StandardApiTests
from tests.pillars.factories import ActivityFactory

from .factories import (
    ClarificationRequestFactory,
    LegalInstrumentFactory,
    SurveyFactory,
    SurveyResponseFactory,
    SurveyTargetFactory,
)
from .test_api import EvaluationsApiTests

pytestmark = pytest.mark.django_db


class TestLegalInstrumentApi(EvaluationsApiTests):
    url_name, factory, public = "evaluations-api:legalinstrument", LegalInstrumentFactory, True
    view_perms = ("evaluations.view_legalinstrument",)


class TestSurveyApi(EvaluationsApiTests):
    url_name, factory, public, lookup_field = "evaluations-api:survey", SurveyFactory, True, "slug"
    view_perms = ("evaluations.view_survey",)


class TestSurveyTargetApi(EvaluationsApiTests):
    url_name, factory, public = "evaluations-api:surveytarget", SurveyTargetFactory, True
    view_perms = ("evaluations.view_surveytarget",)


class TestSurveyResponseApi(EvaluationsApiTests):
    url_name, factory, public = "evaluations-api:surveyresponse", SurveyResponseFactory, False
    view_perms = ("evaluations.view_surveyresponse",)

    def test_anonymous_list_query_count_is_constant(self, api_client):
        pytest.skip("anonymous callers get 401 here")


class TestClarificationRequestApi(EvaluationsApiTests):
    # An assessor's view: every agency's requests (an OPD editor's is narrowed to their own, see test_evidence)
    url_name, factory, public = "evaluations-api:clarificationrequest", ClarificationRequestFactory, False
    view_perms = ("evaluations.view_clarificationrequest", "evaluations.add_clarificationrequest")

    def test_anonymous_list_query_count_is_constant(self, api_client):
        pytest.skip("anonymous callers get 401 here")

    def test_write_without_add_perm_is_403_and_changes_nothing(self, api_client, make_user):
        api_client.force_authenticate(make_user("evaluations.view_clarificationrequest"))
        ClarificationRequestFactory()
        response = api_client.post(self.list_url, {})
        assert response.status_code == 403 and response.data["code"] == "permission_denied"
        assert self.model.objects.count() == 1


class TestActivityApi(StandardApiTests):
    url_name, factory, public = "pillars-api:activity", ActivityFactory, True
    view_perms = ("pillars.view_activity",)

"""Issue 14: the public survey page. A citizen answers once (a signed cookie on the device and a keyed hash of
the address in the cache, no outside service), a burst from one address is throttled, answers off the
scale are refused, and nothing but aggregates is published."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from evaluations.models import SurveyResponse
from evaluations.public_survey import ADDRESS_BUDGET

from .factories import SurveyTargetFactory

pytestmark = pytest.mark.django_db
ANSWERS = {"q1": "5", "q2": "4", "q3": "3"}


@pytest.fixture
def target():
    surveyed = SurveyTargetFactory(survey__open_online=True)
    yield surveyed
    cache.clear()


def url(target):
    return reverse("evaluations:surveyresponse-create", args=[target.survey.slug, target.pk])


def test_a_citizen_answers_once_and_the_answer_is_written_by_the_writer(target):
    browser = Client(HTTP_USER_AGENT="Firefox uji")
    page = browser.get(url(target))
    assert page.status_code == 200 and "Pernyataan q1" in page.content.decode()
    sent = browser.post(url(target), ANSWERS)
    assert sent.status_code == 302 and sent["Location"].endswith("?thanks=1")
    response = SurveyResponse.objects.get()
    assert response.source == "web" and response.entered_by is None
    assert sorted(response.answers.values_list("item__code", "value")) == [("q1", 5), ("q2", 4), ("q3", 3)]
    assert "terekam" in browser.get(sent["Location"]).content.decode()
    # the same device again: its signed cookie
    assert browser.post(url(target), ANSWERS).status_code == 409
    # the same address without the cookie (cleared, or a private window), whatever the browser says: the keyed hash
    assert Client(HTTP_USER_AGENT="Firefox uji").post(url(target), ANSWERS).status_code == 409
    assert Client(HTTP_USER_AGENT="Chromium uji").post(url(target), ANSWERS).status_code == 409
    assert SurveyResponse.objects.count() == 1
    # another address is another respondent
    assert Client().post(url(target), ANSWERS, REMOTE_ADDR="10.9.8.7").status_code == 302
    assert SurveyResponse.objects.count() == 2


def test_a_forged_cookie_does_not_count_and_no_address_is_stored(target, rf):
    from evaluations.public_survey import _fingerprint

    browser = Client(HTTP_USER_AGENT="Firefox uji")
    browser.cookies[f"kc-survey-{target.pk}"] = "1"  # not signed by the portal
    assert browser.post(url(target), ANSWERS).status_code == 302
    key = _fingerprint(rf.get("/"), target)
    assert cache.get(key) == 1 and "127.0.0.1" not in key and "Firefox" not in key


@pytest.mark.parametrize("answers", [{"q1": "9", "q2": "4", "q3": "3"}, {"q1": "5"}, {"q1": "x", "q2": "4", "q3": "3"}])
def test_answers_off_the_scale_or_missing_are_refused(target, answers):
    assert Client().post(url(target), answers).status_code == 400
    assert not SurveyResponse.objects.exists()


def test_a_burst_from_one_address_is_throttled(target, settings):
    targets = [target] + [SurveyTargetFactory(survey__open_online=True) for _ in range(ADDRESS_BUDGET)]
    for surveyed in targets[:ADDRESS_BUDGET]:
        assert Client().post(url(surveyed), ANSWERS).status_code == 302
    assert Client().post(url(targets[ADDRESS_BUDGET]), ANSWERS).status_code == 429
    assert SurveyResponse.objects.count() == ADDRESS_BUDGET


def test_a_survey_not_open_online_or_not_published_has_no_page():
    closed = SurveyTargetFactory()
    assert Client().get(url(closed)).status_code == 404
    draft = SurveyTargetFactory(survey__open_online=True, survey__publication="draft")
    assert Client().get(url(draft)).status_code == 404

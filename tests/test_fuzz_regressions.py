"""What the outside fuzzer (deploy/fuzz.py) and the fault script (deploy/faults.py) found, kept fixed."""

import logging

import pytest
from celery import Celery
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from smartcity.tasks import enqueue
from tests.partnerships.factories import PartnerFactory
from tests.pillars.factories import InfrastructureAssetFactory, ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", ["0", "0.0", "10000", "3.7e16", "-5", "2024.5"])
@pytest.mark.parametrize(
    "url_name", ["pillars-api:infrastructureasset-list", "pillars-api:milestone-list", "pillars-api:measurement-list"]
)
def test_a_year_filter_outside_the_calendar_is_a_400(api_client, make_user, url_name, year):
    api_client.force_authenticate(make_user(is_superuser=True))  # the anonymous throttle is not the subject here
    response = api_client.get(reverse(url_name), {"year": year})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "year" in response.json()["errors"]


def test_a_year_filter_in_the_calendar_still_filters(api_client):
    assert api_client.get(reverse("pillars-api:measurement-list"), {"year": "2024"}).status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/programs/a.b/", "/api/v1/nothing-here/", "/api/v1/masterplans/1/x/"])
def test_an_api_url_no_route_matches_answers_the_error_format(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_a_page_url_no_route_matches_is_still_the_page(client):
    response = client.get("/nothing-here/")

    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_the_schema_documents_the_error_responses():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    detail, listing = schema["paths"]["/api/v1/programs/{slug}/"], schema["paths"]["/api/v1/programs/"]

    assert {"200", "401", "403", "404", "429"} <= set(detail["get"]["responses"])
    assert {"204", "404", "409"} <= set(detail["delete"]["responses"])
    assert {"201", "400", "415"} <= set(listing["post"]["responses"])
    assert "400" in listing["get"]["responses"]  # a filter value that does not validate
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "detail"} and "errors" in error["properties"]


def test_the_schema_says_which_operations_anonymous_callers_may_call():
    """`--checks all` (ignored_auth): the public lists answered anonymous callers while the schema said every one
    needed credentials. A public read lists `{}` (none) among its credentials; a write and a private read do not."""
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]

    assert {} in paths["/api/v1/programs/"]["get"]["security"]
    assert {} in paths["/api/v1/agencies/{slug}/"]["get"]["security"]
    assert {} not in paths["/api/v1/programs/"]["post"]["security"]
    assert {} not in paths["/api/v1/webhook-endpoints/"]["get"]["security"]


def test_an_empty_filter_value_filters_nothing(api_client, make_user):
    """`--checks all` (positive_data_acceptance): `?pillar=` was a 400 (an unknown choice) while an empty `q` or
    `ordering` is ignored; an unknown slug or id is still a 400."""
    api_client.force_authenticate(make_user(is_superuser=True))  # the anonymous throttle is not the subject here
    ProgramFactory()
    url = reverse("pillars-api:program-list")

    unfiltered = api_client.get(url).json()
    assert unfiltered["count"] == 1
    assert api_client.get(url, {"pillar": "", "pillar_id": "", "agency": ""}).json() == unfiltered
    assert api_client.get(url, {"pillar": "no-such-pillar"}).status_code == 400
    assert api_client.get(url, {"pillar_id": "0"}).status_code == 400


@pytest.mark.parametrize(
    "query",
    [{"limit": "0.5"}, {"offset": "null"}, {"limit": ""}, {"offset": "-1"}, {"id": "0.5"}, {"id": "x"}]
    + [{"brief": "null"}],
)
def test_a_page_or_id_that_is_not_a_whole_number_is_a_400(api_client, make_user, query):
    """`--checks all` (negative_data_rejection): `?limit=0.5`, `?offset=null` and `?id=0.5` answered 200 (the
    first page, or an empty list) though the schema says an integer."""
    api_client.force_authenticate(make_user(is_superuser=True))
    response = api_client.get(reverse("pillars-api:program-list"), query)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and set(query) <= set(response.json()["errors"])


def test_a_whole_page_and_id_still_work(api_client, make_user):
    api_client.force_authenticate(make_user(is_superuser=True))
    program = ProgramFactory()
    url = reverse("pillars-api:program-list")

    assert api_client.get(url, {"limit": "1", "offset": "0", "id": str(program.pk)}).json()["count"] == 1
    assert api_client.get(url, {"brief": "true"}).status_code == api_client.get(url, {"brief": "0"}).status_code == 200


def test_a_result_store_that_is_away_fails_no_save(django_capture_on_commit_callbacks, caplog):
    """With Redis down the result store, not only the broker, is away; a queued job must not wait on it."""
    away = Celery(
        "away", broker="redis://127.0.0.1:1/0", backend="redis://127.0.0.1:1/0", set_as_current=False
    )  # never the app of the portal's shared tasks (a later test would send to port 1)
    away.conf.broker_connection_timeout = 0.5
    away.conf.redis_socket_connect_timeout = 0.5

    @away.task(name="tests.ring_with_result")
    def ring():
        return "rang"

    with caplog.at_level(logging.WARNING, logger="smartcity.tasks"):
        with django_capture_on_commit_callbacks(execute=True):
            enqueue(ring)

    assert "not queued now" in caplog.text or "could not queue" in caplog.text


@pytest.mark.parametrize("factory, url_name", [(InfrastructureAssetFactory, "pillars-api:infrastructureasset-detail")])
def test_a_publish_from_before_2000_is_a_400(api_client, make_user, factory, url_name):
    """Jakarta's offsets before 1924 had seconds (+07:07:12): such a moment came back as invalid RFC 3339."""
    record = factory()
    api_client.force_authenticate(make_user(is_superuser=True))

    response = api_client.patch(reverse(url_name, args=[record.pk]), {"publish_from": "0568-03-14T23:48:13+07:00"})

    assert response.status_code == 400 and "publish_from" in response.json()["errors"]
    record.refresh_from_db()
    assert record.publish_from is None


def test_a_partner_publish_from_before_2000_is_a_400(api_client, make_user):
    partner = PartnerFactory()
    api_client.force_authenticate(make_user(is_superuser=True))

    response = api_client.patch(
        reverse("partnerships-api:partner-detail", args=[partner.slug]), {"publish_from": "1900-01-01T00:00:00Z"}
    )

    assert response.status_code == 400 and "publish_from" in response.json()["errors"]


@pytest.mark.parametrize("url_name", ["pillars-api:program-list", "evaluations-api:portalsnapshot-list"])
def test_an_id_beyond_the_columns_range_is_an_empty_page_not_a_500(api_client, make_user, url_name):
    """Django knows no row can match and refuses to build the query; the page that folds its count in must not
    turn that into a 500 (found by the fuzzer on portal-snapshots)."""
    api_client.force_authenticate(make_user(is_superuser=True))
    response = api_client.get(reverse(url_name), {"id": "682575044957140811776"})

    assert response.status_code == 200
    assert response.json()["count"] == 0 and response.json()["results"] == []

"""Issue 23, item 10: a POST the proxy (or the caller) sends twice writes once.

nginx no longer resends non-idempotent requests (deploy/nginx-multinode.conf), and a caller that retries on its
own can send an `Idempotency-Key`: the same key and the same body answer the stored response without writing again;
the same key with another body is a 422. Keys are kept per caller (API key or signed-in user) for
IDEMPOTENCY_KEY_HOURS."""

import threading
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

from pillars.models import Activity
from smartcity.roles import DISKOMINFO_EDITOR
from tests.factories import UserFactory
from tests.pillars.factories import AgencyFactory, ProgramFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/activities/"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def editor():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=DISKOMINFO_EDITOR))
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def body():
    program = ProgramFactory(lead_agency=AgencyFactory(slug="dinas-a"))
    return {"program": program.pk, "year": 2024, "owner_agency": program.lead_agency_id, "title_ind": "Kegiatan baru"}


def test_two_posts_with_the_same_key_create_one_row(body):
    client = editor()
    first = client.post(URL, body, format="json", headers={"Idempotency-Key": "c0ffee-1"})
    again = client.post(URL, body, format="json", headers={"Idempotency-Key": "c0ffee-1"})
    assert first.status_code == again.status_code == 201
    assert Activity.objects.count() == 1
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first


def test_without_a_key_each_post_writes(body):
    client = editor()
    assert client.post(URL, body, format="json").status_code == 201
    assert client.post(URL, body, format="json").status_code == 201
    assert Activity.objects.count() == 2


def test_the_same_key_with_another_body_is_a_422_and_writes_nothing(body):
    client = editor()
    assert client.post(URL, body, format="json", headers={"Idempotency-Key": "k-1"}).status_code == 201
    other = client.post(URL, body | {"title_ind": "Lain"}, format="json", headers={"Idempotency-Key": "k-1"})
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused" and "Idempotency-Key" in other.json()["detail"]
    assert Activity.objects.count() == 1


def test_keys_are_per_caller(body):
    assert editor().post(URL, body, format="json", headers={"Idempotency-Key": "k-1"}).status_code == 201
    assert editor().post(URL, body, format="json", headers={"Idempotency-Key": "k-1"}).status_code == 201
    assert Activity.objects.count() == 2


def test_a_refused_post_is_not_stored_as_a_success(body):
    client = editor()
    refused = client.post(URL, body | {"year": "x"}, format="json", headers={"Idempotency-Key": "k-2"})
    assert refused.status_code == 400
    again = client.post(URL, body | {"year": "x"}, format="json", headers={"Idempotency-Key": "k-2"})
    assert again.status_code == 400 and Activity.objects.count() == 0


@pytest.mark.parametrize("key", ["", "x" * 256, "kunci\u00e9"])
def test_a_malformed_key_is_a_400(body, key):
    response = editor().post(URL, body, format="json", headers={"Idempotency-Key": key})
    assert response.status_code == 400 and "Idempotency-Key" in response.json()["errors"]
    assert Activity.objects.count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # later tests find the reference rows
def test_two_concurrent_posts_with_the_same_key_write_once(body):
    client_user = UserFactory(is_staff=True)
    client_user.groups.add(Group.objects.get(name=DISKOMINFO_EDITOR))
    statuses, start = [], threading.Barrier(2)

    def send():
        client = APIClient()
        client.force_login(client_user)
        start.wait()
        statuses.append(client.post(URL, body, format="json", headers={"Idempotency-Key": "race"}).status_code)
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Activity.objects.count() == 1
    assert sorted(statuses) in ([201, 201], [201, 409])


def test_the_schema_documents_the_header(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    operation = schema.json()["paths"][URL]["post"]
    assert "Idempotency-Key" in {p["name"] for p in operation["parameters"] if p["in"] == "header"}
    assert "422" in operation["responses"]


def test_nginx_resends_only_connection_failures():
    conf = (Path(__file__).resolve().parents[2] / "deploy" / "nginx-multinode.conf").read_text()
    directives = [line.split("#")[0] for line in conf.splitlines() if "proxy_next_upstream" in line.split("#")[0]]
    assert directives and all("non_idempotent" not in line for line in directives)
    assert any("error" in line and "timeout" in line for line in directives)

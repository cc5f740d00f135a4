"""Signed webhooks, end to end: partners register through their keys, events go to real HTTP receivers on loopback,
signed as Standard Webhooks (verified here with the standardwebhooks package), retried by a real Celery worker on
Redis after a failure, and never sent to a partner who may not see their subject."""

import datetime
import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from partnerships import webhooks
from partnerships.models import WebhookDelivery, WebhookEndpoint
from partnerships.services import mou_expiry_reminders_send, progress_report_create
from smartcity.celery import app
from tests.api import StandardApiTests, count_queries
from tests.evaluations.factories import EvaluationFactory
from tests.factories import UserFactory
from tests.partnerships.factories import (
    CommitmentFactory,
    MoUFactory,
    MoUPartyFactory,
    PartnerContactFactory,
    PartnerFactory,
    WebhookDeliveryFactory,
    WebhookEndpointFactory,
    make_key,
)
from tests.workers import worker_port

# This helper's ports (8170-8179): 8173-8176 for the receivers, used in turn (a test closes its own when it ends).
RECEIVER_PORTS = itertools.cycle(range(worker_port(8173), worker_port(8177)))
ENDPOINTS = "partnerships-api:webhookendpoint"


class Receiver:
    """A partner's receiving system: a real HTTP server on loopback that records every request and answers the
    next status of its script (then 200)."""

    def __init__(self, port: int):
        self.requests: list[dict] = []
        self.script: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status = receiver.script.pop(0) if receiver.script else 200
                receiver.requests.append({"headers": dict(self.headers), "body": body, "status": status})
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{port}/hooks/kota-cerdas"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receivers():
    opened = []

    def open_one():
        opened.append(Receiver(next(RECEIVER_PORTS)))
        return opened[-1]

    yield open_one
    for receiver in opened:
        receiver.close()


@pytest.fixture
def loopback(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0.5
    return settings


@pytest.fixture
def celery_worker():
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


def key_client(api_client, key):
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return api_client


def register(api_client, key, url, events):
    key_client(api_client, key)
    response = api_client.post(reverse(f"{ENDPOINTS}-list"), {"url": url, "events": events}, format="json")
    api_client.credentials()
    return response


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


# --- the check: a real receiver, a real worker --------------------------------------------------------------
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_partner_gets_its_signed_event_retried_after_a_failure_and_another_partner_never(
    loopback, receivers, celery_worker, api_client, make_user
):
    partner_a, partner_b = PartnerFactory(name="PT Telkom Uji"), PartnerFactory(name="Tower Uji")
    _, key_a = make_key(partner_a)
    _, key_b = make_key(partner_b)
    receiver_a, receiver_b = receivers(), receivers()
    mou = MoUFactory(state="draft", signed_on=None, signed_place="", party__partner=partner_a)

    answer_a = register(api_client, key_a, receiver_a.url, ["mou.signed", "mou.terminated"])
    answer_b = register(api_client, key_b, receiver_b.url, ["mou.signed"])
    assert answer_a.status_code == answer_b.status_code == 201, (answer_a.data, answer_b.data)
    secret_a = answer_a.data["secret"]
    assert secret_a.startswith("whsec_") and answer_a.data["partner"]["id"] == partner_a.pk
    receiver_a.script = [503]  # the first attempt fails; the retry succeeds

    api_client.force_authenticate(make_user("partnerships.sign_mou", "partnerships.view_mou"))
    signed = api_client.post(reverse("partnerships-api:mou-sign", args=[mou.slug]), {"signed_on": "2026-11-30"})
    assert signed.status_code == 200, signed.data

    delivery = WebhookDelivery.objects.get(endpoint__partner=partner_a)
    assert wait_for(lambda: WebhookDelivery.objects.filter(pk=delivery.pk, status="delivered").exists())
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.response_code) == (2, 200)
    assert delivery.response_ms is not None and delivery.delivered_at is not None
    assert [request["status"] for request in receiver_a.requests] == [503, 200]
    ids = {request["headers"]["webhook-id"] for request in receiver_a.requests}
    assert ids == {delivery.event_id}  # a retry is the same message
    for request in receiver_a.requests:
        event = Webhook(secret_a).verify(request["body"], request["headers"])
        assert event["type"] == "mou.signed"
        assert event["data"]["slug"] == mou.slug and event["data"]["signed_on"] == "2026-11-30"
    with pytest.raises(WebhookVerificationError):
        Webhook(answer_b.data["secret"]).verify(receiver_a.requests[0]["body"], receiver_a.requests[0]["headers"])
    # Partner B is no party of the MoU: no delivery was even recorded, and its receiver heard nothing.
    assert not WebhookDelivery.objects.filter(endpoint__partner=partner_b).exists()
    time.sleep(1)
    assert receiver_b.requests == []


# --- registering: a key keeps its own endpoints; no URL into the portal's network -----------------------------------
pytestmark = pytest.mark.django_db  # the real worker test above asks for committed data itself


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8174/hook",  # loopback, not allowed here
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "http://8.8.8.8/hook",  # public, but not https
        "https://user:pass@8.8.8.8/hook",
        "ftp://8.8.8.8/hook",
    ],
)
def test_an_endpoint_into_a_private_or_local_network_is_refused(api_client, url, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    _, key = make_key(PartnerFactory())
    response = register(api_client, key, url, ["mou.signed"])
    assert response.status_code == 400 and "url" in response.data["errors"], response.data
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.django_db
def test_loopback_is_allowed_only_by_the_setting(api_client, settings):
    _, key = make_key(PartnerFactory())
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    assert register(api_client, key, "http://127.0.0.1:8175/hook", ["mou.signed"]).status_code == 201


@pytest.mark.django_db
def test_a_key_sees_and_changes_only_its_own_endpoints(api_client, loopback):
    partner_a, partner_b = PartnerFactory(), PartnerFactory()
    _, key_a = make_key(partner_a)
    _, key_b = make_key(partner_b)
    own = register(api_client, key_a, "http://127.0.0.1:8173/a", ["mou.signed"]).data["id"]
    other = register(api_client, key_b, "http://127.0.0.1:8173/b", ["mou.signed"]).data["id"]
    client = key_client(api_client, key_a)
    listed = client.get(reverse(f"{ENDPOINTS}-list")).data["results"]
    assert [row["id"] for row in listed] == [own] and "secret" not in listed[0]
    assert client.patch(reverse(f"{ENDPOINTS}-detail", args=[other]), {"active": False}).status_code == 404
    assert client.delete(reverse(f"{ENDPOINTS}-detail", args=[other])).status_code == 404
    for_b = client.post(
        reverse(f"{ENDPOINTS}-list"),
        {"url": "http://127.0.0.1:8173/c", "events": ["mou.signed"], "partner": partner_b.pk},
    )
    assert for_b.status_code == 403
    unknown = client.post(reverse(f"{ENDPOINTS}-list"), {"url": "http://127.0.0.1:8173/c", "events": ["mou.eaten"]})
    assert unknown.status_code == 400 and "events" in unknown.data["errors"]
    assert WebhookEndpoint.objects.filter(partner=partner_b).get().active
    assert client.patch(reverse(f"{ENDPOINTS}-detail", args=[own]), {"events": ["mou.expiring"]}).status_code == 200
    assert client.delete(reverse(f"{ENDPOINTS}-detail", args=[own])).status_code == 204
    api_client.credentials()
    assert api_client.get(reverse(f"{ENDPOINTS}-list")).status_code == 401


@pytest.mark.django_db
def test_a_rotated_secret_overlaps_the_old_one(api_client, loopback):
    _, key = make_key(PartnerFactory())
    created = register(api_client, key, "http://127.0.0.1:8173/a", ["mou.signed"]).data
    rotated = key_client(api_client, key).post(reverse(f"{ENDPOINTS}-rotate-secret", args=[created["id"]]))
    assert rotated.status_code == 200 and rotated.data["secret"] != created["secret"]
    endpoint = WebhookEndpoint.objects.get(pk=created["id"])
    body = json.dumps({"type": "mou.signed", "data": {}})
    now = timezone.now()
    headers = webhooks.signed_headers(endpoint=endpoint, event_id="msg_1", body=body, now=now)
    assert len(headers["webhook-signature"].split()) == 2
    for secret in (created["secret"], rotated.data["secret"]):  # the receiver may still hold either
        assert Webhook(secret).verify(body, headers) == {"type": "mou.signed", "data": {}}
    later = now + datetime.timedelta(hours=25)  # after the overlap only the new secret signs
    assert (
        len(webhooks.signed_headers(endpoint=endpoint, event_id="m", body=body, now=later)["webhook-signature"].split())
        == 1
    )


# --- who is told what -------------------------------------------------------------------------------------------------
def endpoint_of(partner, events):
    return WebhookEndpoint.objects.create(
        partner=partner, url="http://127.0.0.1:8173/x", events=events, secret=webhooks.new_secret()
    )


@pytest.mark.django_db
def test_progress_goes_to_the_parties_who_may_see_the_commitment():
    partner_a, partner_b, outsider = PartnerFactory(), PartnerFactory(), PartnerFactory()
    hidden = MoUFactory(party__partner=partner_a, publication="draft")
    MoUPartyFactory(mou=hidden, partner=partner_b)
    endpoints = {p: endpoint_of(p, ["commitment.progress_reported"]) for p in (partner_a, partner_b, outsider)}
    commitment = CommitmentFactory(mou=hidden, partner=partner_a)
    progress_report_create(actor=UserFactory(is_superuser=True), commitment=commitment,
                           reported_on=datetime.date(2026, 1, 5), quantity_reached=12)  # fmt: skip
    told = set(WebhookDelivery.objects.values_list("endpoint", flat=True))
    assert told == {endpoints[partner_a].pk}  # B may not see A's commitment under an unpublished MoU
    payload = WebhookDelivery.objects.get().payload
    assert payload["type"] == "commitment.progress_reported" and payload["data"]["quantity_reached"] == "12.00"

    hidden.publication = "published"
    hidden.save()
    progress_report_create(actor=UserFactory(is_superuser=True), commitment=commitment,
                           reported_on=datetime.date(2026, 2, 5), quantity_reached=20)  # fmt: skip
    assert WebhookDelivery.objects.filter(endpoint=endpoints[partner_b]).count() == 1
    assert not WebhookDelivery.objects.filter(endpoint=endpoints[outsider]).exists()


@pytest.mark.django_db
def test_a_report_nobody_listens_for_costs_the_announcement_one_query(django_assert_num_queries):
    partner = PartnerFactory()
    commitment = CommitmentFactory(mou=MoUFactory(party__partner=partner), partner=partner)
    endpoint_of(partner, ["mou.signed"])  # an endpoint, for other events
    report = progress_report_create(actor=UserFactory(is_superuser=True), commitment=commitment,
                                    reported_on=datetime.date(2026, 1, 5), quantity_reached=3)  # fmt: skip
    with django_assert_num_queries(1):
        webhooks.progress_report_announce(report=report)
    endpoint_of(partner, ["commitment.progress_reported"])
    webhooks.progress_report_announce(report=report)
    assert WebhookDelivery.objects.get().payload["data"]["quantity_reached"] == "3.00"


@pytest.mark.django_db
def test_a_published_evaluation_goes_to_every_subscriber_once():
    from evaluations.services import EVALUATION, evaluation_embargoes_announce

    subscribed = [endpoint_of(PartnerFactory(), ["evaluation.published"]) for _ in range(2)]
    endpoint_of(PartnerFactory(), ["mou.signed"])  # chose other events
    staff = UserFactory(is_superuser=True)
    draft = EvaluationFactory(publication="draft")
    EVALUATION.update(instance=draft, data={"summary_ind": "Belum terbit"}, actor=staff)
    assert not WebhookDelivery.objects.exists()
    EVALUATION.update(instance=draft, data={"publication": "published"}, actor=staff)
    EVALUATION.update(instance=draft, data={"summary_ind": "Diubah setelah terbit"}, actor=staff)
    assert sorted(WebhookDelivery.objects.values_list("endpoint", flat=True)) == [e.pk for e in subscribed]
    assert {d.payload["data"]["id"] for d in WebhookDelivery.objects.all()} == {draft.pk}

    embargoed = EvaluationFactory(publication="draft")
    soon = timezone.now() + datetime.timedelta(minutes=3)
    EVALUATION.update(instance=embargoed, data={"publication": "published", "publish_from": soon}, actor=staff)
    assert not WebhookDelivery.objects.filter(payload__data__id=embargoed.pk).exists()
    type(embargoed).objects.filter(pk=embargoed.pk).update(publish_from=timezone.now() - datetime.timedelta(minutes=1))
    evaluation_embargoes_announce()
    evaluation_embargoes_announce()  # the overlapping window runs again: still one delivery per endpoint
    assert WebhookDelivery.objects.filter(payload__data__id=embargoed.pk).count() == 2


@pytest.mark.django_db
def test_an_mou_nearing_its_end_is_announced_once_per_reminder():
    partner = PartnerFactory()
    endpoint = endpoint_of(partner, ["mou.expiring"])
    today = timezone.localdate()
    MoUFactory(party__partner=partner, valid_until=today + datetime.timedelta(days=30))
    MoUFactory(valid_until=today + datetime.timedelta(days=30))  # another partner's
    mou_expiry_reminders_send(today=today)
    mou_expiry_reminders_send(today=today)
    delivery = WebhookDelivery.objects.get()
    assert delivery.endpoint == endpoint and delivery.payload["data"]["days_left"] == 30


# --- failures: backoff, then the endpoint is switched off and the partner told --------------------------------------
@pytest.mark.django_db
def test_an_endpoint_that_keeps_failing_is_switched_off_and_the_partner_told(
    receivers, loopback, django_capture_on_commit_callbacks
):
    loopback.WEBHOOK_RETRY_BASE_SECONDS = 0
    loopback.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    receiver = receivers()
    receiver.script = [500] * 10
    partner = PartnerFactory()
    PartnerContactFactory(partner=partner, email="integrasi@mitra.example")
    endpoint = WebhookEndpoint.objects.create(partner=partner, url=receiver.url, events=["mou.signed"],
                                              secret=webhooks.new_secret())  # fmt: skip
    webhooks.webhook_emit(event_type="mou.signed", data={"id": 1}, partner_ids=[partner.pk])
    webhooks.webhook_emit(event_type="mou.signed", data={"id": 2}, partner_ids=[partner.pk])
    first, second = WebhookDelivery.objects.order_by("pk")
    assert webhooks.webhook_delivery_attempt(delivery_id=first.pk) == 0  # retry at once (base 0 here)
    assert webhooks.webhook_delivery_attempt(delivery_id=first.pk) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.webhook_delivery_attempt(delivery_id=first.pk) is None
    endpoint.refresh_from_db()
    assert not endpoint.active and endpoint.disabled_at is not None and endpoint.failure_count == 3
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"cancelled"}
    assert [m.to for m in mail.outbox] == [["integrasi@mitra.example"]] and endpoint.url in mail.outbox[0].body
    assert webhooks.webhook_delivery_attempt(delivery_id=second.pk) is None
    assert len(receiver.requests) == 3


@pytest.mark.django_db
def test_staff_switch_a_disabled_endpoint_on_again_in_the_admin_with_a_fresh_count(client, role_user, loopback):
    from smartcity.roles import DISKOMINFO_EDITOR

    endpoint = WebhookEndpointFactory(active=False, failure_count=20, disabled_at=timezone.now())
    client.force_login(role_user(DISKOMINFO_EDITOR))
    data = {"url": endpoint.url, "description": "", "events": endpoint.events, "active": "on", "row_version": ""}
    response = client.post(reverse("admin:partnerships_webhookendpoint_change", args=[endpoint.pk]), data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    endpoint.refresh_from_db()
    assert (endpoint.active, endpoint.failure_count, endpoint.disabled_at) == (True, 0, None)


@pytest.mark.django_db
def test_backoff_doubles_up_to_its_cap(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS, settings.WEBHOOK_RETRY_MAX_SECONDS = 30, 600
    assert [webhooks.backoff_seconds(n) for n in range(1, 7)] == [30, 60, 120, 240, 480, 600]


# --- the admin: a replay goes through the service, with its permission ----------------------------------------------
@pytest.mark.django_db
def test_staff_send_a_delivery_again_from_the_admin(client, role_user):
    from smartcity.roles import DISKOMINFO_EDITOR, VIEWER

    endpoint = endpoint_of(PartnerFactory(), ["mou.signed"])
    webhooks.webhook_emit(event_type="mou.signed", data={"id": 7}, partner_ids=[endpoint.partner_id])
    original = WebhookDelivery.objects.get()
    url = reverse("admin:partnerships_webhookdelivery_changelist")
    action = {"action": "replay", "_selected_action": [original.pk]}
    client.force_login(role_user(VIEWER))
    client.post(url, action)
    assert WebhookDelivery.objects.count() == 1
    client.force_login(role_user(DISKOMINFO_EDITOR))
    assert client.get(url).status_code == 200
    client.post(url, action)
    replay = WebhookDelivery.objects.exclude(pk=original.pk).get()
    assert (replay.replay_of, replay.event_id, replay.payload) == (original, original.event_id, original.payload)
    assert replay.status == "pending" and replay.attempts == 0


# --- the shared API battery, and a key's lists at two sizes -------------------------------------------------------
class TestWebhookEndpointApi(StandardApiTests):
    url_name, factory = ENDPOINTS, WebhookEndpointFactory
    view_perms = ("partnerships.view_webhookendpoint",)


class TestWebhookDeliveryApi(StandardApiTests):
    url_name, factory = "partnerships-api:webhookdelivery", WebhookDeliveryFactory
    view_perms = ("partnerships.view_webhookdelivery",)


@pytest.mark.django_db
@pytest.mark.parametrize("name", [ENDPOINTS, "partnerships-api:webhookdelivery"])
def test_a_keys_lists_cost_the_same_queries_at_two_sizes(api_client, name):
    partner = PartnerFactory()
    _, key = make_key(partner)
    client = key_client(api_client, key)
    WebhookDeliveryFactory(endpoint=WebhookEndpointFactory(partner=partner))
    WebhookDeliveryFactory()  # another partner's: never listed
    client.get(reverse(f"{name}-list"))  # the key's first call of the minute also stamps its last use
    one = count_queries(client, reverse(f"{name}-list"))
    for endpoint in WebhookEndpointFactory.create_batch(4, partner=partner):
        WebhookDeliveryFactory.create_batch(2, endpoint=endpoint)
    assert count_queries(client, reverse(f"{name}-list")) == one
    rows = client.get(reverse(f"{name}-list")).data["results"]
    partner_ids = {row["partner"]["id"] if "partner" in row else None for row in rows}
    assert len(rows) in (5, 9) and partner_ids <= {partner.pk, None}


@pytest.mark.django_db
def test_a_key_reads_its_delivery_log_live_with_the_cache_on(api_client, settings):
    settings.PUBLIC_CACHE_SECONDS = 300
    partner = PartnerFactory()
    _, key = make_key(partner)
    delivery = WebhookDeliveryFactory(endpoint=WebhookEndpointFactory(partner=partner))
    client = key_client(api_client, key)
    url = reverse("partnerships-api:webhookdelivery-list")
    assert client.get(url).data["results"][0]["status"] == "pending"
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="delivered", attempts=1)
    assert client.get(url).data["results"][0]["status"] == "delivered"


@pytest.mark.django_db
def test_a_delivery_under_way_elsewhere_is_not_sent_twice_and_the_sweep_finds_lost_ones(receivers, loopback):
    receiver = receivers()
    endpoint = WebhookEndpointFactory(url=receiver.url)
    now = timezone.now()
    leased = WebhookDeliveryFactory(endpoint=endpoint, next_attempt_at=now + webhooks.LEASE)  # another worker's
    lost = WebhookDeliveryFactory(endpoint=endpoint, next_attempt_at=now - datetime.timedelta(minutes=5))
    fresh = WebhookDeliveryFactory(endpoint=endpoint, next_attempt_at=now)  # its queue message is on its way
    WebhookDeliveryFactory(endpoint=endpoint, status="delivered", next_attempt_at=None)
    assert webhooks.webhook_delivery_attempt(delivery_id=leased.pk) is None and receiver.requests == []
    assert webhooks.due_deliveries(grace_seconds=60) == [lost.pk]
    assert set(webhooks.due_deliveries()) == {lost.pk, fresh.pk}
    assert webhooks.webhook_delivery_attempt(delivery_id=lost.pk) is None  # delivered: nothing more to do
    assert len(receiver.requests) == 1 and WebhookDelivery.objects.get(pk=lost.pk).status == "delivered"

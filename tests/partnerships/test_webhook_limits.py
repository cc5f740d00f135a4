"""Issue 23, HIGH 1: one partner's receiver cannot hold a Celery worker. Real misbehaving receivers on loopback
(a huge Content-Length then a byte a second, a body that drips, an endless chunked body, headers that drip): each
attempt ends within the total deadline and is recorded as a failed attempt, retried with the backoff. A real
worker on the real Redis still builds a queued evaluation pack while a receiver drips. And the number of endpoints
per partner is capped, in the writer's rules, so the API and the admin both refuse the one too many."""

import subprocess
import sys
import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse
from django.utils import timezone

from evaluations.choices import ExportStatus
from evaluations.models import EvaluationPack
from evaluations.services import evaluation_pack_request
from evaluations.tasks import build_evaluation_pack, build_report_export, build_waiting_report_exports
from partnerships import webhooks
from partnerships.models import WebhookDelivery, WebhookEndpoint
from partnerships.tasks import deliver_webhook
from smartcity.celery import app
from smartcity.tasks import rebuild_open_data
from tests.dripping import BEHAVIOURS, huge_length_drip, opened_receivers, small_length_drip
from tests.evaluations.factories import EvaluationFactory, EvaluationSchemeFactory
from tests.factories import UserFactory
from tests.live import ROOT, portal_env, served_database_url
from tests.partnerships.factories import PartnerFactory, WebhookDeliveryFactory, WebhookEndpointFactory, make_key

DEADLINE = 2.0  # WEBHOOK_TIMEOUT_SECONDS in these tests: the whole attempt, whatever the receiver does


@pytest.fixture
def dripping():
    yield from opened_receivers()


@pytest.fixture
def short_deadline(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    settings.WEBHOOK_TIMEOUT_SECONDS = DEADLINE
    settings.WEBHOOK_MAX_RESPONSE_BYTES = 64 * 1024
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30.0
    return settings


def attempt_in_thread(delivery_id: int, wait: float):
    """Run one attempt in a thread and wait at most `wait` seconds: today's code would never come back."""
    outcome = {}

    def run():
        started = time.monotonic()
        try:
            outcome["delay"] = webhooks.webhook_delivery_attempt(delivery_id=delivery_id)
        finally:
            outcome["seconds"] = time.monotonic() - started
            from django.db import connection

            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(wait)
    return outcome


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("behaviour", list(BEHAVIOURS))
def test_a_misbehaving_receiver_is_a_failed_attempt_within_the_deadline(short_deadline, dripping, behaviour):
    receiver = dripping(*BEHAVIOURS[behaviour])
    delivery = WebhookDeliveryFactory(endpoint=WebhookEndpointFactory(url=receiver.url), next_attempt_at=timezone.now())
    outcome = attempt_in_thread(delivery.pk, wait=DEADLINE + 3)
    assert "seconds" in outcome, "the attempt was still held by the receiver"
    assert outcome["seconds"] < DEADLINE + 1.5
    delivery.refresh_from_db()
    assert receiver.connections == 1
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("pending", 1, None)
    assert delivery.error and outcome["delay"] == 30.0  # retried with the existing backoff
    assert delivery.next_attempt_at is not None


# --- a real worker on the real Redis: a dripping receiver does not keep a queued pack waiting ----------------------
@pytest.fixture
def celery_worker():
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


def wait_for(condition, timeout: float) -> bool:
    ends = time.monotonic() + timeout
    while time.monotonic() < ends:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_queued_pack_still_builds_while_a_receiver_drips(short_deadline, dripping, celery_worker):
    receiver = dripping(huge_length_drip, 1.0)
    delivery = WebhookDeliveryFactory(endpoint=WebhookEndpointFactory(url=receiver.url), next_attempt_at=timezone.now())
    deliver_webhook.apply_async(kwargs={"delivery_id": delivery.pk}, ignore_result=True)  # the worker's first job
    assert wait_for(lambda: receiver.connections == 1, 10), "the worker never called the receiver"
    evaluation = EvaluationFactory(scheme=EvaluationSchemeFactory(year=2024))
    pack = evaluation_pack_request(actor=UserFactory(is_superuser=True), evaluation=evaluation, fmt="xlsx")
    started = time.monotonic()
    built = wait_for(lambda: EvaluationPack.objects.get(pk=pack.pk).status == ExportStatus.DONE, 15)
    assert built, f"the pack stayed {EvaluationPack.objects.get(pk=pack.pk).status} while the receiver dripped"
    assert time.monotonic() - started < DEADLINE + 10
    attempted = WebhookDelivery.objects.get(pk=delivery.pk)
    assert (attempted.status, attempted.attempts, attempted.response_code) == ("pending", 1, None)


# --- the cap on endpoints per partner ------------------------------------------------------------------------------
ENDPOINTS = "partnerships-api:webhookendpoint"


@pytest.fixture
def capped(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    settings.WEBHOOK_MAX_ENDPOINTS_PER_PARTNER = 3
    return settings


@pytest.mark.django_db
def test_a_key_cannot_register_one_endpoint_too_many(api_client, capped):
    partner = PartnerFactory()
    _, key = make_key(partner)
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    data = {"url": "http://127.0.0.1:8179/hook", "events": ["mou.signed"]}
    for _ in range(3):
        assert api_client.post(reverse(f"{ENDPOINTS}-list"), data, format="json").status_code == 201
    refused = api_client.post(reverse(f"{ENDPOINTS}-list"), data, format="json")
    assert refused.status_code == 400 and "partner" in refused.data["errors"], refused.data
    assert "3" in str(refused.data["errors"]["partner"][0]), refused.data
    assert WebhookEndpoint.objects.filter(partner=partner).count() == 3


@pytest.mark.django_db
def test_staff_cannot_add_or_move_one_endpoint_too_many_in_the_api_or_the_admin(api_client, client, capped):
    full, other = PartnerFactory(), PartnerFactory()
    WebhookEndpointFactory.create_batch(3, partner=full)
    moving = WebhookEndpointFactory(partner=other)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    api_client.force_authenticate(superuser)
    data = {"url": "http://127.0.0.1:8179/hook", "events": ["mou.signed"], "partner": full.pk}
    refused = api_client.post(reverse(f"{ENDPOINTS}-list"), data, format="json")
    assert refused.status_code == 400 and "partner" in refused.data["errors"], refused.data
    moved = api_client.patch(reverse(f"{ENDPOINTS}-detail", args=[moving.pk]), {"partner": full.pk}, format="json")
    assert moved.status_code == 400 and "partner" in moved.data["errors"], moved.data
    # an endpoint already there may still be changed (the cap counts the others)
    kept = WebhookEndpoint.objects.filter(partner=full).first()
    changed = api_client.patch(reverse(f"{ENDPOINTS}-detail", args=[kept.pk]), {"description": "x"}, format="json")
    assert changed.status_code == 200, changed.data

    client.force_login(superuser)
    form = {"partner": str(full.pk), "url": "http://127.0.0.1:8179/hook", "events": ["mou.signed"], "active": "on"}
    page = client.post(reverse("admin:partnerships_webhookendpoint_add"), form)
    assert page.status_code == 200 and "partner" in page.context["adminform"].form.errors
    assert WebhookEndpoint.objects.filter(partner=full).count() == 3
    assert WebhookEndpoint.objects.filter(partner=other).count() == 1


# --- the soft time limit, in a real prefork worker (the pool that enforces limits) ----------------------------------
@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_attempt_stopped_at_the_soft_time_limit_is_a_failed_attempt(settings, dripping, tmp_path):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    receiver = dripping(small_length_drip, 1.0)
    delivery = WebhookDeliveryFactory(endpoint=WebhookEndpointFactory(url=receiver.url), next_attempt_at=timezone.now())
    env = portal_env(
        DATABASE_URL=served_database_url(),
        WEBHOOK_ALLOW_LOOPBACK="true",
        WEBHOOK_TIMEOUT_SECONDS="60",  # longer than the task may run: here the task's limit ends the attempt
    )
    command = [sys.executable, "-m", "celery", "-A", "smartcity", "worker", "--pool=prefork", "--concurrency=1"]
    quiet = ["--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=WARNING"]
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen([*command, *quiet], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        # The sender puts its limits in the message (the settings' defaults, here made short)
        limits = {"soft_time_limit": 2, "time_limit": 10}
        deliver_webhook.apply_async(kwargs={"delivery_id": delivery.pk}, ignore_result=True, **limits)
        assert wait_for(lambda: receiver.connections == 1, 60), "the worker never called the receiver"
        started = time.monotonic()
        recorded = wait_for(lambda: WebhookDelivery.objects.get(pk=delivery.pk).attempts == 1, 20)
        assert recorded, (tmp_path / "worker.log").read_text()[-3000:]
        assert time.monotonic() - started < 8  # the soft limit (2 s), not the webhook's own 60 s
    finally:
        worker.kill()  # the receiver would keep a warm shutdown waiting
        worker.wait(timeout=30)
        log.close()
    attempted = WebhookDelivery.objects.get(pk=delivery.pk)
    assert (attempted.status, attempted.response_code, attempted.next_attempt_at is not None) == ("pending", None, True)
    assert attempted.error == "Percobaan dihentikan pada batas waktu tugas."  # the worker speaks the portal's language


def test_every_task_has_time_limits_and_the_file_jobs_longer_ones(settings):
    assert (app.conf.task_soft_time_limit, app.conf.task_time_limit) == (120, 180)
    soft, hard = settings.CELERY_FILE_JOB_TIME_LIMITS
    for task in [build_report_export, build_evaluation_pack, build_waiting_report_exports, rebuild_open_data]:
        assert (task.soft_time_limit, task.time_limit) == (soft, hard), task.name
    assert soft > 120 and hard > soft

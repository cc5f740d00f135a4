"""Signed webhooks for partner systems (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature).

A write that makes an event (an MoU signed or terminated, a progress report, an evaluation published, the daily
look at MoUs nearing their end) calls `webhook_emit` inside its own transaction: one `WebhookDelivery` row per
active endpoint that chose the event and whose partner may see its subject, so the event commits or rolls back
with the change (an outbox). Once the transaction commits, each delivery is queued for Celery; a lost queue
message costs nothing, as the periodic sweep sends whatever is due. Each attempt is signed with the endpoint's
secret (and, while a rotation overlaps, the previous one too), sent to the address the name resolved to and
checked (no private or loopback address in production: `WEBHOOK_ALLOW_LOOPBACK` is for tests and local
receivers), and recorded with its answer and time. A failed attempt is retried with exponential backoff; an
endpoint that fails `WEBHOOK_DISABLE_AFTER_FAILURES` attempts in a row is switched off and the partner's contacts
are told by e-mail.
"""

import base64
import datetime
import json
import logging
import secrets
import time
import uuid
from urllib.parse import urlsplit

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from standardwebhooks.webhooks import Webhook

from smartcity import outbound
from smartcity.api.serializers import with_deprecated_names
from smartcity.notifications import notify
from smartcity.services import Writer, model_save
from smartcity.tasks import enqueue

from .choices import DeliveryStatus, WebhookEvent
from .models import Commitment, MoU, Partner, PartnerContact, ProgressReport, WebhookDelivery, WebhookEndpoint
from .querysets import partner_id_of

logger = logging.getLogger(__name__)

SECRET_PREFIX = "whsec_"  # noqa: S105 - the Standard Webhooks prefix, not a secret
USER_AGENT = "KotaCerdas-Webhooks/1"
# While an attempt is under way its row is leased for this long: a second worker (the sweep) leaves it alone.
LEASE = datetime.timedelta(minutes=2)


# --- addresses: no request of ours ever reaches the portal's own network --------------------------------------------
class UnsafeURLError(ValueError):
    """A URL the portal refuses to send to; the message says why, for the one who registered it."""


def guard() -> outbound.Guard:
    """Where webhooks may go: public addresses (IPv6 transition forms judged by the IPv4 they carry) on the allowed
    ports; loopback, on any port, only with WEBHOOK_ALLOW_LOOPBACK."""
    return outbound.Guard(allow_loopback=settings.WEBHOOK_ALLOW_LOOPBACK)


def url_target(url: str) -> tuple[str, str, int, str, str]:
    """(scheme, host, port, address, path) of an endpoint's URL, with the one address it resolves to now.
    Refused: other schemes, credentials in the URL, a name that does not resolve, any address that is not a public
    one (private, loopback, link-local, reserved, or an IPv6 form carrying one), and a port outside
    OUTBOUND_ALLOWED_PORTS, so the portal cannot be made to call its own network; loopback only where
    `WEBHOOK_ALLOW_LOOPBACK` is on, and then also over plain http and on any port."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeURLError(_("Give an http or https URL."))
    if parts.username or parts.password:
        raise UnsafeURLError(_("A webhook URL carries no user name or password."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = outbound.resolve(parts.hostname, port, guard=guard())
    except ValueError:
        raise UnsafeURLError(_("The host name of this URL cannot be resolved.")) from None
    except outbound.PortRefusedError:
        ports = ", ".join(str(port) for port in settings.OUTBOUND_ALLOWED_PORTS)
        raise UnsafeURLError(_("Webhooks are sent only to these ports: %(ports)s.") % {"ports": ports}) from None
    except outbound.AddressRefusedError:
        message = _("This URL points to a private or local address; webhooks go only to public addresses.")
        raise UnsafeURLError(message) from None
    except outbound.OutboundError:
        raise UnsafeURLError(_("The host name of this URL cannot be resolved.")) from None
    if parts.scheme != "https" and not outbound.is_loopback(address):
        raise UnsafeURLError(_("Webhooks are sent only over https."))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port, address, path


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signing_secrets(endpoint: WebhookEndpoint, now: datetime.datetime) -> list[str]:
    """The current secret, and the previous one while the rotation's overlap lasts."""
    keys = [endpoint.secret]
    if endpoint.previous_secret and endpoint.previous_secret_expires_at and endpoint.previous_secret_expires_at > now:
        keys.append(endpoint.previous_secret)
    return keys


def signed_headers(*, endpoint, event_id: str, body: str, now: datetime.datetime) -> dict[str, str]:
    """The three Standard Webhooks headers, signed by the standardwebhooks package with each live secret."""
    moment = now.astimezone(datetime.UTC).replace(tzinfo=None)  # the package reads a naive datetime as UTC
    signatures = [Webhook(key).sign(event_id, moment, body) for key in signing_secrets(endpoint, now)]
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": " ".join(signatures),
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }


# --- the writers: endpoints (staff in the admin and API, a partner's key for its own) and deliveries ---------------
def webhook_endpoint_rules(*, before, after, many, actor) -> None:
    """A partner's key writes only its own endpoints; a partner has at most WEBHOOK_MAX_ENDPOINTS_PER_PARTNER; every
    URL is checked where it is set, whoever sets it."""
    partner_id = partner_id_of(actor)
    if partner_id:
        if before is not None and before.partner_id != partner_id:
            raise Http404
        if after is not None and after.partner_id != partner_id:
            raise PermissionDenied(_("A partner registers webhooks only for itself."))
    if after is not None and after.partner_id and (before is None or before.partner_id != after.partner_id):
        _endpoint_cap_check(after)
    if after is None or not after.url or (before is not None and before.url == after.url):
        return
    try:
        url_target(after.url)
    except UnsafeURLError as refusal:
        raise ValidationError({"url": ValidationError(str(refusal), code="unsafe_url")}) from None


def _endpoint_cap_check(endpoint: WebhookEndpoint) -> None:
    """A partner keeps at most WEBHOOK_MAX_ENDPOINTS_PER_PARTNER endpoints (each event is one request per endpoint).
    The partner's row is locked first, so two registrations at once cannot both take the last place."""
    Partner.objects.select_for_update().filter(pk=endpoint.partner_id).first()
    others = WebhookEndpoint.objects.filter(partner_id=endpoint.partner_id).exclude(pk=endpoint.pk).count()
    limit = settings.WEBHOOK_MAX_ENDPOINTS_PER_PARTNER
    if others >= limit:
        message = _("A partner may register at most %(limit)d webhook endpoints; remove one first.") % {"limit": limit}
        raise ValidationError({"partner": ValidationError(message, code="too_many_endpoints")})


class KeyActorWriter(Writer):
    """A writer that a partner's key may use without model permissions (its rules keep it to its own partner's
    rows); a key has no user account, so the history names no one and the rules run with the key itself."""

    def require_perm(self, actor, action: str) -> None:
        if partner_id_of(actor):
            return
        super().require_perm(actor, action)

    def acting(self, actor):
        if not partner_id_of(actor):
            return actor, self.rules

        def rules_for_key(*, before, after, many, actor):
            self.rules(before=before, after=after, many=many, actor=key)

        key = actor
        return None, rules_for_key


class WebhookEndpointWriter(KeyActorWriter):
    """Staff need the model permissions; a partner's key holds none, yet keeps its own endpoints (the rules see to
    it). The secret is made here, never given. Registered in partnerships/services.py."""

    def prepare(self, *, instance, data, actor):
        data = dict(data)
        if instance.pk is None:
            data["secret"] = new_secret()
            if partner_id_of(actor) and "partner" not in data:
                data["partner"] = Partner.objects.get(pk=partner_id_of(actor))
            return data
        stored = WebhookEndpoint.objects.filter(pk=instance.pk).values_list("active", flat=True).first()
        if data.get("active") and stored is False:  # switched on again (the admin's form set it on `instance`)
            data |= {"failure_count": 0, "disabled_at": None}
        return data


@transaction.atomic
def webhook_secret_rotate(*, endpoint: WebhookEndpoint, actor) -> WebhookEndpoint:
    """Give the endpoint a new secret; the old one still signs (a second signature) for the overlap, so the
    partner can switch its receiver without missing an event."""
    from .services import WEBHOOK_ENDPOINT  # registered there; it imports this module

    WEBHOOK_ENDPOINT.require_perm(actor, "change")
    overlap = datetime.timedelta(hours=settings.WEBHOOK_SECRET_OVERLAP_HOURS)
    data = {
        "secret": new_secret(),
        "previous_secret": endpoint.secret,
        "previous_secret_expires_at": timezone.now() + overlap,
    }
    history_actor, rules = WEBHOOK_ENDPOINT.acting(actor)
    return model_save(instance=endpoint, data=data, actor=history_actor, rules=rules)


@transaction.atomic
def webhook_delivery_replay(*, delivery: WebhookDelivery, actor) -> WebhookDelivery:
    """Send a delivery's event again, as a new delivery with the same webhook-id (receivers may deduplicate)."""
    if actor is not None and not actor.has_perm("partnerships.replay_webhookdelivery"):
        raise PermissionDenied(_("You do not have permission to send webhook deliveries again."))
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
    if not endpoint.active:
        raise ValidationError(_("The endpoint is switched off: switch it on before sending again."), code="inactive")
    data = {
        "endpoint": endpoint,
        "event_id": delivery.event_id,
        "event_type": delivery.event_type,
        "payload": delivery.payload,
        "replay_of": delivery,
        "next_attempt_at": timezone.now(),
    }
    replay = model_save(instance=WebhookDelivery(), data=data, actor=actor)
    _queue([replay.pk])
    return replay


# --- events ---------------------------------------------------------------------------------------------------------
def webhook_emit(*, event_type: str, data: dict, partner_ids=None, event_key: str | None = None) -> int:
    """Record `event_type` for every active endpoint that chose it, of the partners in `partner_ids` (None: every
    partner), and queue the deliveries for when the caller's transaction commits. `event_key` makes the event's
    id stable, so the same event emitted twice (a periodic job run again) is delivered once."""
    now = timezone.now()
    event_id = "msg_" + (uuid.uuid5(uuid.NAMESPACE_URL, event_key) if event_key else uuid.uuid4()).hex
    endpoints = WebhookEndpoint.objects.filter(active=True)
    if partner_ids is not None:
        endpoints = endpoints.filter(partner_id__in=partner_ids)
    chosen = [endpoint for endpoint in endpoints if event_type in endpoint.events]  # JSON lists: read, then chosen
    if not chosen:
        return 0
    # the Indonesian texts' old names too, until the API drops them (smartcity/api/serializers.py)
    payload = {"type": event_type, "timestamp": now.isoformat(), "data": with_deprecated_names(data)}
    rows = [
        WebhookDelivery(
            endpoint=endpoint, event_id=event_id, event_type=event_type, payload=payload, next_attempt_at=now
        )
        for endpoint in chosen
    ]
    created = WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=event_key is not None)
    ids = list(
        WebhookDelivery.objects.filter(event_id=event_id, replay_of=None, status=DeliveryStatus.PENDING).values_list(
            "pk", flat=True
        )
    )
    _queue(ids)
    return len(created)


def _queue(delivery_ids: list[int]) -> None:
    from .tasks import deliver_webhook

    for delivery_id in delivery_ids:
        enqueue(deliver_webhook, delivery_id=delivery_id)


def mou_event_data(mou: MoU) -> dict:
    return {
        "id": mou.pk,
        "slug": mou.slug,
        "title_ind": mou.title_ind,
        "title_en": mou.title_en,
        "state": mou.state,
        "signed_on": mou.signed_on and mou.signed_on.isoformat(),
        "valid_from": mou.valid_from.isoformat(),
        "valid_until": mou.valid_until.isoformat(),
        "terminated_on": mou.terminated_on and mou.terminated_on.isoformat(),
        "termination_reason": mou.termination_reason,
    }


def mou_parties(mou: MoU) -> list[int]:
    return list(mou.parties.values_list("partner_id", flat=True))


def mou_state_announce(*, previous_state: str | None, mou: MoU) -> None:
    """Tell the MoU's parties that it was signed or terminated, whichever door changed its state."""
    from .choices import MoUState

    if previous_state == mou.state:
        return
    event = {MoUState.SIGNED: WebhookEvent.MOU_SIGNED, MoUState.TERMINATED: WebhookEvent.MOU_TERMINATED}.get(mou.state)
    if event:
        webhook_emit(event_type=event, data=mou_event_data(mou), partner_ids=mou_parties(mou))


def mou_expiring_announce(*, mou: MoU, days_left: int, threshold: int) -> None:
    data = mou_event_data(mou) | {"days_left": days_left}
    key = f"mou.expiring/{mou.pk}/{threshold}/{mou.valid_until.isoformat()}"
    webhook_emit(event_type=WebhookEvent.MOU_EXPIRING, data=data, partner_ids=mou_parties(mou), event_key=key)


class _PartnerView:
    """A partner as its own key sees the records: no model permissions, its `partner_id`."""

    def __init__(self, partner_id: int):
        self.partner_id = partner_id

    def has_perm(self, perm: str) -> bool:
        return False


def listening_partners(event_type: str) -> set[int]:
    """The partners with an active endpoint that chose `event_type` (one query: a city has a handful)."""
    endpoints = WebhookEndpoint.objects.filter(active=True).order_by().values_list("partner_id", "events")  # no join
    return {partner_id for partner_id, events in endpoints if event_type in events}


def progress_report_announce(*, report: ProgressReport) -> None:
    """Tell the parties of the commitment's MoU who may see the commitment (its own partner; the others only
    when the MoU is published) how far it has come. When no partner listens, one query: a partner's system may
    post reports many times a second, and most cities keep no endpoint for them."""
    listening = listening_partners(WebhookEvent.PROGRESS_REPORTED)
    if not listening:
        return
    report = ProgressReport.objects.get(pk=report.pk)  # as stored: 12 reads as 12.00
    commitment = Commitment.objects.with_related().get(pk=report.commitment_id)
    partner_ids = [
        partner_id
        for partner_id in mou_parties(commitment.mou)
        if partner_id in listening
        and Commitment.objects.visible_to(_PartnerView(partner_id)).filter(pk=commitment.pk).exists()
    ]
    data = {
        "id": report.pk,
        "commitment": commitment.pk,
        "mou": commitment.mou.slug,
        "partner": commitment.partner.slug,
        "reported_on": report.reported_on.isoformat(),
        "quantity_reached": str(report.quantity_reached),
        "target_quantity": str(commitment.target_quantity),
        "unit_ind": commitment.unit_ind,
    }
    webhook_emit(event_type=WebhookEvent.PROGRESS_REPORTED, data=data, partner_ids=partner_ids)


# --- delivery -------------------------------------------------------------------------------------------------------
def _post(url: str, body: bytes, headers: dict) -> int:
    """POST to the address the URL's name resolved to (checked just now), never following a redirect; the whole
    attempt, answer included, within WEBHOOK_TIMEOUT_SECONDS and WEBHOOK_MAX_RESPONSE_BYTES (smartcity/outbound.py),
    so a receiver that drips its answer is a failed attempt, not a held worker."""
    _scheme, _host, _port, address, _path = url_target(url)
    answer = outbound.request(
        "POST",
        url,
        body=body,
        headers=headers,
        address=address,
        guard=guard(),
        deadline=settings.WEBHOOK_TIMEOUT_SECONDS,
        max_bytes=settings.WEBHOOK_MAX_RESPONSE_BYTES,
    )
    return answer.status


def backoff_seconds(attempts: int) -> float:
    """Exponential: the base, then twice as long after each failure, at most the cap."""
    return min(settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), settings.WEBHOOK_RETRY_MAX_SECONDS)


def webhook_delivery_attempt(*, delivery_id: int) -> float | None:
    """Make one attempt at a due delivery; returns the seconds until the next attempt, or None when there is
    none to make (delivered, failed for good, not due, or under way elsewhere)."""
    now = timezone.now()
    due = WebhookDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
    if not due.update(next_attempt_at=now + LEASE):  # the claim: one worker at a time per delivery
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint__partner").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.active:
        WebhookDelivery.objects.filter(pk=delivery_id).update(status=DeliveryStatus.CANCELLED, next_attempt_at=None)
        return None
    body = json.dumps(delivery.payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    headers = signed_headers(endpoint=endpoint, event_id=delivery.event_id, body=body, now=now)
    started, code, error = time.monotonic(), None, ""
    try:
        code = _post(endpoint.url, body.encode(), headers)
    except (UnsafeURLError, outbound.OutboundError) as refusal:
        error = str(refusal)[:300]
    except SoftTimeLimitExceeded:  # the task's time is up: this attempt failed, the backoff brings the next
        error = _("The attempt was stopped at the task's time limit.")
        _record(delivery=delivery, code=None, error=error, elapsed_ms=int((time.monotonic() - started) * 1000))
        raise
    elapsed_ms = int((time.monotonic() - started) * 1000)
    return _record(delivery=delivery, code=code, error=error, elapsed_ms=elapsed_ms)


@transaction.atomic
def _record(*, delivery: WebhookDelivery, code: int | None, error: str, elapsed_ms: int) -> float | None:
    now = timezone.now()
    ok = code is not None and 200 <= code < 300
    attempts = delivery.attempts + 1
    fields = {"attempts": attempts, "last_attempt_at": now, "response_code": code, "response_ms": elapsed_ms}
    fields["error"] = error or ("" if ok else _("The receiver answered %(code)s.") % {"code": code})
    log = {"delivery": delivery.pk, "event": delivery.event_id, "endpoint": delivery.endpoint_id, "code": code}
    logger.info("webhook attempt %s", "delivered" if ok else "failed", extra=log | {"ms": elapsed_ms, "try": attempts})
    endpoints = WebhookEndpoint.objects.filter(pk=delivery.endpoint_id)
    if ok:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            **fields, status=DeliveryStatus.DELIVERED, delivered_at=now, next_attempt_at=None
        )
        endpoints.update(failure_count=0)
        return None
    last = attempts >= settings.WEBHOOK_MAX_ATTEMPTS
    delay = None if last else backoff_seconds(attempts)
    status = DeliveryStatus.FAILED if last else DeliveryStatus.PENDING
    next_at = None if last else now + datetime.timedelta(seconds=delay)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**fields, status=status, next_attempt_at=next_at)
    endpoints.update(failure_count=F("failure_count") + 1)
    endpoint = endpoints.get()
    if endpoint.active and endpoint.failure_count >= settings.WEBHOOK_DISABLE_AFTER_FAILURES:
        _endpoint_disable(endpoint=endpoint, now=now)
        return None
    return delay


def _endpoint_disable(*, endpoint: WebhookEndpoint, now) -> None:
    """Switch off an endpoint that keeps failing, cancel what it still had pending, and tell the partner."""
    model_save(instance=endpoint, data={"active": False, "disabled_at": now}, actor=None)
    endpoint.deliveries.filter(status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.CANCELLED, next_attempt_at=None
    )
    logger.warning("webhook endpoint disabled", extra={"endpoint": endpoint.pk, "failures": endpoint.failure_count})
    recipients = list(
        PartnerContact.objects.filter(partner_id=endpoint.partner_id).exclude(email="").values_list("email", flat=True)
    )
    context = {"endpoint": endpoint, "partner": endpoint.partner, "site_name": settings.PORTAL_CITY_NAME}

    def send():
        notify(
            recipients=recipients,
            subject_template="partnerships/email/webhook_disabled_subject.txt",
            body_template="partnerships/email/webhook_disabled_body.txt",
            context=context,
        )

    transaction.on_commit(send)


def due_deliveries(*, grace_seconds: float = 0, limit: int = 500) -> list[int]:
    """Pending deliveries due more than `grace_seconds` ago (a queue message lost, a worker stopped mid-way)."""
    moment = timezone.now() - datetime.timedelta(seconds=grace_seconds)
    due = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=moment)
    return list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit])

"""Idempotency keys for the API's POSTs: a caller that retries a write it never heard back from sends the same
`Idempotency-Key` header, and the portal answers the first attempt's response instead of writing again.

One middleware for every POST under /api/, so the viewsets' creates and every action (sign, submit, answer, import)
are covered by the same rule. Keys are kept per caller (the credential in the Authorization header, an API key or a
password, else the signed-in user, else the address) for IDEMPOTENCY_KEY_HOURS in the cache, with a fingerprint of
the request (method, path, query, content type and body):
- the same key and the same request answer the stored response (status, body, Location), marked with
  `Idempotent-Replayed: true`, and write nothing;
- the same key with another request is a 422 `idempotency_key_reused`;
- while the first attempt is still running, a second one is a 409 `idempotency_key_in_use` (try again shortly);
- a response of 5xx is not kept (the write did not happen), so a retry runs again.
A POST without the header is unchanged. A cache that is away (Redis down) lets the request through unprotected,
as the throttles do. Like Stripe's and the IETF draft's Idempotency-Key."""

import hashlib
import json
import re
import tempfile

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from .throttling import client_address

HEADER = "Idempotency-Key"
KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # printable ASCII without spaces, as the IETF draft's examples
KEPT_HEADERS = ("Content-Type", "Location")
LOCK_SECONDS = 60  # the longest a first attempt may run before a second one may take its place
CHUNK = 64 * 1024


def _error(status: int, code: str, detail: str, errors: dict | None = None) -> JsonResponse:
    body = {"code": code, "detail": detail} | ({"errors": errors} if errors is not None else {})
    return JsonResponse(body, status=status)


def _caller(request) -> str:
    authorization = request.headers.get("Authorization")
    if authorization:
        return "credential:" + hashlib.sha256(authorization.encode("utf-8", "replace")).hexdigest()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"address:{client_address(request)}"


def _fingerprint(request) -> str:
    """A digest of what the request asks: method, path, query, content type and body. The body is read in chunks
    and put back (in memory, or on disk past FILE_UPLOAD_MAX_MEMORY_SIZE) for the view to parse as usual."""
    digest = hashlib.sha256()
    for part in (request.method, request.get_full_path(), request.content_type or ""):
        digest.update(part.encode() + b"\0")
    spool = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)
    while chunk := request.read(CHUNK):
        digest.update(chunk)
        spool.write(chunk)
    spool.seek(0)
    request._stream, request._read_started = spool, False  # noqa: SLF001 (the body, readable again)
    return digest.hexdigest()


def _stored(response) -> dict:
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    return {"status": response.status_code, "headers": headers, "body": response.content.decode("latin-1")}


def _replay(stored: dict) -> HttpResponse:
    response = HttpResponse(stored["body"].encode("latin-1"), status=stored["status"])
    for name, value in stored["headers"].items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyKeyMiddleware:
    """POSTs under /api/ that carry an Idempotency-Key (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if key is None or request.method != "POST" or not request.path.startswith("/api/"):
            return self.get_response(request)
        if not KEY.match(key):
            message = _("Send 1 to 255 printable ASCII characters, without spaces.")
            return _error(400, "invalid", _("The Idempotency-Key header is malformed."), {HEADER: [message]})
        name = "idempotency:" + hashlib.sha256(f"{_caller(request)}\0{key}".encode()).hexdigest()
        fingerprint = _fingerprint(request)
        try:
            stored = cache.get(name)
            locked = stored is None and not cache.add(f"{name}:lock", 1, timeout=LOCK_SECONDS)
        except Exception:  # noqa: BLE001 (the cache is away: no protection for a while, never an error)
            return self.get_response(request)
        if stored is not None:
            return self._answer_again(stored, fingerprint)
        if locked:
            detail = _("A request with this Idempotency-Key is still being processed. Try again in a moment.")
            return _error(409, "idempotency_key_in_use", detail)
        try:
            response = self.get_response(request)
            if response.status_code < 500 and not getattr(response, "streaming", False):
                stored = {"fingerprint": fingerprint, "response": _stored(response)}
                cache.set(name, json.dumps(stored), timeout=settings.IDEMPOTENCY_KEY_HOURS * 3600)
            return response
        finally:
            cache.delete(f"{name}:lock")

    def _answer_again(self, stored: str, fingerprint: str):
        stored = json.loads(stored)
        if stored["fingerprint"] != fingerprint:
            detail = _(
                "This Idempotency-Key was already used for another request. Send a new key for a new request, or "
                "the same request again to get its answer."
            )
            return _error(422, "idempotency_key_reused", detail)
        return _replay(stored["response"])

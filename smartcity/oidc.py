"""The OpenID Connect doors of the portal (mozilla-django-oidc): the callback that lands staff in the admin, or back
on the admin's login page with the reason when the provider's claims are refused (pillars/oidc.py says why); and the
backend's requests to the provider, each under one deadline and a byte cap (smartcity/outbound.py)."""

import base64
import json
import logging
from urllib.parse import urlencode

import jwt
from django.conf import settings
from django.contrib import auth, messages
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.encoding import smart_str
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from . import outbound

logger = logging.getLogger(__name__)

# The sign-in backend puts the reason for a refusal here, on the request, for the callback to show.
REFUSAL_ATTRIBUTE = "oidc_refusal"


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer: signed in and sent on, or sent back to the login page with the reason. A refusal
    also ends the session that asked (the re-check of an open session by SessionRefresh lands here too), and a
    session the provider opened lasts OIDC_SESSION_HOURS at most, not the two weeks of a password's."""

    @property
    def failure_url(self):
        return reverse("admin:login")

    def login_success(self):
        response = super().login_success()
        self.request.session.set_expiry(settings.OIDC_SESSION_HOURS * 3600)
        return response

    def login_failure(self):
        if self.request.user.is_authenticated:
            auth.logout(self.request)  # messages live in the cookie storage or the new session: still shown
        reason = getattr(self.request, REFUSAL_ATTRIBUTE, None)
        messages.error(self.request, reason or _("Signing in through the identity provider did not succeed."))
        return HttpResponseRedirect(self.failure_url)


class OutboundOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's sign-in backend with its three requests to the provider (signing keys, token, user
    info) made through smartcity/outbound.py: one total deadline (OIDC_TIMEOUT_SECONDS) and a byte cap
    (OIDC_MAX_RESPONSE_BYTES) each, so a provider that hangs or drips cannot hold a web worker. A provider that does
    not answer properly refuses the sign-in with the reason (the login page shows it), never a 500."""

    def provider_call(
        self, method: str, url: str, *, form: dict | None = None, headers: dict | None = None, jwt_ok=False
    ):
        """The provider's JSON answer to one request (or, with `jwt_ok`, the text of a signed application/jwt one)."""
        headers = {"Accept": "application/json", **(headers or {})}
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            answer = outbound.request(
                method,
                url,
                body=body,
                headers=headers,
                guard=None,  # the provider is the operator's choice (it may be on the city's own network)
                deadline=getattr(settings, "OIDC_TIMEOUT_SECONDS", 10.0),
                max_bytes=settings.OIDC_MAX_RESPONSE_BYTES,
                verify=self.get_settings("OIDC_VERIFY_SSL", True),
            )
        except outbound.OutboundError as error:
            logger.warning("OpenID provider at %s: %s", url, error)
            self.refuse_provider()
        if answer.status != 200:
            logger.warning("OpenID provider at %s answered HTTP %s", url, answer.status)
            self.refuse_provider()
        if jwt_ok and (answer.header("Content-Type") or "").lower().startswith("application/jwt"):
            return answer.body.decode("utf-8", "replace")
        try:
            return json.loads(answer.body)
        except ValueError:
            logger.warning("OpenID provider at %s answered something that is not JSON", url)
            self.refuse_provider()

    def refuse_provider(self):
        reason = _("The identity provider did not answer properly in time; try again in a moment.")
        setattr(self.request, REFUSAL_ATTRIBUTE, reason)
        raise PermissionDenied(reason)

    def get_token(self, payload):
        headers = {}
        if self.get_settings("OIDC_TOKEN_USE_BASIC_AUTH", False):  # as the library: the secret in the header
            payload = dict(payload)
            pair = f"{payload.get('client_id')}:{payload.pop('client_secret', '')}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        return self.provider_call("POST", self.OIDC_OP_TOKEN_ENDPOINT, form=payload, headers=headers)

    def get_userinfo(self, access_token, id_token, payload):
        headers = {"Authorization": f"Bearer {access_token}"}
        answer = self.provider_call("GET", self.OIDC_OP_USER_ENDPOINT, headers=headers, jwt_ok=True)
        return self.verify_token(answer) if isinstance(answer, str) else answer

    def retrieve_matching_jwk(self, token):
        """The provider's signing key for `token`, chosen as the library chooses it (by kid and alg)."""
        jwks = self.provider_call("GET", self.OIDC_OP_JWKS_ENDPOINT)
        header = jwt.get_unverified_header(token)
        key = None
        for jwk in jwks.get("keys", []) if isinstance(jwks, dict) else []:
            if self.get_settings("OIDC_VERIFY_KID", True) and jwk.get("kid") != smart_str(header.get("kid")):
                continue
            if "alg" in jwk and jwk["alg"] != smart_str(header.get("alg")):
                continue
            key = jwk
        if key is None:
            raise SuspiciousOperation("Could not find a valid JWKS.")
        return jwt.PyJWK(key)

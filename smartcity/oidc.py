"""The OpenID Connect doors of the portal (mozilla-django-oidc): the callback that lands staff in the admin, or back
on the admin's login page with the reason when the provider's claims are refused (pillars/oidc.py says why)."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

# The sign-in backend puts the reason for a refusal here, on the request, for the callback to show.
REFUSAL_ATTRIBUTE = "oidc_refusal"


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer: signed in and sent on, or sent back to the login page with the reason."""

    @property
    def failure_url(self):
        return reverse("admin:login")

    def login_failure(self):
        reason = getattr(self.request, REFUSAL_ATTRIBUTE, None)
        messages.error(self.request, reason or _("Signing in through the identity provider did not succeed."))
        return HttpResponseRedirect(self.failure_url)

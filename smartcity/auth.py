"""Local passwords, next to the city's OpenID provider (pillars/oidc.py).

With OpenID Connect configured, staff sign in through the provider, and a local password signs in only a
superuser (the first administrator, kept so the portal can be reached while the provider is down or before it
is set up). `OIDC_LOCAL_LOGIN=all` keeps local passwords for everyone. Without OpenID Connect nothing changes."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class LocalPasswordBackend(ModelBackend):
    """Django's username and password check (admin form and the API's HTTP Basic), limited as above."""

    def user_can_authenticate(self, user):
        if settings.OIDC_ENABLED and settings.OIDC_LOCAL_LOGIN == "superusers" and not user.is_superuser:
            return False
        return super().user_can_authenticate(user)

"""Staff sign-in through the city's OpenID Connect provider (mozilla-django-oidc), named in the settings as
`pillars.oidc.AgencyRoleBackend` when OIDC_CLIENT_ID is set.

The provider's claims decide who the person is in the portal: the account is `oidc-<sub>` (never a local account,
so the provider cannot take over the first administrator), the role claim (OIDC_ROLE_CLAIM) names one of the roles
of smartcity/roles.py through OIDC_ROLES, and the agency claim (OIDC_AGENCY_CLAIM) names the agency's slug. Both are
applied at every sign-in, so a move to another agency or role at the provider follows here. A claim naming an
unknown agency or role is refused with the reason, and no account is made. It lives in pillars because the link
between a person and an agency (Agency.members) does."""

import hashlib
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from smartcity.oidc import REFUSAL_ATTRIBUTE, OutboundOIDCBackend
from smartcity.roles import OPD_EDITOR

from .models import Agency
from .services import staff_sign_in_apply

USERNAME = re.compile(r"^[\w.@+-]{1,140}$")


def username_for(sub: str) -> str:
    """The portal account of the provider's subject: readable when the subject is, hashed otherwise."""
    return f"oidc-{sub}" if USERNAME.match(sub) else f"oidc-{hashlib.sha256(sub.encode()).hexdigest()[:40]}"


def _values(claim) -> list[str]:
    if isinstance(claim, str):
        return [claim]
    return [value for value in claim if isinstance(value, str)] if isinstance(claim, list) else []


class AgencyRoleBackend(OutboundOIDCBackend):
    """Signs staff in from the provider's claims, with their agency and role (see the module's docstring)."""

    def verify_claims(self, claims):
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(username=username_for(str(claims["sub"])))

    def get_or_create_user(self, access_token, id_token, payload):
        claims = {**payload, **self.get_userinfo(access_token, id_token, payload)}
        if not self.verify_claims(claims):
            self.refuse(_("The identity provider did not say who you are."))
        role, agency = self.role_of(claims), self.agency_of(claims)
        if role == OPD_EDITOR and agency is None:
            self.refuse(_("Your identity provider gives you the OPD editor role without an agency."))
        user = self.filter_users_by_claims(claims).first()
        if user is None:
            user = self.UserModel.objects.create_user(username_for(str(claims["sub"])))
        return staff_sign_in_apply(
            user=user,
            role=role,
            agency=agency,
            email=str(claims.get("email", "")),
            first_name=str(claims.get("given_name", claims.get("name", "")))[:150],
            last_name=str(claims.get("family_name", ""))[:150],
        )

    def role_of(self, claims) -> str:
        values = _values(claims.get(settings.OIDC_ROLE_CLAIM))
        roles = [settings.OIDC_ROLES[value] for value in values if value in settings.OIDC_ROLES]
        if not roles:
            given = ", ".join(values) or "–"
            self.refuse(_("Your identity provider gives you no role this portal knows (%(role)s).") % {"role": given})
        return roles[0]

    def agency_of(self, claims) -> Agency | None:
        values = _values(claims.get(settings.OIDC_AGENCY_CLAIM))
        if not values:
            return None
        agency = Agency.objects.filter(slug=values[0]).first()
        if agency is None:
            message = _(
                'Your identity provider places you in the agency "%(agency)s", which this portal does not know. '
                "Ask Diskominfo to add the agency, or your provider's administrator to correct it."
            )
            self.refuse(message % {"agency": values[0]})
        return agency

    def refuse(self, reason: str):
        """Stop the sign-in here (no other backend tries), with the reason for the login page."""
        setattr(self.request, REFUSAL_ATTRIBUTE, reason)
        raise PermissionDenied(reason)

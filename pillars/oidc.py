"""Staff sign-in through the city's OpenID Connect provider (mozilla-django-oidc), named in the settings as
`pillars.oidc.AgencyRoleBackend` when OIDC_CLIENT_ID is set.

The provider's claims decide who the person is in the portal: the account is the one marked as the provider's
subject (`StaffIdentity`), made at the first sign-in and named `oidc-<sub>` for people to read, but never found by
that name: a local account called `oidc-<sub>` (the first administrator, say) is never taken over, and the new
account gets another name. The role claim (OIDC_ROLE_CLAIM) names one of the roles
of smartcity/roles.py through OIDC_ROLES, and the agency claim (OIDC_AGENCY_CLAIM) names the agency's slug. Both are
applied at every sign-in, so a move to another agency or role at the provider follows here. A claim naming an
unknown agency or role is refused with the reason, and no account is made; an account the subject already has loses
its staff status, groups and agencies (pillars.services.staff_sign_in_refuse), so a role the provider took away is
gone here too. Open sessions are re-checked with the provider every OIDC_RECHECK_SECONDS (mozilla-django-oidc's
SessionRefresh middleware, a silent `prompt=none` sign-in), so a refusal reaches them as well. It lives in pillars
because the link between a person and an agency (Agency.members) does."""

import hashlib
import re
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from smartcity.oidc import REFUSAL_ATTRIBUTE, OutboundOIDCBackend
from smartcity.roles import OPD_EDITOR

from .models import Agency
from .services import staff_identity_create, staff_sign_in_apply, staff_sign_in_refuse

USERNAME = re.compile(r"^[\w.@+-]{1,140}$")


def usernames_for(sub: str) -> list[str]:
    """Names for a new account of the provider's subject, in order of preference: readable when the subject is,
    hashed otherwise, then with a random tail (when local accounts already hold the others)."""
    hashed = f"oidc-{hashlib.sha256(sub.encode()).hexdigest()[:40]}"
    names = [f"oidc-{sub}"] if USERNAME.match(sub) else []
    return [*names, hashed, f"{hashed}-{secrets.token_hex(8)}"]


def _values(claim) -> list[str]:
    if isinstance(claim, str):
        return [claim]
    return [value for value in claim if isinstance(value, str)] if isinstance(claim, list) else []


class AgencyRoleBackend(OutboundOIDCBackend):
    """Signs staff in from the provider's claims, with their agency and role (see the module's docstring)."""

    account = None  # the subject's account, once known: a refusal takes its access away

    def verify_claims(self, claims):
        sub = claims.get("sub")
        return isinstance(sub, str) and 0 < len(sub) <= 255  # OpenID Connect Core 1.0, 2: at most 255 characters

    def filter_users_by_claims(self, claims):
        """The account marked as this subject's: by the StaffIdentity row, never by a username."""
        return self.UserModel.objects.filter(staff_identity__subject=claims["sub"])

    def get_or_create_user(self, access_token, id_token, payload):
        claims = {**payload, **self.get_userinfo(access_token, id_token, payload)}
        if not self.verify_claims(claims):
            self.refuse(_("The identity provider did not say who you are."))
        self.account = self.filter_users_by_claims(claims).first()
        role, agency = self.role_of(claims), self.agency_of(claims)
        if role == OPD_EDITOR and agency is None:
            self.refuse(_("Your identity provider gives you the OPD editor role without an agency."))
        user = self.account or staff_identity_create(subject=claims["sub"], usernames=usernames_for(claims["sub"]))
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
        """Stop the sign-in here (no other backend tries), with the reason for the login page; the subject's account,
        if it has one, keeps no access."""
        if self.account is not None:
            staff_sign_in_refuse(user=self.account)
        setattr(self.request, REFUSAL_ATTRIBUTE, reason)
        raise PermissionDenied(reason)

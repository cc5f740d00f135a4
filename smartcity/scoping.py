"""Who edits what, in one place: Diskominfo staff edit for every agency, an OPD editor only for the agencies
they belong to. The rows are duck-typed (an agency has `members`), so the core imports no app."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

# Holders of this permission edit every agency's records; OPD editors only their own agencies'.
MANAGE_ALL_AGENCIES = "pillars.manage_all_agencies"


def manages_all_agencies(actor) -> bool:
    """No actor is the system itself (the demo loader, a data migration, a periodic job)."""
    return actor is None or actor.is_superuser or actor.has_perm(MANAGE_ALL_AGENCIES)


def can_edit_for(actor, agency) -> bool:
    """May `actor` write a record owned by `agency`? No agency means a city-wide record: Diskominfo only."""
    if manages_all_agencies(actor):
        return True
    return agency is not None and agency.members.filter(pk=actor.pk).exists()


def require_agency(actor, agency) -> None:
    if not can_edit_for(actor, agency):
        raise PermissionDenied(_("You may only edit the records of your own agency."))


class AgencyScopedMixin:
    """The older spelling of a policy's owner: a queryset naming its owning agency's path in `agency_field`
    (smartcity/policy.py reads it into the queryset's `Policy`)."""

    agency_field = "lead_agency"

"""Business rules of the portfolio that span rows or need the actor; one place, called by the services
(API, commands) and by the admin forms, so every way in enforces the same rules."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .querysets import MANAGE_ALL_AGENCIES


def can_edit_for(actor, agency) -> bool:
    """Diskominfo staff edit for every agency; an OPD editor only for the agencies they belong to."""
    if agency is None:
        return actor.is_superuser or actor.has_perm(MANAGE_ALL_AGENCIES)
    return actor.is_superuser or actor.has_perm(MANAGE_ALL_AGENCIES) or agency.members.filter(pk=actor.pk).exists()


def require_agency(actor, agency) -> None:
    if not can_edit_for(actor, agency):
        raise PermissionDenied(_("You may only edit the records of your own agency."))


def sub_dimensions_belong_to_pillar(pillar, sub_dimensions) -> None:
    foreign = [sub for sub in sub_dimensions if sub.pillar_id != pillar.pk]
    if foreign:
        raise ValidationError(
            {
                "sub_dimensions": _("These sub-dimensions belong to another pillar: %(names)s.")
                % {"names": ", ".join(str(sub) for sub in foreign)}
            },
            code="foreign_sub_dimension",
        )


def not_in_the_future(day, field: str) -> None:
    if day and day > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")}, code="future_date")

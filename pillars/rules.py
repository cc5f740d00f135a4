"""Business rules of the portfolio that span fields or rows; the writers in services.py call them, once."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


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

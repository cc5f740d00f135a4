"""How the public pages word an MoU's status. Display only: MoUStatus, the filters, the API and the services
keep the status as MoU.status_on() derives it."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import MoUStatus

UNSIGNED_ENDED = "unsigned_ended"


@dataclass(frozen=True)
class ShownStatus:
    key: str  # for the badge's CSS class
    label: str


def mou_shown_status(mou, today: datetime.date | None = None) -> ShownStatus:
    """The MoU's status as citizens read it: a draft whose term has ended was never signed, so it reads
    "Not signed, term ended" rather than "Draft"; every other status reads as MoUStatus labels it."""
    today = today or timezone.localdate()
    status = mou.status_on(today)
    if status == MoUStatus.DRAFT and mou.valid_until < today:
        return ShownStatus(UNSIGNED_ENDED, _("Not signed, term ended"))
    return ShownStatus(status, MoUStatus(status).label)

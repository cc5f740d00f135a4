"""Reads of the partnerships app that other apps show."""

from evaluations.selectors import ChangeItem

from .models import MoU


def mous_signed_between(*, since, until, user) -> list[ChangeItem]:
    """MoUs signed after `since` up to `until`, one item per pillar they serve (city-wide when none), in 2 queries."""
    mous = MoU.objects.visible_to(user).filter(signed_on__gt=since, signed_on__lte=until).prefetch_related("pillars")
    return [
        ChangeItem(pillar_id, mou.title, mou.signed_on)
        for mou in mous.order_by("signed_on")
        for pillar_id in ([p.pk for p in mou.pillars.all()] or [None])
    ]

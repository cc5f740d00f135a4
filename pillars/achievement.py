"""Achievement (capaian) of an indicator in a year, and the at-a-glance marks the public pages show.

The one documented rule for "on track" (written here, tested in tests/pillars/test_achievement.py):

- an indicator's **standing** is taken in the latest year that has both a target and a measured value;
- its achievement that year is `achievement_percent()`, which already honours the indicator's direction
  (for "lower is better", coming in under the target is above 100 %);
- **on track** from the indicator's own `on_track_from` (100 % unless a margin is agreed), **at risk** from its
  `at_risk_from` (90 % unless set otherwise) up to that, **off track** below it;
- without a year that has both figures (or with a target of 0) there is no standing: the indicator is
  **not yet measured** against a target.

A milestone is **late** once its due date has passed and it is not done; a program is **overdue** once
its last year has ended and it is neither completed nor cancelled. A program **under way** (neither completed nor
cancelled) is **late** when it is overdue or has a late milestone, else **on schedule** (the home page's sentence
and the program list's schedule filter, ProgramQuerySet.late()).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Direction, Stage

HUNDRED = Decimal(100)
ON_TRACK_FROM = Decimal(100)  # % of the year's target
AT_RISK_FROM = Decimal(90)


class Standing(models.TextChoices):
    """Where an indicator stands against its target for the year (never stored)."""

    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")


def achievement_percent(*, target: Decimal | None, actual: Decimal | None, direction: str) -> Decimal | None:
    """Actual against target in %, two decimals, half up; None when either is missing or the target is 0.

    Higher is better: actual / target. Lower is better: (2 - actual / target), the "negative polarity"
    formula of Indonesian performance reports, so reaching the target is 100 % and halving it is 150 %.
    """
    if target is None or actual is None or target == 0:
        return None
    ratio = Decimal(actual) / Decimal(target)
    if direction == Direction.LOWER_IS_BETTER:
        ratio = 2 - ratio
    return (ratio * HUNDRED).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


LATE, ON_SCHEDULE = "late", "on_schedule"  # the program list's schedule filter values
NOT_MEASURED = "not_measured"  # no standing yet: the public list's filter value and the home page's fourth count


def standing_of(achievement: Decimal | None, indicator=None) -> Standing | None:
    """On track at ≥ the indicator's `on_track_from` % of the year's target (100 by default), at risk at ≥ its
    `at_risk_from` % (90 by default), else off track; None without a figure."""
    if achievement is None:
        return None
    on_track = getattr(indicator, "on_track_from", None)
    at_risk = getattr(indicator, "at_risk_from", None)
    if achievement >= (ON_TRACK_FROM if on_track is None else on_track):
        return Standing.ON_TRACK
    return Standing.AT_RISK if achievement >= (AT_RISK_FROM if at_risk is None else at_risk) else Standing.OFF_TRACK


def milestone_is_late(*, due_on: datetime.date, done_on: datetime.date | None, today: datetime.date) -> bool:
    return done_on is None and due_on < today


def program_is_overdue(*, last_year: int, stage: str, today: datetime.date) -> bool:
    return last_year < today.year and stage not in (Stage.COMPLETED, Stage.CANCELLED)

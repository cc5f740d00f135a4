"""Achievement (capaian) of an indicator in a year, from its target and its actual value."""

from decimal import ROUND_HALF_UP, Decimal

from .choices import Direction

HUNDRED = Decimal(100)


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

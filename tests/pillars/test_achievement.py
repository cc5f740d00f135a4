from decimal import Decimal

import pytest

from pillars.achievement import achievement_percent


@pytest.mark.parametrize(
    ("target", "actual", "direction", "expected"),
    [
        ("92.30", "91.40", "higher", "99.02"),  # 99.0249… rounds down
        ("80", "100", "higher", "125.00"),
        ("3", "2", "higher", "66.67"),  # 66.666… rounds half up
        ("8", "1", "higher", "12.50"),
        ("10", "9.80", "lower", "102.00"),  # under a "lower is better" target is above 100 %
        ("10", "12", "lower", "80.00"),
        ("10", "0", "lower", "200.00"),
    ],
)
def test_achievement_honours_the_direction_and_rounds_half_up(target, actual, direction, expected):
    assert achievement_percent(target=Decimal(target), actual=Decimal(actual), direction=direction) == Decimal(expected)


@pytest.mark.parametrize(("target", "actual"), [(None, Decimal(1)), (Decimal(1), None), (Decimal(0), Decimal(5))])
def test_achievement_is_unknown_without_both_figures_or_with_a_zero_target(target, actual):
    assert achievement_percent(target=target, actual=actual, direction="higher") is None

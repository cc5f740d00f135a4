import datetime
from decimal import Decimal

import pytest

from pillars.achievement import (
    Standing,
    achievement_percent,
    milestone_is_late,
    program_is_overdue,
    standing_of,
)
from pillars.selectors import YearPoint, standing_point


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


# --- Standing: the one rule behind "on track / at risk / off track" -------------------------------
@pytest.mark.parametrize(
    ("achievement", "expected"),
    [
        ("150.00", Standing.ON_TRACK),
        ("100.00", Standing.ON_TRACK),  # reaching the target is on track
        ("99.99", Standing.AT_RISK),
        ("90.00", Standing.AT_RISK),
        ("89.99", Standing.OFF_TRACK),
        ("0", Standing.OFF_TRACK),
    ],
)
def test_standing_thresholds(achievement, expected):
    assert standing_of(Decimal(achievement)) == expected


def test_no_standing_without_an_achievement():
    assert standing_of(None) is None


@pytest.mark.parametrize(
    ("target", "actual", "direction", "expected"),
    [
        ("10", "9.8", "lower", Standing.ON_TRACK),  # under a "lower is better" target
        ("10", "10.5", "lower", Standing.AT_RISK),  # 95 %
        ("10", "12", "lower", Standing.OFF_TRACK),  # 80 %
        ("10", "9.8", "higher", Standing.AT_RISK),  # the same figures, the other direction: 98 %
        ("10", "12", "higher", Standing.ON_TRACK),
    ],
)
def test_standing_respects_the_indicators_direction(target, actual, direction, expected):
    percent = achievement_percent(target=Decimal(target), actual=Decimal(actual), direction=direction)
    assert standing_of(percent) == expected


def test_standing_is_judged_on_the_latest_year_with_both_figures():
    points = [
        YearPoint(2022, Decimal(10), Decimal(12), Decimal("120.00")),
        YearPoint(2023, Decimal(10), Decimal(8), Decimal("80.00")),
        YearPoint(2024, Decimal(10), None, None),  # a target set, nothing measured yet
    ]
    point = standing_point(points)
    assert point.year == 2023 and point.standing == Standing.OFF_TRACK
    assert standing_point(points[2:]) is None


TODAY = datetime.date(2025, 3, 1)


@pytest.mark.parametrize(
    ("due_on", "done_on", "late"),
    [
        (datetime.date(2025, 2, 28), None, True),
        (datetime.date(2025, 3, 1), None, False),  # due today is not late yet
        (datetime.date(2025, 2, 1), datetime.date(2025, 2, 20), False),
        (datetime.date(2025, 2, 1), datetime.date(2025, 2, 25), False),  # done, however late
    ],
)
def test_milestone_is_late_once_past_due_and_not_done(due_on, done_on, late):
    assert milestone_is_late(due_on=due_on, done_on=done_on, today=TODAY) is late


@pytest.mark.parametrize(
    ("last_year", "stage", "overdue"),
    [
        (2024, "in_progress", True),
        (2024, "planned", True),
        (2024, "on_hold", True),
        (2025, "in_progress", False),  # its last year is still running
        (2024, "completed", False),
        (2024, "cancelled", False),
    ],
)
def test_program_is_overdue_after_its_last_year_unless_completed_or_cancelled(last_year, stage, overdue):
    assert program_is_overdue(last_year=last_year, stage=stage, today=TODAY) is overdue

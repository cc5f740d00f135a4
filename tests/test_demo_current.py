"""The demo city is current on the day it is loaded: a first look never shows everything stale or a year long past."""

import pytest
from django.utils import timezone

from evaluations import demo as evaluations_demo
from evaluations.models import Evaluation
from pillars import demo as pillars_demo
from pillars.models import Activity, Indicator, Measurement
from pillars.services import indicators_flag_stale

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_city():
    pillars_demo.load()
    evaluations_demo.load()


def test_every_demo_indicator_is_measured_within_its_period(demo_city):
    today = timezone.localdate()
    indicators_flag_stale(today=today)
    assert Indicator.objects.exists() and not Indicator.objects.filter(stale_since__isnull=False).exists()
    latest = {m.indicator_id: m.measured_on.year for m in Measurement.objects.order_by("indicator", "measured_on")}
    assert set(latest.values()) == {today.year - 1}  # the last full year, for every indicator
    assert not Measurement.objects.filter(measured_on__gt=today).exists()  # nothing measured in the future


def test_the_latest_evaluation_is_last_years_and_the_action_plan_runs_this_year(demo_city):
    today = timezone.localdate()
    assert Evaluation.objects.results().order_by("-year").first().year == today.year - 1
    assert Activity.objects.filter(year=today.year).exists() and Activity.objects.filter(year=today.year - 1).exists()


def test_a_continued_series_slows_and_stays_a_percentage():
    continued = pillars_demo.continued({2021: "90.00", 2022: "98.00"}, 2025, percent=True)
    assert [str(v) for v in continued.values()] == ["90.00", "98.00", "100.00", "100.00", "100.00"]
    lower = pillars_demo.continued({2022: "17.50", 2023: "12.40"}, 2025, percent=False)
    assert [str(v) for v in lower.values()] == ["17.50", "12.40", "9.85", "8.58"]
    assert list(pillars_demo.continued({2030: "5"}, 2025, percent=False)) == []  # no future figure

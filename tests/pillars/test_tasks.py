import datetime

import pytest
from django.utils import timezone

from pillars.models import Indicator
from pillars.services import indicators_flag_stale, measurement_create
from pillars.tasks import flag_stale_indicators
from smartcity.tasks import refresh_cache_for_lifted_embargoes

from .factories import IndicatorFactory, MeasurementFactory, ProgramFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 7, 1)


def test_indicators_are_flagged_by_their_frequency_and_the_grace_and_the_flag_is_idempotent(settings):
    settings.MEASUREMENT_GRACE_DAYS = 90
    monthly = IndicatorFactory(frequency="monthly")
    MeasurementFactory(indicator=monthly, measured_on=datetime.date(2024, 2, 1))  # due 3 March, +90 days: stale
    in_grace = IndicatorFactory(frequency="monthly")
    MeasurementFactory(indicator=in_grace, measured_on=datetime.date(2024, 5, 1))  # 30 days overdue: in the grace
    yearly = IndicatorFactory(frequency="yearly")
    MeasurementFactory(indicator=yearly, measured_on=datetime.date(2023, 12, 31))  # 183 days: fresh
    never = IndicatorFactory(frequency="quarterly")  # never measured: flagged, and says so ("no measurement yet")
    assert indicators_flag_stale(today=TODAY) == 2
    assert indicators_flag_stale(today=TODAY) == 0  # a second run changes nothing
    flagged = set(Indicator.objects.filter(stale_since=TODAY).values_list("pk", flat=True))
    assert flagged == {monthly.pk, never.pk}
    settings.MEASUREMENT_GRACE_DAYS = 0  # without a grace period, 30 days overdue is overdue
    assert indicators_flag_stale(today=TODAY) == 1
    assert Indicator.objects.get(pk=in_grace.pk).stale_since == TODAY


def test_a_new_measurement_clears_the_flag_at_once(make_user):
    indicator = IndicatorFactory(frequency="monthly")
    indicators_flag_stale(today=timezone.localdate())
    actor = make_user("pillars.add_measurement", "pillars.manage_all_agencies")
    measurement_create(
        actor=actor,
        data={"indicator": indicator, "measured_on": timezone.localdate(), "value": 5},
    )
    indicator.refresh_from_db()
    assert indicator.stale_since is None


def test_weekly_task_flags_and_is_idempotent():
    IndicatorFactory(frequency="monthly")
    assert flag_stale_indicators.apply().get() == 1
    assert flag_stale_indicators.apply().get() == 0


def test_cache_refresh_counts_records_whose_embargo_just_lifted():
    ProgramFactory(publish_from=timezone.now() - datetime.timedelta(minutes=3))
    ProgramFactory(publish_from=timezone.now() - datetime.timedelta(hours=3))
    ProgramFactory(publish_from=timezone.now() + datetime.timedelta(minutes=3))
    assert refresh_cache_for_lifted_embargoes() == 1

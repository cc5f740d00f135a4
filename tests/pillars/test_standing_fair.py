"""A standing that reads fairly: each indicator's own tolerances for "on track" and "at risk", an overdue measurement
said in words and only past the indicator's frequency plus a grace period, and the home page's count of indicators
by standing, each number linking to the filtered list. A first look at the demo city shows nothing overdue."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pillars import demo as pillars_demo
from pillars.achievement import Standing, standing_of
from pillars.models import Indicator
from pillars.selectors import indicator_series, indicator_standings, standing_counts, standing_point
from pillars.services import indicators_flag_stale
from smartcity.roles import DISKOMINFO_EDITOR

from .factories import IndicatorFactory, IndicatorTargetFactory, MeasurementFactory
from .test_msind import role

pytestmark = pytest.mark.django_db
OVERDUE_WORDS = ("belum diperbarui sejak", "not updated since", "Usang", "Stale", "belum ada pengukuran")


def measured(achievement: str, year: int = 2024, **fields) -> Indicator:
    """An indicator whose `year` reached `achievement` % of a target of 100."""
    indicator = IndicatorFactory(**fields)
    IndicatorTargetFactory(indicator=indicator, year=year, value=Decimal(100))
    MeasurementFactory(indicator=indicator, measured_on=datetime.date(year, 12, 31), value=Decimal(achievement))
    return indicator


# --- the tolerances are the indicator's own -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("achievement", "on_track_from", "at_risk_from", "expected"),
    [
        ("99", "100", "90", Standing.AT_RISK),  # the defaults: the old rule
        ("99", "98", "90", Standing.ON_TRACK),  # a margin agreed for this indicator
        ("89", "100", "90", Standing.OFF_TRACK),
        ("89", "100", "80", Standing.AT_RISK),  # a wider at-risk band
        ("100", "100", "90", Standing.ON_TRACK),
    ],
)
def test_the_standing_reads_the_indicators_own_tolerances(achievement, on_track_from, at_risk_from, expected):
    indicator = measured(achievement, on_track_from=Decimal(on_track_from), at_risk_from=Decimal(at_risk_from))
    series = indicator_series(Indicator.objects.with_related().filter(pk=indicator.pk))[indicator.pk]
    assert standing_point(series).standing == expected  # the pages' series
    assert indicator_standings(Indicator.objects.filter(pk=indicator.pk)) == {indicator.pk: expected}  # the counts
    assert standing_of(Decimal(achievement), indicator) == expected


def test_without_an_indicator_the_documented_defaults_hold():
    assert standing_of(Decimal("99.99")) == Standing.AT_RISK and standing_of(Decimal("89.99")) == Standing.OFF_TRACK


def test_the_counts_judge_the_same_year_as_the_pages():
    lower = IndicatorFactory(
        direction="lower"
    )  # 2023 met (lower is better), 2024 target 0 (no figure), 2025 target only
    for year, target, actual in [(2023, "10", "9"), (2024, "0", "3")]:
        IndicatorTargetFactory(indicator=lower, year=year, value=Decimal(target))
        MeasurementFactory(indicator=lower, measured_on=datetime.date(year, 6, 1), value=Decimal(actual))
    IndicatorTargetFactory(indicator=lower, year=2025, value=Decimal(8))
    MeasurementFactory(
        indicator=lower, measured_on=datetime.date(2023, 12, 1), value=Decimal("10.5")
    )  # the year's last
    never = IndicatorFactory()
    IndicatorTargetFactory(indicator=never, year=2024)
    indicators = Indicator.objects.with_related()
    series = indicator_series(indicators)
    by_pages = {
        i.pk: (standing_point(series[i.pk]).standing if standing_point(series[i.pk]) else None) for i in indicators
    }
    assert indicator_standings(Indicator.objects.all()) == by_pages == {lower.pk: Standing.AT_RISK, never.pk: None}


def test_the_tolerances_are_refused_out_of_order_with_a_field_error(api_client):
    indicator = IndicatorFactory()
    api_client.force_authenticate(role(DISKOMINFO_EDITOR))
    url = reverse("pillars-api:indicator-detail", args=[indicator.slug])
    response = api_client.patch(url, {"at_risk_from": "99", "on_track_from": "95"}, format="json")
    assert response.status_code == 400 and response.data["errors"]["at_risk_from"][0].code == "thresholds_order"
    response = api_client.patch(url, {"on_track_from": "97.50"}, format="json")
    assert response.status_code == 200 and response.data["on_track_from"] == "97.50"
    assert response.data["approval"] == "approved"  # a tolerance is not MS-Ind metadata


# --- overdue, in words, only past frequency + grace ---------------------------------------------------------------
def test_the_overdue_wording_appears_only_past_the_frequency_and_the_grace(client, settings):
    settings.MEASUREMENT_GRACE_DAYS = 90
    today = timezone.localdate()
    in_grace = IndicatorFactory(slug="dalam-tenggang", frequency="yearly")
    MeasurementFactory(indicator=in_grace, measured_on=today - datetime.timedelta(days=366 + 60))
    overdue = IndicatorFactory(slug="terlambat", frequency="yearly")
    last = today - datetime.timedelta(days=366 + 120)
    MeasurementFactory(indicator=overdue, measured_on=last)
    indicators_flag_stale(today=today)
    assert set(Indicator.objects.filter(stale_since__isnull=False)) == {overdue}
    row = next(line for line in client.get("/indicators/").content.decode().split("<tr>") if "terlambat" in line)
    assert f"belum diperbarui sejak {last.day} " in row and "Usang" not in row
    assert "belum diperbarui" not in next(
        line for line in client.get("/indicators/").content.decode().split("<tr>") if "dalam-tenggang" in line
    )
    assert "not updated since" in client.get("/en/indicators/terlambat/").content.decode()
    assert "not updated since" not in client.get("/en/indicators/dalam-tenggang/").content.decode()


# --- the home page: counts by standing, each linking to the filtered list -----------------------------------------
def test_the_home_page_counts_the_indicators_by_standing_and_links_each_count(client):
    on_track = [measured("100", slug="tepat-1"), measured("99", slug="tepat-2", on_track_from=Decimal(98))]
    at_risk = [measured("95", slug="berisiko-1")]
    off_track = [measured("50", slug="tertinggal-1")]
    not_measured = [
        IndicatorFactory(slug="belum-1"),
        IndicatorFactory(slug="belum-2"),
        IndicatorFactory(slug="belum-3"),
    ]
    measured("10", slug="tersembunyi", approval="submitted")  # not public: not counted
    assert standing_counts(Indicator.objects.published()) == {
        "on_track": 2,
        "at_risk": 1,
        "off_track": 1,
        "not_measured": 3,
    }
    html = client.get("/").content.decode()
    for value, rows in [("on_track", on_track), ("at_risk", at_risk), ("off_track", off_track),
                        ("not_measured", not_measured)]:  # fmt: skip
        assert f'<a href="/indicators/?standing={value}">{len(rows)}</a>' in html
        listed = client.get(f"/indicators/?standing={value}").content.decode()
        assert all(f"/indicators/{row.slug}/" in listed for row in rows)
        others = {i.slug for i in Indicator.objects.all()} - {row.slug for row in rows}
        assert not any(f"/indicators/{slug}/" in listed for slug in others)


def test_the_standing_filter_refuses_an_unknown_value_as_a_form_error(client):
    measured("100", slug="tepat")
    response = client.get("/indicators/?standing=excellent")
    html = response.content.decode()
    assert response.status_code == 200 and '<small class="error">' in html  # said on the form; the list unfiltered


def test_the_home_page_and_the_standing_filter_run_as_many_queries_with_more_indicators(client):
    measured("100"), measured("95"), IndicatorFactory()  # one row on each list, so no page is empty

    def queries(url):
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    urls = ["/", "/indicators/?standing=at_risk", "/indicators/?standing=not_measured"]
    before = [queries(url) for url in urls]
    for achievement in ["95", "50", "100", "92"]:
        measured(achievement)
    IndicatorFactory.create_batch(3)
    assert [queries(url) for url in urls] == before


# --- the first look ------------------------------------------------------------------------------------------------
def test_a_first_look_at_the_demo_shows_no_overdue_wording(client):
    pillars_demo.load()
    indicators_flag_stale(today=timezone.localdate())  # the weekly check, run on the day of loading
    pages = [client.get(url).content.decode() for url in ["/", "/indicators/", "/en/", "/en/indicators/"]]
    for url in Indicator.objects.published().values_list("slug", flat=True):
        pages.append(client.get(f"/indicators/{url}/").content.decode())
    assert Indicator.objects.published().count() >= 5
    assert not [word for page in pages for word in OVERDUE_WORDS if word in page]
    headline = Indicator.objects.get(is_headline=True)
    assert indicator_standings(Indicator.objects.filter(pk=headline.pk))[headline.pk] == Standing.ON_TRACK
    assert "standing=on_track" in pages[0]

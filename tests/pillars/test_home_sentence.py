"""The home page's one sentence of how the city is doing (issue 26, item 1): programs late of those under way,
indicators on target, the latest evaluation's index and its change; every number links to the list it counts,
and that list, filtered, holds exactly those rows."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.evaluations.factories import EvaluationFactory, EvaluationSchemeFactory

from .factories import IndicatorFactory, IndicatorTargetFactory, MeasurementFactory, MilestoneFactory, ProgramFactory

pytestmark = pytest.mark.django_db
FUTURE = 2099


def sentence(client, path="/") -> str:
    html = client.get(path).content.decode()
    return re.search(r'<p class="how-sentence">(.*?)</p>', html, re.S).group(1)


def linked(text: str) -> dict[str, str]:
    """{link text: href} of the sentence's links."""
    return {label: href.replace("&amp;", "&") for href, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', text)}


def programs():
    """Two late programs (one past its last year, one with a milestone past due), one on schedule, and a completed
    and a cancelled one that are not under way (even though past their last year)."""
    today = timezone.localdate()
    overdue = ProgramFactory(title_ind="Lewat tahun", stage="in_progress", last_year=today.year - 1)
    behind = ProgramFactory(title_ind="Tahap terlambat", stage="in_progress", last_year=FUTURE)
    MilestoneFactory(program=behind, due_on=today - datetime.timedelta(days=1))
    fine = ProgramFactory(title_ind="Sesuai jadwal", stage="planned", last_year=FUTURE)
    MilestoneFactory(program=fine, due_on=today - datetime.timedelta(days=3), done_on=today)
    MilestoneFactory(program=fine, due_on=today + datetime.timedelta(days=3))
    ProgramFactory(title_ind="Selesai", stage="completed", progress=100, completed_on=today, last_year=today.year - 1)
    ProgramFactory(title_ind="Batal", stage="cancelled", last_year=today.year - 1)
    ProgramFactory(
        title_ind="Draf terlambat", stage="in_progress", first_year=2000, last_year=2001, publication="draft"
    )
    return overdue, behind, fine


def test_sentence_counts_late_programs_of_those_under_way_and_links_the_filtered_lists(client):
    overdue, behind, fine = programs()
    text = sentence(client, "/en/")
    assert "2</a> of <a" in text and "3</a> programs under way are late" in text
    links = linked(text)
    assert links["2"] == "/en/programs/?schedule=late"
    assert links["3"] == "/en/programs/?stage=planned&stage=in_progress&stage=on_hold"
    late_page = client.get(links["2"]).content.decode()
    assert overdue.title_en in late_page and behind.title_en in late_page and fine.title_en not in late_page
    assert late_page.count('class="badge late"') == 2  # "Overdue" past its last year, "Late" behind a milestone
    assert ">Late</span>" in late_page and ">Overdue</span>" in late_page
    on_schedule = client.get("/en/programs/?schedule=on_schedule").content.decode()
    assert fine.title_en in on_schedule and overdue.title_en not in on_schedule and "Test program" in on_schedule
    under_way = client.get(links["3"]).content.decode()
    assert all(p.title_en in under_way for p in (overdue, behind, fine))


def test_sentence_in_indonesian_and_singular_in_english(client):
    ProgramFactory(stage="in_progress", first_year=2000, last_year=2001)
    ProgramFactory(stage="in_progress", last_year=FUTURE)
    assert "1</a> dari <a" in sentence(client) and "2</a> program berjalan terlambat" in sentence(client)
    english = sentence(client, "/en/")
    assert "1</a> of <a" in english and "programs under way is late" in english and "are late" not in english


def test_sentence_counts_indicators_on_target_of_all_and_links_the_standing_filter(client):
    on_target = IndicatorFactory(name_en="Reached")
    IndicatorTargetFactory(indicator=on_target, year=2024, value=Decimal(10))
    MeasurementFactory(indicator=on_target, measured_on=datetime.date(2024, 12, 31), value=Decimal(11))
    IndicatorFactory(name_en="Never measured")
    text = sentence(client, "/en/")
    assert "1</a> of <a" in text and "2</a> indicators is on target" in text
    links = linked(text)
    assert links["1"] == "/en/indicators/?standing=on_track" and links["2"] == "/en/indicators/"
    listed = client.get(links["1"]).content.decode()
    assert "Reached" in listed and "Never measured" not in listed


def result(year, index):
    scheme = EvaluationSchemeFactory(year=year)
    return EvaluationFactory(scheme=scheme, status="final", letter_number=f"B-{year}", computed_index=Decimal(index))


def test_sentence_names_the_latest_evaluation_and_its_change_in_the_page_language(client):
    result(2024, "3.06")
    latest = result(2025, "3.31")
    english, indonesian = sentence(client, "/en/"), sentence(client)
    assert f'<a href="/en{latest.get_absolute_url()}">2025 evaluation</a> gave an index of 3.31, up 0.25 from 2024' in (
        english
    )
    assert "3,31" in indonesian and "naik 0,25" in indonesian and "2024" in indonesian


def test_sentence_says_so_when_nothing_is_under_way(client):
    assert "No program is under way." in sentence(client, "/en/")


def test_schedule_filter_rejects_an_unknown_value_without_a_500(client):
    response = client.get("/en/programs/?schedule=soon")
    assert response.status_code in (200, 400)

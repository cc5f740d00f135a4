"""The public pages as a citizen reads them on a phone (issue 13): the menu and page chrome, the standing of
indicators, late milestones and overdue programs, numbers in each language, the latest evaluation on the
home page, the citizen filter forms with their search, and the MoU display fixes."""

import csv
import datetime
import io
import json
import re
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from evaluations.models import PillarScore
from pillars.models import Pillar
from tests.evaluations.factories import EvaluationFactory, EvaluationSchemeFactory
from tests.partnerships.factories import MoUFactory, MoUPartyFactory, PartnerFactory
from tests.pillars.factories import (
    AgencyFactory,
    BudgetLineFactory,
    DigitalServiceFactory,
    DistrictFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
    InfrastructureAssetFactory,
    MeasurementFactory,
    MilestoneFactory,
    ProgramFactory,
)
from tests.responses import body

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
TODAY = datetime.date.today()
LIST_PAGES = [
    "/programs/",
    "/indicators/",
    "/services/",
    "/partnerships/",
    "/partnerships/partners/",
    "/evaluations/",
    "/map/",
]


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def chart(html: str, chart_id: str) -> dict:
    return json.loads(re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', html, re.S)[1])


def form_of(html: str) -> str:
    return re.search(r'<form method="get" class="filter-form".*?</form>', html, re.S)[0]


def result(year: int, index: str, scores: dict[str, str]):
    evaluation = EvaluationFactory(
        scheme=EvaluationSchemeFactory(year=year),
        computed_index=Decimal(index),
        status="final",
        letter_number=f"B-{year}/SC",
    )
    for slug, score in scores.items():
        PillarScore.objects.create(evaluation=evaluation, pillar=Pillar.objects.get(slug=slug), score=score)
    return evaluation


# --- Page chrome ----------------------------------------------------------------------------------
def test_every_page_has_a_favicon_a_menu_button_and_the_skip_link_first(client):
    html = html_of(client, "/")
    icon = re.search(r'<link rel="icon" href="/static/([^"]+)"', html)[1]
    assert finders.find(icon), "the favicon is a static file, so no page asks for a missing /favicon.ico"
    assert 'aria-controls="site-nav"' in html and 'id="site-nav"' in html and "/static/js/nav.js" in html
    assert html.index('class="skip-link"') < html.index('class="brand"')
    # the menu's script is a file; the one inline script (allowed by its hash) only marks the page as scripted
    assert html.count("<script>") == 1 and "<script>document.documentElement.classList.add('js')</script>" in html


# --- At a glance ----------------------------------------------------------------------------------
def indicator_with(target: str, actual: str, direction: str = "higher", unit: str = "%", **fields):
    indicator = IndicatorFactory(direction=direction, unit=unit, **fields)
    IndicatorTargetFactory(indicator=indicator, year=2024, value=Decimal(target))
    MeasurementFactory(indicator=indicator, measured_on=datetime.date(2024, 12, 31), value=Decimal(actual))
    return indicator


def test_indicator_list_marks_each_indicator_in_colour_and_words(client):
    indicator_with("80", "84", name_ind="Naik baik")
    indicator_with("80", "74", name_ind="Hampir")  # 92.5 %
    indicator_with("10", "12", direction="lower", unit="menit", name_ind="Waktu tunggu")  # 80 %
    html = html_of(client, "/indicators/")
    assert html.count("standing-on_track") == 1 and "Sesuai target" in html
    assert html.count("standing-at_risk") == 1 and "Berisiko" in html
    assert html.count("standing-off_track") == 1 and "Tertinggal" in html
    assert f"12{NBSP}menit" in html and f"92,5{NBSP}% dari target 2024 (80{NBSP}%)" in html
    english = html_of(client, "/en/indicators/")
    assert "On track" in english and "Off track" in english and f"92.5{NBSP}% of the 2024 target" in english


def test_indicator_page_marks_every_year_and_its_chart_reads_the_unit_in_the_page_language(client):
    indicator = indicator_with("10", "9.8", direction="lower", unit="menit")
    html = html_of(client, f"/en/indicators/{indicator.slug}/")
    assert "standing-on_track" in html and "102 %" in html.replace(NBSP, " ")
    spec = chart(html, "indicator-chart")
    assert spec["format"] == {"locale": "en", "unit": "menit", "prefix": False, "decimals": 2}
    assert spec["datasets"][1]["formatted"] == [f"9.8{NBSP}menit"]
    assert f'9.8{NBSP}<span lang="id">menit</span>' in html  # the unit is Indonesian text


def test_late_milestones_and_overdue_programs_are_marked(client):
    late = ProgramFactory(first_year=2019, last_year=TODAY.year - 1, stage="in_progress", progress=40)
    MilestoneFactory(program=late, title_ind="Belum selesai", due_on=TODAY - datetime.timedelta(days=1))
    MilestoneFactory(program=late, title_ind="Selesai", due_on=TODAY - datetime.timedelta(days=9), done_on=TODAY)
    on_time = ProgramFactory(first_year=2019, last_year=TODAY.year, stage="in_progress", progress=40)
    detail = html_of(client, f"/programs/{late.slug}/")
    assert detail.count('class="badge late"') == 2  # the program, and the one milestone not done
    listing = html_of(client, "/programs/")
    assert listing.count("Melewati jadwal") == 1 and on_time.title_ind in listing


def test_budget_in_rupiah_in_each_language_on_the_page_and_the_chart(client):
    program = ProgramFactory()
    BudgetLineFactory(program=program, year=2024, planned_amount=1_250_000_000, realised_amount=1_000_000_000)
    assert "Rp1.250.000.000" in html_of(client, f"/programs/{program.slug}/")
    english = html_of(client, f"/en/programs/{program.slug}/")
    spec = chart(english, "budget-chart")
    assert "Rp1,250,000,000" in english and spec["datasets"][0]["formatted"] == ["Rp1,250,000,000"]
    assert spec["format"]["prefix"] and spec["format"]["unit"] == "Rp" and spec["format"]["locale"] == "en"


# --- Home: the latest evaluation by pillar and the index over the years ----------------------------
def test_home_shows_the_latest_result_by_pillar_and_the_index_over_the_years(client):
    result(2022, "3.06", {"governance": "3.10", "economy": "2.85"})
    result(2023, "3.31", {"governance": "3.30", "economy": "2.80"})
    html = html_of(client, "/")
    assert "Evaluasi 2023: hasil terbaru" in html and "3,31" in html and "3,06 pada 2022" in html
    assert "naik 0,20" in html and "turun 0,05" in html
    trend = chart(html, "evaluation-index-trend")
    assert trend["labels"] == ["2022", "2023"] and trend["datasets"][0]["formatted"] == ["3,06", "3,31"]


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_home_query_count_does_not_grow_with_results(client):
    result(2021, "2.87", {"governance": "2.90"})
    client.get("/")  # the first view after writes regroups the dashboard figures
    one = queries(client, "/")
    for year in (2022, 2023, 2024):
        result(year, "3.00", {slug: "3.00" for slug in ("governance", "economy", "living")})
    client.get("/")
    assert queries(client, "/") == one <= 12  # the dashboard's budget (tests/test_scale.py)


# --- Citizen filters ------------------------------------------------------------------------------
INTERNAL = ("id", "slug", "publication", "direction", "frequency", "is_headline", "lead_agency", "scheme_id")


@pytest.mark.parametrize("url", LIST_PAGES)
def test_filter_forms_offer_a_search_and_no_internal_fields(client, url):
    form = form_of(html_of(client, url))
    names = set(re.findall(r'name="([^"]+)"', form))
    assert "q" in names and 'type="search"' in form
    assert not names & set(INTERNAL)
    assert "---------" not in form and "Tidak diketahui" not in form and "Unknown" not in form
    assert "<select" not in form or "multiple" not in form  # multi-selects need Ctrl-click: checkboxes instead
    assert "(slug)" not in form and "(ID)" not in form


@pytest.mark.parametrize("url", LIST_PAGES)
def test_filter_labels_follow_the_page_language(client, url):
    assert ">Cari<" in form_of(html_of(client, url))
    assert ">Search<" in form_of(html_of(client, "/en" + url))


def test_program_filters_one_agency_lead_or_support_and_stage_checkboxes(client):
    agency = AgencyFactory(name="Dinas Perhubungan", slug="dishub")
    led = ProgramFactory(title_ind="Dipimpin", lead_agency=agency)
    supported = ProgramFactory(title_ind="Didukung")
    supported.supporting_agencies.add(agency)
    ProgramFactory(title_ind="Lainnya", stage="completed", progress=100, completed_on=TODAY)
    form = form_of(html_of(client, "/programs/"))
    assert form.count('name="agency"') == 1 and 'type="checkbox" name="stage"' in form
    html = html_of(client, "/programs/?agency=dishub")
    assert led.title_ind in html and supported.title_ind in html and "Lainnya" not in html
    assert "Lainnya" in html_of(client, "/programs/?stage=completed&stage=cancelled")


def test_search_on_every_list(client):
    ProgramFactory(title_ind="Wi-Fi taman kota")
    indicator_with("80", "84", name_ind="Kepuasan warga")
    DigitalServiceFactory(name="Sapa Warga")
    MoUFactory(title_ind="Kerja sama CCTV", party__partner=PartnerFactory(name="PT Kamera Kota"))
    MoUFactory(title_ind="Kerja sama lain")
    PartnerFactory(name="Universitas Andalas")
    result(2023, "3.31", {})
    expectations = {
        "/programs/?q=taman": "Wi-Fi taman kota",
        "/indicators/?q=kepuasan": "Kepuasan warga",
        "/services/?q=sapa": "Sapa Warga",
        "/partnerships/?q=kamera": "Kerja sama CCTV",  # through the partner's name
        "/partnerships/partners/?q=andalas": "Universitas Andalas",
        "/evaluations/?q=B-2023": "B-2023/SC",
    }
    for url, expected in expectations.items():
        assert expected in html_of(client, url), url
    assert "Kerja sama lain" not in html_of(client, "/partnerships/?q=kamera")
    assert "PT Kamera Kota" not in html_of(client, "/partnerships/partners/?q=andalas")
    assert "B-2023/SC" not in html_of(client, "/evaluations/?q=tidak-ada")


def test_mou_partner_filter_offers_and_accepts_only_published_partners(client):
    public = PartnerFactory(name="Mitra Terbit", slug="terbit")
    hidden = PartnerFactory(name="Mitra Draf", slug="draf", publication="draft")
    MoUFactory(title_ind="Bersama mitra terbit", party__partner=public)
    MoUFactory(title_ind="Bersama mitra draf", party__partner=hidden)
    form = form_of(html_of(client, "/partnerships/"))
    assert 'value="terbit"' in form and 'value="draf"' not in form and "Mitra Draf" not in form
    html = html_of(client, "/partnerships/?partner=terbit")
    assert "Bersama mitra terbit" in html and "Bersama mitra draf" not in html
    refused = html_of(client, "/partnerships/?partner=draf")  # answered like a missing partner
    assert 'class="error"' in refused and "Mitra Draf" not in form_of(refused)


def test_agency_filter_offers_only_agencies_with_something_published(client):
    ProgramFactory(lead_agency=AgencyFactory(name="Dinas Terbit"))
    ProgramFactory(lead_agency=AgencyFactory(name="Dinas Draf Saja"), publication="draft")
    form = form_of(html_of(client, "/programs/"))
    assert "Dinas Terbit" in form and "Dinas Draf Saja" not in form


def test_map_form_offers_published_operators_programs_and_districts_and_the_map_follows_it(client):
    operator = PartnerFactory(name="PT Menara Terbit", slug="menara-terbit")
    hidden = PartnerFactory(name="PT Draf", slug="draf", publication="draft")
    idle = PartnerFactory(name="PT Tanpa Aset", slug="tanpa-aset")  # published, but operates nothing on the map
    program = ProgramFactory(title_ind="Kota terhubung", slug="kota-terhubung")
    kuranji = DistrictFactory(code="13.71.09", name="Kuranji")
    koto_tangah, nanggalo = DistrictFactory(code="13.71.11", name="Koto Tangah"), DistrictFactory(name="Nanggalo")
    InfrastructureAssetFactory(name="Menara Bukit", kind="tower", operator=operator, program=program, district=kuranji)
    InfrastructureAssetFactory(name="Menara Rahasia", operator=hidden, district=koto_tangah)
    InfrastructureAssetFactory(name="Aset draf", operator=idle, district=nanggalo, publication="draft")
    form = form_of(html_of(client, "/map/"))
    assert 'value="menara-terbit"' in form and 'value="kota-terhubung"' in form and "Kuranji" in form
    # the kecamatan choices (by name) are those of published assets; the district select (by code) lists every one
    assert "PT Draf" not in form and "PT Tanpa Aset" not in form and 'value="Nanggalo"' not in form
    assert 'type="checkbox" name="kind"' in form and "Operator" in form and "Kecamatan" in form
    html = html_of(client, "/map/?operator=menara-terbit&kecamatan=Kuranji&kind=tower")
    assert "Menara Bukit" in html and "Menara Rahasia" not in html
    # the map layer reads the API with the same query, and the API reads it the same way
    geojson = client.get("/api/v1/assets/geojson/?operator=menara-terbit&kecamatan=Kuranji&kind=tower").json()
    assert [feature["properties"]["name"] for feature in geojson["features"]] == ["Menara Bukit"]
    refused = html_of(client, "/map/?operator=draf")  # a draft operator answers like a missing one
    assert 'class="error"' in refused and "PT Draf" not in form_of(refused)


@pytest.mark.parametrize("url", LIST_PAGES)
def test_list_pages_with_filters_run_a_constant_number_of_queries(client, url):
    query = "?q=a&pillar=governance" if url in ("/programs/", "/indicators/", "/services/") else "?q=a"
    ProgramFactory(title_ind="Program a")
    indicator_with("80", "84", name_ind="Indikator a")
    DigitalServiceFactory(name="Aplikasi a")
    MoUFactory(title_ind="MoU a")
    PartnerFactory(name="Mitra a")
    InfrastructureAssetFactory(name="Aset a", operator=PartnerFactory(), program=ProgramFactory())
    result(2022, "3.00", {"governance": "3.00"})
    one = queries(client, url + query)  # at least one row each: an empty page would skip its query
    for n in range(5):
        ProgramFactory(title_ind=f"Program a{n}")
        indicator_with("80", "84", name_ind=f"Indikator a{n}")
        DigitalServiceFactory(name=f"Aplikasi a{n}")
        MoUFactory(title_ind=f"MoU a{n}")
        PartnerFactory(name=f"Mitra a{n}")
        InfrastructureAssetFactory(name=f"Aset a{n}", operator=PartnerFactory(), program=ProgramFactory())
        result(2023 + n, "3.00", {"governance": "3.00"})
    assert queries(client, url + query) == one


# --- Evaluations download -------------------------------------------------------------------------
def test_evaluations_download_follows_the_filters_and_leaves_out_embargoed_results(client):
    result(2022, "3.06", {"governance": "3.10"})
    result(2023, "3.31", {"governance": "3.30"})
    hidden = result(2024, "3.99", {})
    hidden.publish_from = timezone.now() + datetime.timedelta(days=30)
    hidden.save()
    response = client.get("/evaluations/?download=csv&year=2023")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert [(r["year"], r["index"], r["pillar_scores"]) for r in rows] == [("2023", "3.31", "governance=3.30")]
    everything = json.loads(body(client.get("/evaluations/?download=json")))
    assert sorted(str(r["year"]) for r in everything) == ["2022", "2023"]
    assert "?download=csv" in html_of(client, "/evaluations/")


# --- Partnerships display -------------------------------------------------------------------------
def test_an_unsigned_mou_past_its_term_does_not_read_draft(client):
    MoUFactory(
        title_ind="Tak pernah ditandatangani",
        state="draft",
        signed_on=None,
        valid_from=datetime.date(2018, 10, 1),
        valid_until=datetime.date(2021, 9, 30),
    )
    MoUFactory(
        title_ind="Masih draf",
        state="draft",
        signed_on=None,
        valid_from=TODAY,
        valid_until=TODAY.replace(year=TODAY.year + 2),
    )
    html = html_of(client, "/partnerships/")
    assert "Tidak ditandatangani, masa berlaku berakhir" in html and html.count('mou-status-draft"') == 1
    assert "Not signed, term ended" in html_of(client, "/en/partnerships/")


def test_mou_page_names_signatories_without_a_dash_and_links_published_programs_only(client):
    mou = MoUFactory(city_signatory_name="", city_signatory_position="Wali Kota Padang", party=None)
    MoUPartyFactory(mou=mou, partner=PartnerFactory(), signatory_name="", signatory_position="Direktur Utama")
    public, draft = (
        ProgramFactory(title_ind="Program terbit"),
        ProgramFactory(title_ind="Program draf", publication="draft"),
    )
    mou.programs.set([public, draft])
    html = html_of(client, f"/partnerships/mou/{mou.slug}/")
    assert "Wali Kota Padang" in html and "—, Wali Kota" not in html and "Direktur Utama" in html
    assert f'href="/programs/{public.slug}/"' in html and "Program draf" not in html


def test_english_pages_mark_indonesian_fallback_text(client):
    program = ProgramFactory(title_ind="Hanya berbahasa Indonesia", title_en="")
    html = html_of(client, f"/en/programs/{program.slug}/")
    assert '<h1 lang="id">Hanya berbahasa Indonesia</h1>' in html
    translated = ProgramFactory(title_ind="Judul", title_en="Title")
    assert "<h1>Title</h1>" in html_of(client, f"/en/programs/{translated.slug}/")

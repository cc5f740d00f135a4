"""The site search (/cari/, /en/search/): each kind found by full-text search on PostgreSQL, drafts never, in both
languages, a constant number of queries, bad input answered with a message; the backend picked by the database."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from smartcity.search import CONTAINS, FULLTEXT, check_query, query_words, search_backend, site_search
from tests.evaluations.factories import EvaluationFactory, LegalInstrumentFactory
from tests.partnerships.factories import MoUFactory, PartnerFactory
from tests.pillars.factories import DigitalServiceFactory, IndicatorFactory, ProgramFactory

pytestmark = pytest.mark.django_db

SEARCH = {"id": "/cari/", "en": "/en/search/"}


def groups_of(query, **kwargs) -> dict[str, list[str]]:
    return {group.kind.key: [hit.title for hit in group.hits] for group in site_search(query, **kwargs)}


def page(client, query, language="id"):
    return client.get(SEARCH[language], {"q": query})


def test_the_backend_is_fulltext_on_postgresql_and_contains_elsewhere():
    assert search_backend("postgresql") == FULLTEXT
    assert search_backend("sqlite") == CONTAINS
    assert search_backend("mysql") == CONTAINS
    assert search_backend() == FULLTEXT  # the tests' database


def test_query_words_keep_letters_and_digits_only():
    assert query_words("Wi-Fi  'kota' & | ! :* 13.71") == ["Wi", "Fi", "kota", "13", "71"]
    assert query_words("pendidikan") == ["pendidikan"]
    assert len(query_words("kata " * 50)) == 10


@pytest.mark.parametrize(
    ("kind", "make", "query"),
    [
        ("programs", lambda: ProgramFactory(title_ind="Jaringan sensor banjir"), "sensor banjir"),
        ("indicators", lambda: IndicatorFactory(name_ind="Cakupan sensor banjir"), "sensor"),
        ("services", lambda: DigitalServiceFactory(name="Lapor Banjir"), "banjir"),
        ("partners", lambda: PartnerFactory(name="PT Sensor Nusantara"), "sensor"),
        ("mous", lambda: MoUFactory(title_ind="Kerja sama sensor banjir"), "sensor banjir"),
        ("evaluations", lambda: EvaluationFactory(summary_ind="Sensor banjir dinilai baik"), "sensor"),
        ("regulations", lambda: LegalInstrumentFactory(title_ind="Perwako sensor banjir"), "sensor"),
    ],
)
def test_each_kind_is_found_by_fulltext_and_by_contains(kind, make, query):
    make()
    for backend in (FULLTEXT, CONTAINS):
        assert kind in groups_of(query, backend=backend), backend


def test_a_word_finds_longer_words_it_starts_and_english_finds_other_forms():
    ProgramFactory(title_ind="Peningkatan pelayanan pendidikan", title_en="Better schooling for cities")
    assert groups_of("pendidik")["programs"] == ["Peningkatan pelayanan pendidikan"]
    assert "programs" in groups_of("pelayan")
    assert "programs" in groups_of("city")  # the 'english' configuration: cities -> citi
    assert "programs" not in groups_of("city", backend=CONTAINS)  # the lists' match reads letters only
    assert groups_of("pendidikan kesehatan") == {}  # every word must match


def test_hits_are_ranked_title_first():
    ProgramFactory(title_ind="Program lain", description_ind="Menyebut drainase sekali")
    ProgramFactory(title_ind="Drainase kota", description_ind="Drainase dan drainase")
    assert groups_of("drainase")["programs"][0] == "Drainase kota"


def test_drafts_and_embargoed_rows_are_never_found_even_by_staff(client, make_user):
    ProgramFactory(title_ind="Rahasia draf", publication="draft")
    IndicatorFactory(name_ind="Rahasia indikator", approval="draft")
    DigitalServiceFactory(name="Rahasia layanan", publication="draft")
    PartnerFactory(name="Rahasia mitra", publication="draft")
    MoUFactory(title_ind="Rahasia MoU", publication="draft")
    EvaluationFactory(summary_ind="Rahasia evaluasi", publication="draft")
    LegalInstrumentFactory(title_ind="Rahasia regulasi", publication="draft")
    ProgramFactory(title_ind="Rahasia terbit")
    assert groups_of("rahasia") == {"programs": ["Rahasia terbit"]}
    client.force_login(make_user("pillars.view_program", "partnerships.view_mou", is_staff=True))
    response = page(client, "rahasia")
    assert response.status_code == 200
    assert "Rahasia terbit" in response.text and "draf" not in response.text


def test_the_page_reads_in_both_languages_and_marks_indonesian_text_on_the_english_page(client):
    ProgramFactory(title_ind="Jembatan pintar", title_en="")
    ProgramFactory(title_ind="Jembatan timbang", title_en="Smart weighbridge")
    indonesian = page(client, "jembatan")
    assert indonesian.status_code == 200 and 'lang="id"' in indonesian.text
    assert "2 hasil untuk" in indonesian.text and "Jembatan pintar" in indonesian.text
    english = page(client, "weighbridge", "en")
    assert english.status_code == 200 and "1 result for" in english.text and "Smart weighbridge" in english.text
    assert '<a href="/en/programs/program-' in english.text
    assert '<a href="/en/programs/program-' in page(client, "jembatan", "en").text
    assert re.search(r'lang="id">Jembatan pintar<', page(client, "jembatan", "en").text)


def test_a_kind_shows_a_few_hits_and_links_to_its_list_searched_the_same_way(client):
    ProgramFactory.create_batch(7, title_ind="Taman kota hijau")
    response = page(client, "taman")
    assert response.text.count("Taman kota hijau") == 5
    assert 'href="/programs/?q=taman"' in response.text and "Lihat semua 7 hasil" in response.text
    assert client.get("/programs/?q=taman").text.count("Taman kota hijau") == 7


def test_open_data_datasets_are_found_from_the_last_dump(client, settings, tmp_path):
    settings.OPEN_DATA_ROOT = str(tmp_path)
    titles = {"id": "Program smart city", "en": "Smart-city programs"}
    datasets = {"programs": {"rows": 3, "formats": ["csv"], "title": titles}, "villages": {"rows": 0, "title": {}}}
    index = {"generated_at": "2026-01-01T00:00:00+07:00", "datasets": datasets}
    (tmp_path / "index.json").write_text(json.dumps(index))
    assert groups_of("program")["datasets"] == ["Program smart city"]  # an empty dataset is not listed, nor found
    response = page(client, "programs", "en")
    assert 'href="/en/open-data/programs/"' in response.text and "Smart-city programs" in response.text


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("", 200, "Ketik satu kata atau lebih"),
        ("   ", 200, "Ketik satu kata atau lebih"),
        ("'&|!:*()", 400, "Ketik satu kata atau lebih"),
        ("a" * 201, 400, "Pencarian terlalu panjang"),
        ("kota\x00", 200, "Tidak ada data publik"),
        ("ﷺ ١٣ 𝒜", 200, "Tidak ada data publik"),
    ],
)
def test_bad_input_gets_a_message_not_an_error(client, query, status, message):
    response = page(client, query)
    assert response.status_code == status and message in response.text


def test_check_query_limits():
    assert check_query("a" * 200) is None
    assert check_query("a" * 201) is not None
    assert check_query("--") is not None


def test_the_header_search_box_is_a_plain_form_to_the_page_in_the_language(client):
    assert 'action="/cari/"' in client.get("/").text
    assert 'action="/en/search/"' in client.get("/en/").text
    assert client.get("/search/").status_code == 404  # the Indonesian page is /cari/
    assert 'hreflang="en"' in page(client, "kota").text and 'href="/en/search/?q=kota"' in page(client, "kota").text


def world(size: int) -> None:
    ProgramFactory.create_batch(size, title_ind="Kota hijau")
    IndicatorFactory.create_batch(size, name_ind="Kota hijau indikator")
    DigitalServiceFactory.create_batch(size, name="Kota hijau app")
    PartnerFactory.create_batch(size, description_ind="Kota hijau")
    for _ in range(size):
        MoUFactory(title_ind="Kota hijau MoU")
    LegalInstrumentFactory.create_batch(size, title_ind="Kota hijau perwako")
    EvaluationFactory(summary_ind="Kota hijau")


def count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200 and "Kota hijau" in response.text
    return len(context)


@pytest.mark.parametrize("language", list(SEARCH))
def test_the_query_count_is_the_same_for_a_small_and_a_large_world(client, language):
    world(1)
    small = count(client, f"{SEARCH[language]}?q=kota+hijau")
    world(30)
    assert count(client, f"{SEARCH[language]}?q=kota+hijau") == small
    assert small <= 8  # one per kind, at most

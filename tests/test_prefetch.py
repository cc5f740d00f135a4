"""Many-to-many relations read in one `values()` query on the through table, and reverse foreign keys prefetched with
a queryset of their own (a program's indicator links, as the caller may see them) in one `values_list()` query
(smartcity.prefetch, issue 27): the same answers, byte for byte, as Django's own prefetch, in no more queries; a
prefetched relation still filters as the related manager does, narrowed as the prefetch narrowed it."""

import pickle

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext

from partnerships.models import Partner
from pillars.choices import LinkRole
from pillars.models import Agency, District, Program, ProgramIndicator, SubDimension
from smartcity import prefetch
from tests.pillars.factories import (
    AgencyFactory,
    DistrictFactory,
    IndicatorFactory,
    ProgramFactory,
    ProgramIndicatorFactory,
    SubDimensionFactory,
)

pytestmark = pytest.mark.django_db

PROGRAMS = "/api/v1/programs/?limit=50"


@pytest.fixture
def portfolio():
    """Programs sharing and not sharing related rows, one with none, one hidden (a draft)."""
    subs = SubDimension.objects.all()[:4] or SubDimensionFactory.create_batch(4)
    agencies = AgencyFactory.create_batch(4)
    districts = [DistrictFactory() for _ in range(3)]
    programs = ProgramFactory.create_batch(6)
    ProgramFactory(publication="draft").districts.set(districts)
    for n, program in enumerate(programs[:-1]):
        program.sub_dimensions.set(subs[n % 3 : n % 3 + 2])
        program.supporting_agencies.set(agencies[: n % 4 + 1][::-1])
        program.districts.set(districts[n % 2 :])
    _link(programs)
    return programs


def _link(programs):
    """Indicator links: to published indicators (as outcome and output, names out of key order), to a draft and to
    an unapproved indicator (only staff see those), and a link of a draft program."""
    shown = [IndicatorFactory(name_ind=name) for name in ("Warga daring", "Akses internet", "Kelurahan terhubung")]
    hidden = [IndicatorFactory(publication="draft"), IndicatorFactory(approval="draft")]
    for n, program in enumerate(programs[:-1]):
        for m, indicator in enumerate(shown[: n % 3 + 1]):
            role = LinkRole.OUTPUT if (n + m) % 2 else LinkRole.OUTCOME
            ProgramIndicatorFactory(program=program, indicator=indicator, role=role)
        ProgramIndicatorFactory(program=program, indicator=hidden[n % 2])
    draft = Program.objects.get(publication="draft")
    ProgramIndicatorFactory(program=draft, indicator=shown[0])


def _both(fetch, monkeypatch):
    """`fetch()` with Django's own prefetch, then with smartcity.prefetch's, and the queries each ran."""
    answers = []
    for enabled in (False, True):
        monkeypatch.setattr(prefetch, "ENABLED", enabled)
        with CaptureQueriesContext(connection) as queries:
            answers.append(fetch())
        answers.append(len(queries))
    return answers


@pytest.mark.parametrize("url", [PROGRAMS, f"{PROGRAMS}&ordering=-title_ind", "/api/v1/programs/?limit=2&offset=1"])
def test_the_api_list_reads_the_same_bytes_in_as_many_queries(client, portfolio, monkeypatch, url):
    def fetch():
        response = client.get(url)
        assert response.status_code == 200
        return response.content

    plain, plain_queries, flat, flat_queries = _both(fetch, monkeypatch)
    assert flat == plain
    assert b'"districts":[{' in flat and b'"indicators":[{' in flat  # the relations are there to compare
    assert flat_queries <= plain_queries


@pytest.mark.parametrize("links", [False, True])
def test_staff_who_see_every_row_read_the_same_bytes(api_client, make_user, portfolio, monkeypatch, links):
    perms = ["pillars.view_program", "pillars.view_agency", "pillars.view_district"]
    api_client.force_authenticate(make_user(*perms, *(["pillars.view_programindicator"] if links else [])))

    def fetch():
        return api_client.get(PROGRAMS).content

    plain, _, flat, _ = _both(fetch, monkeypatch)
    assert flat == plain
    shown = sum(len(program["indicators"]) for program in api_client.get(PROGRAMS).json()["results"])
    assert shown == ProgramIndicator.objects.count() if links else 0 < shown < ProgramIndicator.objects.count()


def test_the_public_program_list_page_is_the_same(client, portfolio, monkeypatch):
    plain, _, flat, _ = _both(lambda: client.get("/programs/").content, monkeypatch)
    assert flat == plain


def test_the_pillar_page_and_the_download_read_the_same_links(client, portfolio, monkeypatch):
    """The pillar page's outcome links (a `Prefetch` to an attribute) and the CSV's indicators column."""
    pillar = portfolio[0].pillar
    Program.objects.update(pillar=pillar)
    page, _, flat_page, _ = _both(lambda: client.get(f"/pillars/{pillar.slug}/").content, monkeypatch)
    assert flat_page == page and b"Akses internet" in page

    def download():
        return b"".join(client.get("/programs/?download=csv").streaming_content)

    plain, _, flat, _ = _both(download, monkeypatch)
    assert flat == plain and b"outcome" in plain


def _links_of(programs, user=None):
    return list(Program.objects.with_indicator_links(user).filter(pk__in=[p.pk for p in programs]).order_by("pk"))


def test_the_links_read_as_django_reads_them(portfolio, make_user, monkeypatch):
    """Each link with its indicator and its program, in the prefetch's order, the visible ones only."""

    staff = make_user("pillars.view_programindicator")

    def fetch():
        rows = []
        for user in (None, staff):
            for program in _links_of(portfolio, user):
                links = program.indicator_links.all()
                rows.append([(link.pk, link.role, link.indicator.name_ind, link.program is program) for link in links])
        return rows

    plain, plain_queries, flat, flat_queries = _both(fetch, monkeypatch)
    assert flat == plain and any(len(links) > 1 for links in flat)
    assert flat_queries <= plain_queries


def test_links_prefetched_to_an_attribute_read_as_django_reads_them(portfolio, monkeypatch):
    def fetch():
        programs = Program.objects.with_indicator_links(role=LinkRole.OUTCOME, to_attr="outcomes").order_by("pk")
        return [[(link.pk, link.indicator.slug) for link in program.outcomes] for program in programs]

    plain, plain_queries, flat, flat_queries = _both(fetch, monkeypatch)
    assert flat == plain and any(flat)
    assert flat_queries == plain_queries == 2


def test_prefetched_links_filtered_further_stay_narrowed_to_the_visible_ones(portfolio):
    """A filter on the prefetched links asks the database again, with the prefetch's own conditions: a link the
    caller may not see does not come back."""
    for program in _links_of(portfolio[:-1]):  # the last one has no links
        assert isinstance(program._prefetched_objects_cache["indicator_links"], prefetch.PrefetchedRows)
        mine = {link.pk for link in program.indicator_links.all()}
        assert set(program.indicator_links.filter(pk__gt=0).values_list("pk", flat=True)) == mine
        assert program.indicator_links.count() == len(mine) < ProgramIndicator.objects.filter(program=program).count()


def test_prefetched_links_pickle_and_read_back(portfolio):
    programs = _links_of(portfolio)
    again = pickle.loads(pickle.dumps(programs))  # noqa: S301 - our own bytes
    read = [[(link.pk, link.indicator.slug) for link in p.indicator_links.all()] for p in again]
    assert read == [[(link.pk, link.indicator.slug) for link in p.indicator_links.all()] for p in programs]
    assert any(read)


def test_a_reverse_relation_reads_as_the_related_manager_orders(portfolio, monkeypatch):
    def fetch():
        return [
            (agency.pk, [program.pk for program in agency.supported_programs.all()])
            for agency in Agency.objects.prefetch_related("supported_programs").order_by("pk")
        ]

    plain, plain_queries, flat, flat_queries = _both(fetch, monkeypatch)
    assert flat == plain and any(programs for _, programs in flat)
    assert flat_queries == plain_queries == 2


def test_a_prefetched_relation_filtered_further_reads_only_its_own_rows(portfolio):
    programs = list(Program.objects.prefetch_related("districts").filter(pk__in=[p.pk for p in portfolio]))
    assert all(isinstance(p._prefetched_objects_cache["districts"], prefetch.PrefetchedRows) for p in programs)
    for program in programs:
        mine = {d.pk for d in program.districts.all()}
        assert set(program.districts.filter(pk__gt=0).values_list("pk", flat=True)) == mine
        assert program.districts.count() == len(mine)
    assert District.objects.count() > min(len(p.districts.all()) for p in programs)


def test_rows_with_prefetched_relations_pickle_and_read_back(portfolio):
    programs = list(Program.objects.prefetch_related("districts").order_by("pk"))
    again = pickle.loads(pickle.dumps(programs))  # noqa: S301 - our own bytes
    assert [[d.code for d in p.districts.all()] for p in again] == [
        [d.code for d in p.districts.all()] for p in programs
    ]
    assert any(p.districts.all() for p in again)


def test_lookups_it_cannot_read_are_left_to_django():
    assert prefetch.prefetch_many_to_many([Program()], ["districts__villages", "indicator_links", "pillar"]) == [
        "districts__villages",
        "indicator_links",
        "pillar",
    ]
    assert prefetch.prefetch_many_to_many([Partner()], []) == []
    sliced = Prefetch("indicator_links", queryset=ProgramIndicator.objects.all()[:3])
    nested = Prefetch("indicator_links", queryset=ProgramIndicator.objects.prefetch_related("indicator__targets"))
    assert prefetch.prefetch_many_to_many([Program(pk=1)], [sliced, nested]) == [sliced, nested]

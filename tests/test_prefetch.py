"""Many-to-many relations read in one `values()` query on the through table (smartcity.prefetch, issue 27): the
same answers, byte for byte, as Django's own prefetch, in no more queries; a prefetched relation still filters as
the related manager does."""

import pickle

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.models import Partner
from pillars.models import Agency, District, Program, SubDimension
from smartcity import prefetch
from tests.pillars.factories import AgencyFactory, DistrictFactory, ProgramFactory, SubDimensionFactory

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
    return programs


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
    assert b'"districts":[{' in flat  # the relations are there to compare
    assert flat_queries <= plain_queries


def test_staff_who_see_every_row_read_the_same_bytes(api_client, make_user, portfolio, monkeypatch):
    api_client.force_authenticate(make_user("pillars.view_program", "pillars.view_agency", "pillars.view_district"))

    def fetch():
        return api_client.get(PROGRAMS).content

    plain, _, flat, _ = _both(fetch, monkeypatch)
    assert flat == plain


def test_the_public_program_list_page_is_the_same(client, portfolio, monkeypatch):
    plain, _, flat, _ = _both(lambda: client.get("/programs/").content, monkeypatch)
    assert flat == plain


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

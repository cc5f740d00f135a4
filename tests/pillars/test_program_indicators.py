"""Programs linked to the indicators they move (issue 25 item 1): the link through every door (API nested in the
program and as its own endpoint, the admin's inline, the import), who may write it, what the public sees of it,
and the pages that read it."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pillars.models import Pillar, Program, ProgramIndicator
from smartcity.roles import DISKOMINFO_EDITOR, OPD_EDITOR
from tests.api import StandardApiTests, count_queries

from .factories import (
    ActivityFactory,
    AgencyFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
    MeasurementFactory,
    ProgramFactory,
    ProgramIndicatorFactory,
)

pytestmark = pytest.mark.django_db

LIST = "pillars-api:programindicator-list"


class TestProgramIndicatorApi(StandardApiTests):
    url_name, factory, public = "pillars-api:programindicator", ProgramIndicatorFactory, True
    view_perms = ("pillars.view_programindicator",)


def staff(make_user, role, *agencies, **fields):
    user = make_user(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=role))
    for agency in agencies:
        agency.members.add(user)
    return user


@pytest.fixture
def agency():
    return AgencyFactory(slug="diskominfo-a", acronym="Kominfo")


@pytest.fixture
def editor(make_user, agency):
    return staff(make_user, OPD_EDITOR, agency)


# --- the API: nested in the program, and its own endpoint ---------------------------------------------------------
def test_a_program_is_written_and_read_with_its_indicators(api_client, editor, agency):
    connected, online = IndicatorFactory(slug="kelurahan-terhubung"), IndicatorFactory(slug="aplikasi-daring")
    api_client.force_authenticate(editor)
    body = {
        "slug": "wifi-kelurahan",
        "title_ind": "Wi-Fi kelurahan",
        "pillar": Pillar.objects.get(slug="society").pk,
        "lead_agency": agency.pk,
        "first_year": 2024,
        "last_year": 2026,
        "indicators": [
            {"indicator": connected.pk, "role": "outcome", "expected_value": "104", "expected_year": 2026},
            {"indicator": online.pk, "role": "output", "note": "portal"},
        ],
    }
    response = api_client.post(reverse("pillars-api:program-list"), body)
    assert response.status_code == 201, response.data
    assert [(row["indicator"]["slug"], row["role"]) for row in response.data["indicators"]] == [
        ("kelurahan-terhubung", "outcome"),
        ("aplikasi-daring", "output"),
    ]
    assert response.data["indicators"][0]["expected_value"] == "104.00"
    program = Program.objects.get(slug="wifi-kelurahan")
    assert program.indicator_links.get(indicator=connected).history.first().history_user == editor

    # a PATCH naming the list makes it the program's links: one kept (its role changed), one dropped
    url = reverse("pillars-api:program-detail", args=["wifi-kelurahan"])
    response = api_client.patch(url, {"indicators": [{"indicator": connected.pk, "role": "output"}]})
    assert response.status_code == 200, response.data
    assert list(program.indicator_links.values_list("indicator__slug", "role", "expected_value")) == [
        ("kelurahan-terhubung", "output", 104)  # the keys a write leaves out stay as they were
    ]
    # a PATCH not naming it leaves the links alone
    assert api_client.patch(url, {"title_ind": "Wi-Fi publik"}).status_code == 200
    assert program.indicator_links.count() == 1


def test_the_same_indicator_twice_or_a_contribution_without_a_year_is_a_400_that_changes_nothing(
    api_client, editor, agency
):
    program, indicator = ProgramFactory(lead_agency=agency), IndicatorFactory()
    api_client.force_authenticate(editor)
    url = reverse("pillars-api:program-detail", args=[program.slug])
    twice = [{"indicator": indicator.pk, "role": "outcome"}, {"indicator": indicator.pk, "role": "output"}]
    response = api_client.patch(url, {"indicators": twice})
    assert response.status_code == 400 and "indicators" in response.data["errors"]
    response = api_client.post(reverse(LIST), {"program": program.pk, "indicator": indicator.pk, "expected_value": "5"})
    assert response.status_code == 400 and "expected_year" in response.data["errors"]
    assert not ProgramIndicator.objects.exists()


def test_the_link_endpoint_creates_reads_and_filters(api_client, editor, agency):
    program, indicator = ProgramFactory(lead_agency=agency, slug="bank-sampah"), IndicatorFactory(slug="sampah")
    other = ProgramIndicatorFactory()
    api_client.force_authenticate(editor)
    body = {"program": program.pk, "indicator": indicator.pk, "role": "outcome", "note": "Setoran tercatat"}
    response = api_client.post(reverse(LIST), body)
    assert response.status_code == 201, response.data
    assert response.data["program"]["slug"] == "bank-sampah" and response.data["indicator"]["slug"] == "sampah"
    for query in ("program=bank-sampah", f"program_id={program.pk}", "indicator=sampah", "role=outcome&q=setoran"):
        rows = api_client.get(f"{reverse(LIST)}?{query}").data["results"]
        assert [row["id"] for row in rows] == [response.data["id"]], query
    assert len(api_client.get(reverse(LIST)).data["results"]) == 2
    assert other.pk != response.data["id"]


def test_programs_and_indicators_filter_each_other_both_by_slug_and_id(api_client):
    linked = ProgramIndicatorFactory(program__slug="wifi", indicator__slug="terhubung")
    ProgramIndicatorFactory(program__slug="cctv", indicator__slug="tanggap")
    programs, indicators = reverse("pillars-api:program-list"), reverse("pillars-api:indicator-list")
    for query in ("indicator=terhubung", f"indicator_id={linked.indicator_id}"):
        assert [row["slug"] for row in api_client.get(f"{programs}?{query}").data["results"]] == ["wifi"]
    for query in ("program=wifi", f"program_id={linked.program_id}"):
        assert [row["slug"] for row in api_client.get(f"{indicators}?{query}").data["results"]] == ["terhubung"]


def test_the_public_sees_no_link_to_a_draft_indicator_or_program(api_client):
    program = ProgramFactory(slug="wifi")
    ProgramIndicatorFactory(program=program, indicator__slug="public-one")
    ProgramIndicatorFactory(program=program, indicator__slug="draft-one", indicator__publication="draft")
    ProgramIndicatorFactory(program=program, indicator__slug="unapproved", indicator__approval="submitted")
    # every part of the indicator's public rule, tested on the joined row (IndicatorQuerySet.published_q)
    ProgramIndicatorFactory(program=program, indicator__slug="restricted", indicator__access="terbatas")
    ProgramIndicatorFactory(
        program=program, indicator__slug="embargoed", indicator__publish_from=timezone.now() + timedelta(days=1)
    )
    ProgramIndicatorFactory(program__publication="draft", indicator__slug="of-a-draft-program")
    data = api_client.get(reverse("pillars-api:program-detail", args=["wifi"])).data
    assert [row["indicator"]["slug"] for row in data["indicators"]] == ["public-one"]
    rows = api_client.get(reverse(LIST)).data["results"]
    assert [row["indicator"]["slug"] for row in rows] == ["public-one"]
    # a draft's slug answers like an unknown one
    response = api_client.get(reverse("pillars-api:program-list") + "?indicator=draft-one")
    assert response.status_code == 400


def test_an_indicator_the_writer_may_not_see_is_refused_like_a_missing_one(api_client, make_user, agency):
    user = make_user("pillars.add_programindicator", "pillars.view_program", "pillars.manage_all_agencies")
    hidden = IndicatorFactory(publication="draft")
    api_client.force_authenticate(user)
    response = api_client.post(reverse(LIST), {"program": ProgramFactory().pk, "indicator": hidden.pk})
    assert response.status_code == 400 and "indicator" in response.data["errors"]
    assert not ProgramIndicator.objects.exists()


def test_an_opd_editor_links_only_their_own_agencys_programs(api_client, editor, agency):
    own, other = ProgramFactory(lead_agency=agency), ProgramFactory()
    indicator = IndicatorFactory()  # another agency's indicator: any visible one may be linked
    api_client.force_authenticate(editor)
    assert api_client.post(reverse(LIST), {"program": own.pk, "indicator": indicator.pk}).status_code == 201
    assert api_client.post(reverse(LIST), {"program": other.pk, "indicator": indicator.pk}).status_code == 403
    link = ProgramIndicatorFactory(program=other)
    url = reverse("pillars-api:programindicator-detail", args=[link.pk])
    assert api_client.patch(url, {"program": own.pk}).status_code in (403, 404)  # not theirs as it stands
    nested = reverse("pillars-api:program-detail", args=[other.slug])
    assert api_client.patch(nested, {"indicators": []}).status_code == 403
    assert list(ProgramIndicator.objects.values_list("program", flat=True).order_by("pk")) == [own.pk, other.pk]


def test_program_list_query_count_is_constant_with_many_links(api_client, make_user, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    staff_user = make_user("pillars.view_program", "pillars.view_programindicator")
    url = reverse("pillars-api:program-list")

    def measure():
        counts = []
        for user in (staff_user, None):
            api_client.force_authenticate(user)
            count_queries(api_client, url)  # warm: the first call of a user loads its permissions
            counts.append(count_queries(api_client, url))
        return counts

    ProgramIndicatorFactory()
    one = measure()
    for program in ProgramFactory.create_batch(5):
        ProgramIndicatorFactory.create_batch(3, program=program)
    assert measure() == one


# --- the admin: the inline on the program's form, the list on the indicator's ----------------------------------------
def inline_form(program, **rows) -> dict:
    data = {
        "slug": program.slug,
        "title_ind": program.title_ind,
        "pillar": program.pillar_id,
        "lead_agency": program.lead_agency_id,
        "horizon": program.horizon,
        "stage": program.stage,
        "progress": program.progress,
        "first_year": program.first_year,
        "last_year": program.last_year,
        "publication": program.publication,
        "milestones-TOTAL_FORMS": 0,
        "milestones-INITIAL_FORMS": 0,
        "budget_lines-TOTAL_FORMS": 0,
        "budget_lines-INITIAL_FORMS": 0,
        "indicator_links-TOTAL_FORMS": 1,
        "indicator_links-INITIAL_FORMS": 0,
    }
    return data | {f"indicator_links-0-{name}": value for name, value in rows.items()}


def test_the_admin_links_indicators_through_the_writer(client, editor, agency):
    program = ProgramFactory(lead_agency=agency)
    indicator = IndicatorFactory(name_ind="Kelurahan terhubung", owner_agency=agency)
    client.force_login(editor)
    url = reverse("admin:pillars_program_change", args=[program.pk])
    page = client.get(url).content.decode()
    assert "Kelurahan terhubung" in page  # the inline's choices
    response = client.post(url, inline_form(program, indicator=indicator.pk, role="outcome", note="Wi-Fi"))
    assert response.status_code == 302, response.context["errors"] if response.context else response
    link = ProgramIndicator.objects.get()
    assert (link.indicator, link.role, link.history.first().history_user) == (indicator, "outcome", editor)
    # the indicator's form lists the program that moves it
    indicator_page = client.get(reverse("admin:pillars_indicator_change", args=[indicator.pk])).content.decode()
    assert program.title_ind in indicator_page


def test_the_admin_inline_offers_only_visible_indicators_and_refuses_a_hidden_one(client, make_user):
    user = make_user(
        "pillars.view_program",
        "pillars.change_program",
        "pillars.add_programindicator",
        "pillars.view_programindicator",
        "pillars.manage_all_agencies",
        is_staff=True,
    )
    program = ProgramFactory()
    hidden = IndicatorFactory(publication="draft", name_ind="Indikator rahasia")
    client.force_login(user)
    url = reverse("admin:pillars_program_change", args=[program.pk])
    assert "Indikator rahasia" not in client.get(url).content.decode()
    response = client.post(url, inline_form(program, indicator=hidden.pk, role="outcome"))
    assert response.status_code == 200  # the form again, with the error
    assert not ProgramIndicator.objects.exists()


def test_the_programs_admin_form_shows_its_activities(client, make_user):
    user = staff(make_user, DISKOMINFO_EDITOR)
    activity = ActivityFactory(title_ind="Pemasangan titik Wi-Fi")
    client.force_login(user)
    page = client.get(reverse("admin:pillars_program_change", args=[activity.program_id])).content.decode()
    assert "Pemasangan titik Wi-Fi" in page
    assert reverse("admin:pillars_activity_change", args=[activity.pk]) in page


# --- the import: the `indicators` column -----------------------------------------------------------------------------
HEADER = "slug,title_ind,pillar,lead_agency,horizon,stage,progress,first_year,last_year,publication,indicators\n"
ROW = "{slug},Program {slug},society,{agency},short,planned,0,2024,2025,published,{links}\n"


@pytest.fixture
def importer(make_user):
    user = make_user(username="importer")
    user.groups.add(Group.objects.get(name=DISKOMINFO_EDITOR))
    return user


def test_the_import_writes_links_and_the_export_carries_them(tmp_path, importer, agency):
    IndicatorFactory(slug="terhubung"), IndicatorFactory(slug="daring")
    path = tmp_path / "programs.csv"
    path.write_text(HEADER + ROW.format(slug="wifi", agency=agency.slug, links="terhubung:outcome|daring:output"))
    call_command("import_records", "programs", str(path), "--user", "importer", verbosity=0)
    program = Program.objects.get(slug="wifi")
    assert sorted(program.indicator_links.values_list("indicator__slug", "role")) == [
        ("daring", "output"),
        ("terhubung", "outcome"),
    ]
    from pillars.resources import ProgramResource

    exported = ProgramResource().export(queryset=Program.objects.with_indicator_links(importer))
    assert exported.dict[0]["indicators"] == "terhubung:outcome|daring:output"  # outcomes first
    # a file changing only the links is not "unchanged"
    path.write_text(HEADER + ROW.format(slug="wifi", agency=agency.slug, links="terhubung:output"))
    call_command("import_records", "programs", str(path), "--user", "importer", verbosity=0)
    assert list(program.indicator_links.values_list("indicator__slug", "role")) == [("terhubung", "output")]


@pytest.mark.parametrize("links", ["no-such-indicator:outcome", "terhubung:impact"])
def test_a_bad_indicator_slug_or_role_refuses_the_whole_file(tmp_path, importer, agency, links):
    IndicatorFactory(slug="terhubung")
    path = tmp_path / "programs.csv"
    good = ROW.format(slug="wifi", agency=agency.slug, links="terhubung:outcome")
    path.write_text(HEADER + good + ROW.format(slug="cctv", agency=agency.slug, links=links))
    with pytest.raises(CommandError, match="row 2"):
        call_command("import_records", "programs", str(path), "--user", "importer", verbosity=0)
    assert not Program.objects.exists() and not ProgramIndicator.objects.exists()


# --- the pages --------------------------------------------------------------------------------------------------------
def test_the_indicator_page_lists_the_public_programs_that_move_it(client):
    indicator = IndicatorFactory(slug="terhubung")
    ProgramIndicatorFactory(indicator=indicator, program__title_ind="Wi-Fi kelurahan", program__progress=40)
    ProgramIndicatorFactory(indicator=indicator, program__title_ind="Program rahasia", program__publication="draft")
    page = client.get(reverse("pillars:indicator-detail", args=["terhubung"])).content.decode()
    assert "Wi-Fi kelurahan" in page and "Program rahasia" not in page
    assert 'data-label="Kemajuan"' in page  # each cell names its column on a phone


def test_the_program_page_shows_its_public_indicators_with_standing_and_latest_value(client):
    program = ProgramFactory(slug="wifi")
    indicator = IndicatorFactory(name_ind="Kelurahan terhubung", unit="kelurahan")
    IndicatorTargetFactory(indicator=indicator, year=2024, value=100)
    MeasurementFactory(indicator=indicator, measured_on="2024-12-31", value=95)
    ProgramIndicatorFactory(program=program, indicator=indicator, role="outcome")
    ProgramIndicatorFactory(program=program, indicator__name_ind="Indikator draf", indicator__publication="draft")
    page = client.get(reverse("pillars:program-detail", args=["wifi"])).content.decode()
    assert "Kelurahan terhubung" in page and "Indikator draf" not in page
    assert "standing-at_risk" in page and "95" in page


def test_the_pillar_page_names_each_programs_outcome_indicators(client):
    ProgramIndicatorFactory(
        program__pillar=Pillar.objects.get(slug="society"), indicator__name_ind="Kelurahan terhubung", role="outcome"
    )
    page = client.get(reverse("pillars:pillar-detail", args=["society"])).content.decode()
    assert "Kelurahan terhubung" in page


def queries_of(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_the_pages_query_counts_do_not_grow_with_the_links(client, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    program, indicator = ProgramFactory(slug="wifi", pillar=Pillar.objects.get(slug="society")), IndicatorFactory()
    ProgramIndicatorFactory(program=program, indicator=indicator)
    urls = [
        reverse("pillars:program-detail", args=["wifi"]),
        reverse("pillars:indicator-detail", args=[indicator.slug]),
        reverse("pillars:pillar-detail", args=["society"]),
    ]
    before = [queries_of(client, url) for url in urls]
    for _ in range(4):
        ProgramIndicatorFactory(program=program)
        ProgramIndicatorFactory(indicator=indicator, program__pillar=Pillar.objects.get(slug="society"))
    assert [queries_of(client, url) for url in urls] == before


# --- open data and the demo city ---------------------------------------------------------------------------------
def test_the_link_table_is_an_open_data_dataset_of_public_links_only():
    from smartcity.opendata import dataset_rows, public_list_views

    ProgramIndicatorFactory(indicator__slug="public-one")
    ProgramIndicatorFactory(indicator__slug="draft-one", indicator__publication="draft")
    rows, _export = dataset_rows(public_list_views()["program-indicators"])
    assert [row["indicator"]["slug"] for row in rows] == ["public-one"]


def test_the_demo_links_each_program_to_the_indicators_it_moves():
    call_command("load_demo", verbosity=0)
    wifi = Program.objects.get(slug="wifi-kelurahan")
    assert list(wifi.indicator_links.values_list("indicator__slug", "role")) == [("kelurahan-terhubung", "outcome")]
    assert not Program.objects.filter(indicator_links__isnull=True).exists()
    assert ProgramIndicator.objects.public().count() == ProgramIndicator.objects.count()


@pytest.mark.parametrize(
    "links",
    [
        "not a list",
        [1],
        [{"indicator": "abc"}],
        [{"indicator": 10**30}],
        [{"role": "outcome"}],
        [{"indicator": "{id}", "role": "impact"}],
        [{"indicator": "{id}", "expected_year": 100000, "expected_value": "1"}],
        [{"indicator": "{id}", "expected_year": 2026, "expected_value": "1e30"}],
        [{"indicator": "{id}", "note": "x" * 201}],
    ],
)
def test_bad_nested_links_are_a_400_that_changes_nothing(api_client, editor, agency, links):
    program, indicator = ProgramFactory(lead_agency=agency), IndicatorFactory()
    if isinstance(links, list):
        links = [
            {key: indicator.pk if value == "{id}" else value for key, value in link.items()}
            if isinstance(link, dict)
            else link
            for link in links
        ]
    api_client.force_authenticate(editor)
    url = reverse("pillars-api:program-detail", args=[program.slug])
    response = api_client.patch(url, {"indicators": links}, format="json")
    assert response.status_code == 400, response.data
    assert not ProgramIndicator.objects.exists()

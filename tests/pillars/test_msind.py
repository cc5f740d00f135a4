"""Satu Data Indonesia's indicator metadata (MS-Ind, Peraturan BPS 5/2020) complete: the presentation breakdown
required for approval, composite indicators with their building blocks, the access classification, and an
approved indicator whose metadata changes going back to the walidata, off every public surface until approved."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from rdflib import Graph
from rdflib.namespace import DCTERMS

from pillars import services
from pillars.models import Indicator
from smartcity.opendata import open_data_build
from smartcity.roles import DISKOMINFO_EDITOR, OPD_EDITOR
from tests.factories import UserFactory

from .factories import AgencyFactory, IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db


def role(name, agency=None, email=""):
    user = UserFactory(is_staff=True, email=email)
    user.groups.add(Group.objects.get(name=name))
    if agency is not None:
        agency.members.add(user)
    return user


def detail(indicator):
    return reverse("pillars-api:indicator-detail", args=[indicator.slug])


@pytest.fixture
def eager_tasks():
    """Run the tasks a write enqueues in the test's process (the suite's broker is a real Redis without a worker)."""
    from smartcity.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def public_surfaces(api_client, client, slug: str, settings, tmp_path) -> dict[str, bool]:
    """Whether the indicator's slug shows on each public surface, read anonymously."""
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"
    api_client.force_authenticate(None)
    open_data_build()
    dumped = (tmp_path / "open-data" / "indicators.json").read_text()
    return {
        "page": client.get(f"/indicators/{slug}/").status_code == 200,
        "list": slug in client.get("/indicators/").content.decode(),
        "api": api_client.get(reverse("pillars-api:indicator-list")).content.decode().count(f'"{slug}"') > 0,
        "download": slug in b"".join(client.get("/indicators/?download=csv").streaming_content).decode(),
        "open data": slug in dumped,
        "catalogue": catalogue_rows(client, "indicators") > 0,  # the only indicator of the test
    }


def catalogue_rows(client, dataset: str) -> int:
    """How many times the DCAT catalogue lists the dataset: a dataset without public rows is left out of it."""
    graph = Graph().parse(data=client.get(reverse("open-data-catalogue-turtle")).content.decode(), format="turtle")
    return sum(
        1 for s in graph.subjects(DCTERMS.identifier, None) if str(graph.value(s, DCTERMS.identifier)) == dataset
    )


def test_a_producers_patch_of_an_approved_indicators_unit_sends_it_back_and_off_every_public_surface(
    api_client, client, settings, tmp_path, mailoutbox, django_capture_on_commit_callbacks, eager_tasks
):
    agency = AgencyFactory()
    indicator = IndicatorFactory(slug="kembali-ke-walidata", owner_agency=agency, unit="%")
    MeasurementFactory(indicator=indicator)
    walidata = role(DISKOMINFO_EDITOR, email="walidata@padang.go.id")
    producer = role(OPD_EDITOR, agency, email="produsen@padang.go.id")
    assert all(public_surfaces(api_client, client, indicator.slug, settings, tmp_path).values())

    api_client.force_authenticate(producer)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.patch(detail(indicator), {"unit": "poin"}, format="json")
    assert response.status_code == 200
    assert (response.data["unit"], response.data["approval"], response.data["approved_at"]) == (
        "poin",
        "submitted",
        None,
    )
    assert producer.username in response.data["approval_note"]  # shown on its admin page too (read-only field)
    assert not any(public_surfaces(api_client, client, indicator.slug, settings, tmp_path).values())

    [mail] = mailoutbox
    assert set(mail.to) == {"walidata@padang.go.id", "produsen@padang.go.id"}
    assert indicator.name_ind in mail.subject and "satuan" in mail.body.lower()  # the field changed, in Indonesian

    api_client.force_authenticate(walidata)
    response = api_client.post(reverse("pillars-api:indicator-approve", args=[indicator.slug]), format="json")
    assert response.status_code == 200 and response.data["approval"] == "approved"
    assert all(public_surfaces(api_client, client, indicator.slug, settings, tmp_path).values())


def test_the_admin_change_page_shows_why_the_indicator_awaits_approval_again(
    django_capture_on_commit_callbacks, eager_tasks
):
    agency = AgencyFactory()
    indicator = IndicatorFactory(owner_agency=agency)
    producer = role(OPD_EDITOR, agency)
    with django_capture_on_commit_callbacks(execute=True):
        services.INDICATOR.update(instance=indicator, data={"definition": "Definisi baru"}, actor=producer)
    staff = Client()
    staff.force_login(producer)
    page = staff.get(reverse("admin:pillars_indicator_change", args=[indicator.pk])).content.decode()
    assert "Definisi baru" in page and producer.username in page and "walidata" in page


def test_a_change_outside_the_metadata_or_to_an_unapproved_indicator_keeps_the_approval(
    mailoutbox, django_capture_on_commit_callbacks, eager_tasks
):
    agency = AgencyFactory()
    approved = IndicatorFactory(owner_agency=agency)
    draft = IndicatorFactory(owner_agency=agency, approval="draft", publication="draft")
    producer = role(OPD_EDITOR, agency, email="produsen@padang.go.id")
    with django_capture_on_commit_callbacks(execute=True):
        services.INDICATOR.update(instance=approved, data={"data_source": "BPS", "baseline_value": 3}, actor=producer)
        services.INDICATOR.update(instance=draft, data={"unit": "poin"}, actor=producer)
    assert Indicator.objects.get(pk=approved.pk).approval == "approved"
    assert Indicator.objects.get(pk=draft.pk).approval == "draft"
    assert mailoutbox == []


def test_the_import_follows_the_same_rule(django_capture_on_commit_callbacks, eager_tasks):
    from tablib import Dataset

    from pillars.resources import IndicatorResource

    agency = AgencyFactory()
    indicator = IndicatorFactory(owner_agency=agency)
    producer = role(OPD_EDITOR, agency)
    exported = IndicatorResource().export(queryset=Indicator.objects.filter(pk=indicator.pk))
    rows = Dataset().load(exported.csv, format="csv")
    changed = "Menurut jenis kelamin"
    rows[0] = tuple(changed if h == "breakdown" else v for h, v in zip(rows.headers, rows[0], strict=True))
    with django_capture_on_commit_callbacks(execute=True):
        result = IndicatorResource(actor=producer).import_data(rows, dry_run=False, user=producer)
    assert not result.has_errors() and not result.has_validation_errors()
    saved = Indicator.objects.get(pk=indicator.pk)
    assert (saved.breakdown, saved.approval) == (changed, "submitted")


def test_submitting_without_the_presentation_breakdown_is_refused_with_a_field_error(api_client):
    agency = AgencyFactory()
    indicator = IndicatorFactory(owner_agency=agency, approval="draft", publication="draft", breakdown="")
    api_client.force_authenticate(role(OPD_EDITOR, agency))
    response = api_client.post(reverse("pillars-api:indicator-submit", args=[indicator.slug]), format="json")
    assert response.status_code == 400
    assert list(response.data["errors"]) == ["breakdown"]
    assert response.data["errors"]["breakdown"][0].code == "metadata_missing"
    assert Indicator.objects.get(pk=indicator.pk).approval == "draft"


def test_a_composite_indicator_lists_its_building_blocks_and_only_a_composite_does(api_client):
    agency = AgencyFactory()
    blocks = IndicatorFactory.create_batch(2, owner_agency=AgencyFactory())  # another agency's indicators may build it
    composite = IndicatorFactory(owner_agency=agency, approval="draft", publication="draft")
    api_client.force_authenticate(role(OPD_EDITOR, agency))
    ids = [block.pk for block in blocks]
    response = api_client.patch(detail(composite), {"building_blocks": ids}, format="json")
    assert response.status_code == 400 and response.data["errors"]["building_blocks"][0].code == "not_composite"
    response = api_client.patch(detail(composite), {"is_composite": True}, format="json")
    assert response.status_code == 200
    submit = reverse("pillars-api:indicator-submit", args=[composite.slug])
    response = api_client.post(submit, format="json")
    assert response.status_code == 400 and "building_blocks" in response.data["errors"]  # a composite names them
    response = api_client.patch(detail(composite), {"building_blocks": [*ids, composite.pk]}, format="json")
    assert response.status_code == 400 and response.data["errors"]["building_blocks"][0].code == "self_block"
    response = api_client.patch(detail(composite), {"building_blocks": ids}, format="json")
    assert response.status_code == 200
    assert {row["slug"] for row in response.data["building_blocks"]} == {block.slug for block in blocks}
    assert api_client.post(submit, format="json").status_code == 200
    assert set(Indicator.objects.get(pk=composite.pk).building_blocks.all()) == set(blocks)


def test_the_public_page_names_only_public_building_blocks(client):
    shown, hidden = (
        IndicatorFactory(name_ind="Blok terbuka"),
        IndicatorFactory(name_ind="Blok tertutup", access="tertutup"),
    )
    composite = IndicatorFactory(is_composite=True)
    composite.building_blocks.set([shown, hidden])
    page = client.get(f"/indicators/{composite.slug}/").content.decode()
    assert "Blok terbuka" in page and "Blok tertutup" not in page


def test_an_approved_indicator_changing_its_building_blocks_goes_back_to_the_walidata(api_client):
    agency = AgencyFactory()
    composite = IndicatorFactory(owner_agency=agency, is_composite=True)
    composite.building_blocks.set([IndicatorFactory()])
    api_client.force_authenticate(role(OPD_EDITOR, agency))
    same = [block.pk for block in composite.building_blocks.all()]
    assert api_client.patch(detail(composite), {"building_blocks": same}, format="json").data["approval"] == "approved"
    more = [*same, IndicatorFactory().pk]
    assert api_client.patch(detail(composite), {"building_blocks": more}, format="json").data["approval"] == "submitted"


@pytest.mark.parametrize(("access", "public"), [("terbuka", True), ("terbatas", False), ("tertutup", False)])
def test_only_open_indicators_are_ever_public(api_client, client, settings, tmp_path, access, public):
    indicator = IndicatorFactory(slug=f"akses-{access}", access=access)
    MeasurementFactory(indicator=indicator)
    assert Indicator.objects.public().filter(pk=indicator.pk).exists() is public
    surfaces = public_surfaces(api_client, client, indicator.slug, settings, tmp_path)
    assert set(surfaces.values()) == {public}
    api_client.force_authenticate(role(DISKOMINFO_EDITOR))
    row = api_client.get(detail(indicator)).data  # staff still read it, with MS-Ind's "dapat diakses umum"
    assert (row["access"], row["publicly_accessible"]) == (access, public)


def test_the_new_metadata_reads_in_the_api_and_on_the_page(api_client, client):
    IndicatorFactory(
        slug="lengkap",
        availability_publication="Kota Padang Dalam Angka",
        producing_activity="Survei Kepuasan Masyarakat",
        producing_activity_code="2025-13710-001",
        building_block_variables="Jumlah responden puas; jumlah responden",
        reference_code="SDI-001",
        data_list_code="DD-2026-07",
    )
    row = api_client.get(reverse("pillars-api:indicator-detail", args=["lengkap"])).data
    assert (row["producing_activity_code"], row["reference_code"], row["data_list_code"]) == (
        "2025-13710-001",
        "SDI-001",
        "DD-2026-07",
    )
    page = client.get("/indicators/lengkap/").content.decode()
    for text in ["Kota Padang Dalam Angka", "Survei Kepuasan Masyarakat", "2025-13710-001", "SDI-001", "DD-2026-07"]:
        assert text in page

"""Every door of the portfolio goes through the model's writer: the findings of the outside review, each with its
reproduction as the first assertion, and the stale-save guard through the admin and the API."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation

from pillars.models import Indicator, Measurement, Pillar, Program
from smartcity.roles import DISKOMINFO_EDITOR, OPD_EDITOR, VIEWER
from tests.pillars.factories import AgencyFactory, IndicatorFactory, ProgramFactory
from tests.snapshots import changed_tables, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies():
    return AgencyFactory(slug="dishub", acronym="Dishub"), AgencyFactory(slug="dinkes", acronym="Dinkes")


def staff(make_user, role, *agencies, **fields):
    user = make_user(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=role))
    for agency in agencies:
        agency.members.add(user)
    return user


def admin_url(name, *args):
    with translation.override("en"):
        return reverse(f"admin:pillars_program_{name}", args=args)


def form_fields(html: str) -> dict:
    """The values a browser would send back from the change form's main fields (hidden and text inputs)."""
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and 'type="checkbox"' not in tag:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def program_post(program, html, **overrides):
    data = form_fields(html)
    defaults = {
        "pillar": program.pillar_id,
        "lead_agency": program.lead_agency_id,
        "horizon": program.horizon,
        "stage": program.stage,
        "publication": program.publication,
    }
    data.update({**defaults, **overrides})
    return {key: value for key, value in data.items() if value is not None}


# --- history ----------------------------------------------------------------------------------------------------
def test_opd_editor_cannot_reach_another_agencys_history_nor_revert_it(client, make_user, agencies):
    dishub, dinkes = agencies
    theirs = ProgramFactory(title_ind="Antrean Dinkes", lead_agency=dinkes)
    version = theirs.history.first().history_id
    client.force_login(staff(make_user, OPD_EDITOR, dishub))
    assert client.get(admin_url("history", theirs.pk)).status_code == 404  # was 200
    revert = admin_url("simple_history", theirs.pk, version)
    assert client.get(revert).status_code == 404
    before = snapshot(theirs)
    response = client.post(revert, {"title_ind": "Diambil", "lead_agency": dishub.pk, "slug": theirs.slug})
    assert response.status_code == 404
    assert changed_tables(before, snapshot(theirs)) == set() and snapshot(theirs)[1] == before[1]


def test_a_revert_runs_the_agency_rule_on_the_version_it_would_restore(client, make_user, agencies):
    dishub, dinkes = agencies
    program = ProgramFactory(title_ind="Dulu milik Dinkes", lead_agency=dinkes)
    old_version = program.history.first().history_id
    program.lead_agency = dishub  # Diskominfo handed it to Dishub since
    program.save()
    client.force_login(staff(make_user, OPD_EDITOR, dishub))
    url = admin_url("simple_history", program.pk, old_version)
    page = client.get(url)
    assert page.status_code == 200
    before = snapshot(program)
    response = client.post(url, program_post(program, page.content.decode(), lead_agency=dinkes.pk))
    assert response.status_code == 200 and response.context["adminform"].form.errors
    assert snapshot(program)[1] == before[1] and changed_tables(before, snapshot(program)) == set()


def test_a_viewer_cannot_revert_through_the_history_form(client, make_user, agencies):
    program = ProgramFactory(title_ind="Asli", lead_agency=agencies[0])
    version = program.history.first().history_id
    client.force_login(staff(make_user, VIEWER))
    url = admin_url("simple_history", program.pk, version)
    page = client.get(url)
    assert page.status_code == 200  # a viewer may read the history
    before = snapshot(program)
    response = client.post(url, program_post(program, page.content.decode(), title_ind="Diubah"))
    assert response.status_code == 403
    assert snapshot(program)[1] == before[1]


def test_a_revert_by_the_owner_goes_through_the_writer_and_is_recorded(client, make_user, agencies):
    dishub, _ = agencies
    program = ProgramFactory(title_ind="Judul lama", lead_agency=dishub)
    old_version = program.history.first().history_id
    program.title_ind = "Judul baru"
    program.save()
    editor = staff(make_user, OPD_EDITOR, dishub)
    client.force_login(editor)
    url = admin_url("simple_history", program.pk, old_version)
    page = client.get(url).content.decode()
    response = client.post(url, program_post(program, page, title_ind="Judul lama"))
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.title_ind == "Judul lama" and program.history.first().history_user == editor


# --- import -------------------------------------------------------------------------------------------------------
IMPORT_HEADER = "slug,title_ind,pillar,lead_agency,horizon,stage,progress,first_year,last_year,publication\n"


def import_csv(client, text):
    upload = SimpleUploadedFile("programs.csv", text.encode(), content_type="text/csv")
    return client.post(admin_url("import"), {"import_file": upload, "format": "0"})


def test_an_import_cannot_move_another_agencys_program_into_ones_own(client, make_user, agencies):
    dishub, dinkes = agencies
    theirs = ProgramFactory(
        slug="antrean", title_ind="Antrean", lead_agency=dinkes, pillar=Pillar.objects.get(slug="living")
    )
    client.force_login(staff(make_user, OPD_EDITOR, dishub))
    before = snapshot(theirs)
    row = "antrean,Diambil,living,dishub,short,planned,0,2024,2025,published\n"
    response = import_csv(client, IMPORT_HEADER + row)
    html = response.content.decode()
    assert response.status_code == 200 and 'name="import_file_name"' not in html  # no confirm form: the row is refused
    assert "own agency" in html
    assert snapshot(theirs)[1] == before[1] and changed_tables(before, snapshot(theirs)) == set()


def test_an_import_of_ones_own_program_is_written_with_history(client, make_user, agencies):
    dishub, _ = agencies
    mine = ProgramFactory(
        slug="parkir", title_ind="Parkir", lead_agency=dishub, pillar=Pillar.objects.get(slug="living")
    )
    editor = staff(make_user, OPD_EDITOR, dishub)
    client.force_login(editor)
    row = "parkir,Parkir elektronik,living,dishub,short,planned,10,2024,2025,published\n"
    html = import_csv(client, IMPORT_HEADER + row).content.decode()
    confirm = {
        name: value
        for name, value in re.findall(
            r'name="(import_file_name|original_file_name|format|resource)"\s+value="([^"]*)"', html
        )
    }
    response = client.post(admin_url("process_import"), confirm)
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.title_ind == "Parkir elektronik" and mine.history.first().history_user == editor


# --- change forms, inlines, bulk delete -------------------------------------------------------------------------
def test_a_measurement_saved_in_the_admin_refreshes_the_indicators_stale_mark(client, make_user, agencies):
    indicator = IndicatorFactory(frequency="monthly", owner_agency=agencies[0], stale_since=timezone.localdate())
    client.force_login(staff(make_user, DISKOMINFO_EDITOR))
    with translation.override("en"):
        url = reverse("admin:pillars_measurement_add")
    response = client.post(
        url, {"indicator": indicator.pk, "measured_on": timezone.localdate().isoformat(), "value": "5"}
    )
    assert response.status_code == 302 and Measurement.objects.filter(indicator=indicator).exists()
    assert Indicator.objects.get(pk=indicator.pk).stale_since is None  # was left stale


def test_bulk_delete_reaches_only_ones_own_rows_and_goes_through_the_writer(client, make_user, agencies):
    dishub, dinkes = agencies
    mine, theirs = ProgramFactory(lead_agency=dishub), ProgramFactory(lead_agency=dinkes)
    editor = staff(make_user, OPD_EDITOR, dishub)
    editor.user_permissions.add(
        *Group.objects.get(name=DISKOMINFO_EDITOR).permissions.filter(codename="delete_program")
    )
    client.force_login(editor)
    data = {"action": "delete_selected", "_selected_action": [mine.pk, theirs.pk], "post": "yes"}
    client.post(admin_url("changelist"), data)
    assert not Program.objects.filter(pk=mine.pk).exists() and Program.objects.filter(pk=theirs.pk).exists()
    assert Program.history.filter(id=mine.pk, history_type="-").get().history_user == editor


# --- stale saves ------------------------------------------------------------------------------------------------
def test_a_stale_admin_save_is_a_form_error_naming_who_changed_the_row(client, make_user, agencies):
    dishub, _ = agencies
    program = ProgramFactory(title_ind="Awal", lead_agency=dishub)
    first = staff(make_user, DISKOMINFO_EDITOR, username="rina")
    second = staff(make_user, DISKOMINFO_EDITOR, username="budi")
    client.force_login(first)
    page = client.get(admin_url("change", program.pk)).content.decode()  # rina opens the form
    client.force_login(second)
    other = client.get(admin_url("change", program.pk)).content.decode()
    assert (
        client.post(admin_url("change", program.pk), program_post(program, other, title_ind="Versi Budi")).status_code
        == 302
    )
    client.force_login(first)
    before = snapshot(program)
    response = client.post(admin_url("change", program.pk), program_post(program, page, title_ind="Versi Rina"))
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "budi" in errors
    assert snapshot(program)[1] == before[1] and Program.objects.get(pk=program.pk).title_ind == "Versi Budi"


def test_an_api_update_with_an_old_etag_is_412_and_changes_nothing(api_client, make_user, agencies):
    program = ProgramFactory(title_ind="Awal", lead_agency=agencies[0])
    api_client.force_authenticate(staff(make_user, DISKOMINFO_EDITOR))
    url = reverse("pillars-api:program-detail", args=[program.slug])
    etag = api_client.get(url)["ETag"]
    assert api_client.patch(url, {"title_en": "First"}, HTTP_IF_MATCH=etag).status_code == 200
    before = snapshot(program)
    response = api_client.patch(url, {"title_en": "Second"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 412 and response.data["code"] == "stale"
    assert snapshot(program)[1] == before[1]
    fresh = api_client.get(url)["ETag"]
    assert api_client.patch(url, {"title_en": "Second"}, HTTP_IF_MATCH=fresh).status_code == 200
    assert (
        api_client.delete(url, HTTP_IF_MATCH=etag).status_code == 412 and Program.objects.filter(pk=program.pk).exists()
    )


# --- an honest contract -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "field"),
    [({"colour": "red"}, "colour"), ({"id": 7}, "id"), ({"created_at": "2020-01-01T00:00:00Z"}, "created_at")],
)
def test_a_write_naming_an_unknown_or_read_only_field_is_a_400_naming_it(api_client, make_user, agencies, body, field):
    program = ProgramFactory(title_ind="Awal", lead_agency=agencies[0])
    api_client.force_authenticate(staff(make_user, DISKOMINFO_EDITOR))
    url = reverse("pillars-api:program-detail", args=[program.slug])
    before = snapshot(program)
    response = api_client.patch(url, {"title_en": "Changed", **body})
    assert response.status_code == 400 and field in response.data["errors"]
    assert snapshot(program)[1] == before[1]


def test_a_row_deleted_by_someone_else_since_it_was_read_is_a_404_not_a_500(make_user, agencies):
    """Two clients deleting the same measurement at once (the fuzzer found this): the later one finds it gone."""
    from pillars.services import MEASUREMENT
    from tests.pillars.factories import MeasurementFactory

    measurement = MeasurementFactory(indicator=IndicatorFactory(owner_agency=agencies[0]))
    stale_copy = Measurement.objects.get(pk=measurement.pk)  # what the second request read before the first deleted
    actor = staff(make_user, DISKOMINFO_EDITOR)
    MEASUREMENT.delete(instance=measurement, actor=actor)
    with pytest.raises(Http404):
        MEASUREMENT.delete(instance=stale_copy, actor=actor)
    with pytest.raises(Http404):
        MEASUREMENT.update(instance=stale_copy, data={"value": 3}, actor=actor)

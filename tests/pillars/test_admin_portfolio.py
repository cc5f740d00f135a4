"""The portfolio in the admin: OPD editors limited to their own agency, rules as form errors, imports."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from pillars.models import Pillar, Program
from smartcity.roles import DISKOMINFO_EDITOR, OPD_EDITOR

from .factories import AgencyFactory, ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies():
    return AgencyFactory(slug="dishub", acronym="Dishub"), AgencyFactory(slug="dinkes", acronym="Dinkes")


def staff(make_user, role, *agencies):
    user = make_user(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    for agency in agencies:
        agency.members.add(user)
    return user


def program_form(agency, **overrides):
    return {
        "slug": "parkir-elektronik",
        "title_ind": "Parkir elektronik",
        "pillar": Pillar.objects.get(slug="living").pk,
        "lead_agency": agency.pk,
        "horizon": "short",
        "stage": "planned",
        "progress": 0,
        "first_year": 2024,
        "last_year": 2025,
        "publication": "draft",
        "milestones-TOTAL_FORMS": 0,
        "milestones-INITIAL_FORMS": 0,
        "budget_lines-TOTAL_FORMS": 0,
        "budget_lines-INITIAL_FORMS": 0,
        "indicator_links-TOTAL_FORMS": 0,
        "indicator_links-INITIAL_FORMS": 0,
        **overrides,
    }


def test_opd_editor_sees_and_edits_only_their_agencys_programs(client, make_user, agencies):
    dishub, dinkes = agencies
    ProgramFactory(title_ind="Parkir Dishub", lead_agency=dishub)
    theirs = ProgramFactory(title_ind="Antrean Dinkes", lead_agency=dinkes)
    client.force_login(staff(make_user, OPD_EDITOR, dishub))
    changelist = client.get(reverse("admin:pillars_program_changelist")).content.decode()
    assert "Parkir Dishub" in changelist and "Antrean Dinkes" not in changelist
    response = client.get(reverse("admin:pillars_program_change", args=[theirs.pk]))
    assert response.status_code == 302  # "not found or deleted": back to the list


def test_opd_editor_cannot_create_a_program_for_another_agency(client, make_user, agencies):
    dishub, dinkes = agencies
    client.force_login(staff(make_user, OPD_EDITOR, dishub))
    response = client.post(reverse("admin:pillars_program_add"), program_form(dinkes))
    assert response.status_code == 200 and "lead_agency" in response.context["adminform"].form.errors
    assert not Program.objects.exists()
    response = client.post(reverse("admin:pillars_program_add"), program_form(dishub))
    assert response.status_code == 302 and Program.objects.get().lead_agency == dishub


def test_sub_dimension_of_another_pillar_is_a_form_error(client, make_user, agencies):
    client.force_login(staff(make_user, DISKOMINFO_EDITOR))
    tourism = Pillar.objects.get(slug="branding").sub_dimensions.get(slug="tourism")
    response = client.post(reverse("admin:pillars_program_add"), program_form(agencies[0], sub_dimensions=[tourism.pk]))
    assert response.status_code == 200
    assert "sub_dimensions" in response.context["adminform"].form.errors
    assert not Program.objects.exists()


CSV_HEADER = (
    "slug,title_ind,pillar,sub_dimensions,lead_agency,horizon,stage,progress,first_year,last_year,publication\n"
)


def import_csv(client, text: str):
    upload = SimpleUploadedFile("programs.csv", text.encode(), content_type="text/csv")
    with translation.override("en"):  # the English admin, so the tests can read its messages
        url = reverse("admin:pillars_program_import")
    return client.post(url, {"import_file": upload, "format": "0"})


def test_import_with_a_bad_row_reports_it_and_imports_nothing(client, make_user, agencies):
    client.force_login(staff(make_user, DISKOMINFO_EDITOR))
    rows = CSV_HEADER + (
        "parkir,Parkir elektronik,living,mobility,dishub,short,planned,0,2024,2025,published\n"
        "sampah,Bank sampah,environment,waste,dinkes,short,planned,140,2024,2025,published\n"  # progress > 100
        "wisata,Wisata,economy,tourism,dinkes,short,planned,0,2024,2025,published\n"  # tourism is Smart Branding's
    )
    response = import_csv(client, rows)
    html = response.content.decode()
    assert response.status_code == 200 and 'name="import_file_name"' not in html  # no confirm form offered
    assert "100" in html and "another pillar" in html  # both row errors are reported
    assert not Program.objects.exists()


def test_clean_import_is_confirmed_then_saved_with_history(client, make_user, agencies):
    user = staff(make_user, DISKOMINFO_EDITOR)
    client.force_login(user)
    rows = CSV_HEADER + "parkir,Parkir elektronik,living,mobility,dishub,short,planned,0,2024,2025,published\n"
    response = import_csv(client, rows)
    assert response.status_code == 200 and not Program.objects.exists()  # the dry run saves nothing
    confirm = {
        name: re.search(rf'name="{name}" value="([^"]*)"', response.content.decode()).group(1)
        for name in ("import_file_name", "original_file_name", "format")
    }
    response = client.post(reverse("admin:pillars_program_process_import"), confirm)
    assert response.status_code == 302
    program = Program.objects.get(slug="parkir")
    assert program.lead_agency.slug == "dishub" and [s.slug for s in program.sub_dimensions.all()] == ["mobility"]
    assert program.history.first().history_user == user


def test_opd_editor_import_for_another_agency_is_refused(client, make_user, agencies):
    dishub, _ = agencies
    client.force_login(staff(make_user, OPD_EDITOR, dishub))
    rows = CSV_HEADER + "x,Program Dinkes,living,health,dinkes,short,planned,0,2024,2025,draft\n"
    html = import_csv(client, rows).content.decode()
    assert "your own agency" in html
    assert not Program.objects.exists()


def test_export_as_xlsx(client, make_user):
    ProgramFactory(title_ind="Wi-Fi publik")
    client.force_login(staff(make_user, DISKOMINFO_EDITOR))
    fields = {f"programresource_{name}": "on" for name in ("slug", "title_ind", "pillar")}
    response = client.post(reverse("admin:pillars_program_export"), {"format": "1", **fields})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"  # a zip container, as every XLSX is


def test_read_only_roles_see_every_agencys_programs(client, make_user, agencies):
    from smartcity.roles import VIEWER

    dishub, dinkes = agencies
    ProgramFactory(title_ind="Parkir Dishub", lead_agency=dishub)
    ProgramFactory(title_ind="Antrean Dinkes", lead_agency=dinkes)
    client.force_login(staff(make_user, VIEWER))
    changelist = client.get(reverse("admin:pillars_program_changelist")).content.decode()
    assert "Parkir Dishub" in changelist and "Antrean Dinkes" in changelist


def test_import_of_a_file_over_the_size_limit_is_refused_before_reading(client, make_user, agencies, settings):
    settings.IMPORT_MAX_BYTES = 200
    client.force_login(staff(make_user, DISKOMINFO_EDITOR))
    rows = CSV_HEADER + "parkir,Parkir elektronik,living,mobility,dishub,short,planned,0,2024,2025,published\n" * 3
    response = import_csv(client, rows)
    assert response.status_code == 200 and "import_records" in response.context["form"].errors["import_file"][0]
    assert "result" not in response.context and not Program.objects.exists()


def test_import_of_more_rows_than_the_limit_is_refused_with_a_form_error(client, make_user, agencies, settings):
    settings.IMPORT_MAX_ROWS = 2
    client.force_login(staff(make_user, DISKOMINFO_EDITOR))
    row = "{0},Program {0},living,mobility,dishub,short,planned,0,2024,2025,published\n"
    response = import_csv(client, CSV_HEADER + "".join(row.format(f"p{n}") for n in range(3)))
    assert "more than 2 rows" in response.context["form"].errors["import_file"][0]
    assert "result" not in response.context and not Program.objects.exists()
    response = import_csv(client, CSV_HEADER + "".join(row.format(f"p{n}") for n in range(2)))
    assert not response.context["form"].errors and 'name="import_file_name"' in response.content.decode()

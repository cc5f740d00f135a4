import pytest
from django.core.management import CommandError, call_command

from pillars.models import Program
from smartcity.roles import DISKOMINFO_EDITOR

pytestmark = pytest.mark.django_db

HEADER = "slug,title_ind,pillar,sub_dimensions,lead_agency,horizon,stage,progress,first_year,last_year,publication\n"
GOOD = "parkir,Parkir elektronik,living,mobility,{agency},short,planned,0,2024,2025,published\n"
BAD = "sampah,Bank sampah,environment,waste,{agency},short,planned,140,2024,2025,published\n"


@pytest.fixture
def editor(make_user):
    from django.contrib.auth.models import Group

    user = make_user(username="editor")
    user.groups.add(Group.objects.get(name=DISKOMINFO_EDITOR))
    return user


@pytest.fixture
def agency():
    from tests.pillars.factories import AgencyFactory

    return AgencyFactory(slug="dishub")


def test_import_saves_good_rows_with_a_dry_run_first(tmp_path, editor, agency):
    path = tmp_path / "programs.csv"
    path.write_text(HEADER + GOOD.format(agency="dishub"))
    call_command("import_records", "programs", str(path), "--user", "editor", "--dry-run", verbosity=0)
    assert not Program.objects.exists()
    call_command("import_records", "programs", str(path), "--user", "editor", verbosity=0)
    assert Program.objects.get().slug == "parkir"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (HEADER + GOOD.format(agency="dishub") + BAD.format(agency="dishub"), "row 2"),
        (HEADER + GOOD.format(agency="no-such-agency"), "row 1"),
        ("\x00\x01 not a csv at all", "missing column"),
    ],
)
def test_a_bad_row_or_file_imports_nothing_and_exits_non_zero(tmp_path, editor, agency, content, message):
    path = tmp_path / "programs.csv"
    path.write_text(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_records", "programs", str(path), "--user", "editor", verbosity=0)
    assert not Program.objects.exists()


def test_a_malformed_xlsx_is_refused(tmp_path, editor):
    path = tmp_path / "programs.xlsx"
    path.write_bytes(b"PK\x03\x04 this is no workbook")
    with pytest.raises(CommandError, match="not a readable XLSX"):
        call_command("import_records", "programs", str(path), "--user", "editor", verbosity=0)

"""`manage.py build_open_data` with uploaded files present, and a build that fails (issue 12, item 8)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from smartcity.opendata import open_data_build, open_data_index
from tests.pillars.factories import MilestoneFactory, ProgramFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def folders(settings, tmp_path):
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


def test_the_command_builds_with_an_uploaded_file_present(folders):
    milestone = MilestoneFactory(program=ProgramFactory(), evidence=SimpleUploadedFile("bukti.pdf", PDF))
    call_command("build_open_data", verbosity=0)  # was DisallowedHost: 'testserver'
    rows = json.loads((folders / "open-data" / "milestones.json").read_text())
    assert [row["evidence"] for row in rows] == [f"http://localhost/media/{milestone.evidence.name}"]


def test_a_failed_build_removes_its_staging_folder_and_keeps_the_last_dump(folders):
    ProgramFactory(slug="pertama")
    first = open_data_build()

    def interrupted(name):
        if name == "programs":
            raise KeyboardInterrupt  # Ctrl+C, a killed worker, a database gone away: any failure mid-build

    ProgramFactory(slug="kedua")
    with pytest.raises(KeyboardInterrupt):
        open_data_build(progress=interrupted)
    assert [path.name for path in folders.iterdir()] == ["open-data"]  # was a .open-data-* folder left behind
    assert open_data_index() == first
    assert [row["slug"] for row in json.loads((folders / "open-data" / "programs.json").read_text())] == ["pertama"]


def test_a_folder_left_by_a_crash_between_the_renames_does_not_stop_the_next_build(folders):
    (folders / "open-data.old" / "stale").mkdir(parents=True)
    open_data_build()
    assert open_data_build()["datasets"] and not (folders / "open-data.old").exists()

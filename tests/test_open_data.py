"""The nightly open-data dumps: every public list, only what anonymous callers may read, served as files."""

import csv
import io
import json

import pytest
from django.urls import reverse

from smartcity.opendata import open_data_build
from smartcity.tasks import rebuild_open_data
from tests.pillars.factories import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def dump_folder(settings, tmp_path):
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"


def test_dump_has_every_public_list_and_no_draft(client):
    ProgramFactory(slug="terbit")
    ProgramFactory(slug="draf", publication="draft")
    index = open_data_build()
    assert {"programs", "pillars", "mous", "evaluations", "assets"} <= set(index["datasets"])
    assert "operated-assets" not in index["datasets"]  # partners' own list, not public
    programs = json.loads(b"".join(client.get(reverse("open-data-file", args=["programs.json"])).streaming_content))
    assert [p["slug"] for p in programs] == ["terbit"]
    rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(client.get(reverse("open-data-file", args=["programs.csv"])).streaming_content).decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert [row["slug"] for row in rows] == ["terbit"] and rows[0]["lead_agency"]
    assert index["datasets"]["pillars"]["rows"] == 6


def test_field_dictionary_and_page(client):
    ProgramFactory()
    rebuild_open_data.apply()
    fields = json.loads(b"".join(client.get(reverse("open-data-file", args=["fields.json"])).streaming_content))
    assert fields["programs"]["progress"]["label"] == fields["programs"]["progress"]["label_ind"] == "Kemajuan (%)"
    assert fields["programs"]["progress"]["label_en"] == "Progress (%)"
    assert fields["programs"]["lead_agency"]["label_ind"] == "Perangkat daerah pengampu"  # declared field: the model's
    html = client.get("/en/open-data/").content.decode()
    assert "/en/open-data/programs/" in html and "/open-data/files/programs.csv" in html


@pytest.mark.parametrize("name", ["../secret_key", "index.py", "programs.xlsx", "..%2Fsecret_key"])
def test_only_dump_files_are_served(client, name):
    open_data_build()
    assert client.get(f"/open-data/files/{name}").status_code == 404


def test_a_build_leaves_no_list_answering_the_rows_it_read(client):
    """The build reads every list through its viewset: a viewset's class-level queryset must never be the one
    evaluated, or every later request would get the rows cached then (masterplans did)."""
    from tests.pillars.factories import MasterplanFactory

    open_data_build()
    MasterplanFactory(title="Masterplan baru")
    titles = [row["title"] for row in client.get("/api/v1/masterplans/").json()["results"]]
    assert titles == ["Masterplan baru"]

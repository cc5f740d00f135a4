"""The README's first look (no DATABASE_URL: SQLite, local cache) as a visitor meets it, after `make run`'s
setup: open data there from the first run (issue 13, item 5), and the answers the SQLite database must give
like PostgreSQL does (issue 12, items 6 and 8)."""

import re
import urllib.parse

import pytest
from django.conf import settings

from tests.live import get, manage, portal_env, serve

pytestmark = pytest.mark.slow

HREF = re.compile(r'href="([^"#]+)"')
ATTACH_A_FILE = """
from django.core.files.base import ContentFile
from pillars.models import Milestone
milestone = Milestone.objects.filter(program__publication="published").first()
milestone.evidence.save("bukti.pdf", ContentFile(b"%PDF-1.4\\n%%EOF\\n"))
print(milestone.evidence.name)
"""


@pytest.fixture(scope="module")
def first_look(tmp_path_factory):
    """`make run`'s steps on a fresh folder: migrate, load the demo city (which builds the open data), collect
    the static files."""
    folder = tmp_path_factory.mktemp("first-look")
    env = portal_env(
        DATABASE_URL=None,
        REDIS_URL=None,
        DJANGO_SECRET_KEY=None,
        DJANGO_DEBUG=None,
        DJANGO_VAR_DIR=str(folder),
        DJANGO_STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        DJANGO_STATIC_ROOT=str(folder / "static"),
    )
    for command in (["migrate", "--noinput"], ["load_demo"], ["collectstatic", "--noinput", "--verbosity", "0"]):
        result = manage(*command, env=env)
        assert result.returncode == 0, result.stderr
    with serve(env) as base:
        yield env, base, folder


@pytest.mark.parametrize("page", ["/open-data/", "/en/open-data/"])
def test_every_link_on_the_open_data_page_answers_200(first_look, page):
    _, base, _ = first_look
    status, html = get(base + page)
    links = sorted({urllib.parse.urljoin(page, href) for href in HREF.findall(html)})
    assert status == 200 and "/open-data/files/fields.json" in links  # was a 404, and no dataset listed
    assert "/open-data/files/programs.csv" in links and "/open-data/files/mous.json" in links
    answers = {link: get(base + link)[0] for link in links if link.startswith("/")}
    assert len(answers) > 20 and {link: code for link, code in answers.items() if code != 200} == {}
    # nothing from another host, but the licence's own page, which the catalogue names as a link to read
    assert all(link.startswith("/") or link == settings.OPEN_DATA_LICENSE for link in links), links


@pytest.mark.parametrize("value", ["-3577668620188138579461666263531520", "9223372036854775808"])
def test_an_id_no_column_can_hold_is_a_400_on_sqlite_too(first_look, value):
    _, base, _ = first_look
    status, answer = get(f"{base}/api/v1/findings/?evaluation_id={value}")
    assert status == 400 and '"evaluation_id"' in answer  # was 500: OverflowError in the SQLite driver


def test_build_open_data_runs_with_an_uploaded_file_present(first_look):
    env, _, folder = first_look
    attached = manage("shell", "--no-imports", "-c", ATTACH_A_FILE, env=env)
    assert attached.returncode == 0, attached.stderr
    result = manage("build_open_data", "--verbosity", "0", env=env)
    assert result.returncode == 0, result.stderr  # was DisallowedHost: 'testserver'
    name = attached.stdout.strip().splitlines()[-1]
    assert f"http://localhost/media/{name}" in (folder / "open-data" / "milestones.json").read_text()
    assert not list(folder.glob(".open-data-*"))

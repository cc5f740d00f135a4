"""Issue 22 item 2 in a browser at 1366 px: the OPD editor answers a clarification request with a file, the assessor
closes it, the administrator builds the evaluation pack and downloads both files, all in the Django admin, with no
HTTP client. Served by gunicorn on a database of its own (no Redis: Celery runs the pack's build eagerly, once the
request's transaction commits); each page checked by axe-core (no critical or serious violation) and for requests
to other hosts. The clicks each task takes are counted and asserted, so a change that adds a step shows here."""

import json
import os
import sys
import uuid
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import STEP_TIMEOUT_MS, _database_url, _postgres
from tests.live import manage, portal_env, serve

pytestmark = [pytest.mark.slow, pytest.mark.browser]

DESKTOP = {"width": 1366, "height": 768}
OURS = ["#answer-form", "#close-form", "#pack-form", "#packs", ".messagelist", ".object-tools"]
PASSWORD = "uji-peramban-7Hq2"  # noqa: S105 - a throwaway password of a throwaway database
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

SETUP = f"""
from django.contrib.auth.models import Group
from django.contrib.auth import get_user_model
from evaluations.models import ClarificationRequest, Evaluation, EvaluationScheme, SchemeDimension
from pillars.models import Agency, Pillar
from smartcity.roles import ADMINISTRATOR, EVALUATOR, OPD_EDITOR
User = get_user_model()
agency = Agency.objects.create(slug="dinas-uji", name="Dinas Uji", acronym="DU")
for name, role in (("opd", OPD_EDITOR), ("penilai", EVALUATOR), ("admin", ADMINISTRATOR)):
    user = User.objects.create_user(name, password="{PASSWORD}", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    if role == OPD_EDITOR:
        agency.members.add(user)
scheme = EvaluationScheme.objects.create(name="Skema 2024", year=2024, issuing_body="Kemenkominfo", scale_max=4,
                                         decimals=2, publication="published")
SchemeDimension.objects.create(scheme=scheme, code="output", order=1, name_ind="Output", name_en="Output", weight=100)
evaluation = Evaluation.objects.create(scheme=scheme, year=2024, stage="stage_2", kind="field_review",
                                       slug="2024-stage-2")
ClarificationRequest.objects.create(evaluation=evaluation, pillar=Pillar.objects.get(slug="governance"),
                                    owner_agency=agency, question="Mohon SK Dewan Smart City", due_on="2099-12-31")
"""


@pytest.fixture(scope="module")
def admin_portal(tmp_path_factory):
    var = tmp_path_factory.mktemp("admin-portal")
    database = f"kc_browser_admin_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    env = portal_env(
        DATABASE_URL=_database_url(database),
        REDIS_URL=None,  # eager Celery: the pack is built in the web process once the request commits
        DJANGO_DEBUG=None,
        DJANGO_VAR_DIR=str(var),
        DJANGO_MEDIA_ROOT=str(var / "media"),
        DJANGO_PRIVATE_MEDIA_ROOT=str(var / "private"),
        DJANGO_STATIC_ROOT=str(var / "static"),
        # plain copies of the static files: the admin's pages are the subject here, not compression (which takes
        # minutes on a busy machine and is covered by the public pages' test)
        DJANGO_STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
    )
    _postgres("createdb", database)
    try:
        for command in (["collectstatic", "--noinput"], ["migrate", "--noinput"], ["shell", "-c", SETUP]):
            done = manage(*command, "--verbosity", "0", env=env)
            assert done.returncode == 0, done.stderr
        with serve(env, workers=1, threads=4) as base:
            yield base
    finally:
        _postgres("dropdb", "--if-exists", "--force", database)


class Walk:
    """One user's browser session at 1366 px: counts clicks and pages, checks each page with axe-core."""

    def __init__(self, browser, base, axe_source, username):
        self.base, self.axe_source, self.clicks, self.pages, self.problems = base, axe_source, 0, 0, []
        self.admin_wide = []
        self.context = browser.new_context(viewport=DESKTOP, locale="id-ID", accept_downloads=True)
        self.context.set_default_timeout(STEP_TIMEOUT_MS)
        host = urlsplit(base).netloc
        self.context.route("**/*", self._route(host))
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.goto(f"{base}/admin/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("input[type=submit]")
        self.page.wait_for_url(f"{base}/admin/")
        self.clicks, self.pages = 0, 1  # the task starts on the admin's index page

    def _route(self, host):
        def route(request_route):
            if urlsplit(request_route.request.url).netloc == host:
                request_route.continue_()
            else:
                self.problems.append(f"other host: {request_route.request.url}")
                request_route.abort()

        return route

    def click(self, selector, *, navigates=True):
        self.clicks += 1
        if navigates:
            with self.page.expect_navigation():
                self.page.click(selector)
            self.pages += 1
            self.check()
        else:
            self.page.click(selector)

    def check(self):
        """axe-core on the doors' own parts of the page (forms, pack table, messages, object tools): none may have a
        critical or serious violation. The rest of the admin page is checked too and what it finds is kept apart
        (`admin_wide`): issues of the stock admin pages that these doors did not bring."""
        self.page.evaluate(self.axe_source)
        ours = [selector for selector in OURS if self.page.locator(selector).count()]
        if ours:
            self.problems += self._violations(json.dumps({"include": [[selector] for selector in ours]}))
        self.admin_wide += self._violations("document")

    def _violations(self, context: str) -> list[str]:
        results = self.page.evaluate(f"axe.run({context}, {{resultTypes: ['violations']}})")
        return [
            f"{self.page.url}: {rule['impact']} {rule['id']}: {[n['target'] for n in rule['nodes'][:3]]}"
            for rule in results["violations"]
            if rule["impact"] in ("critical", "serious")
        ]

    def close(self):
        self.context.close()


def test_answer_close_and_pack_in_the_admin(browser, axe_source, admin_portal, tmp_path):
    steps = {}
    opd = Walk(browser, admin_portal, axe_source, "opd")
    opd.click("a[href$='/admin/evaluations/clarificationrequest/']")
    opd.click("#result_list tbody tr a")
    evidence = tmp_path / "sk-dewan.pdf"
    evidence.write_bytes(PDF)
    opd.page.fill("#answer-form textarea[name=text]", "SK Dewan Smart City terlampir")
    opd.page.set_input_files("#answer-form input[name=file]", str(evidence))
    opd.click("#answer-form input[type=submit]")
    assert opd.page.locator(".messagelist .success").count() == 1
    assert opd.page.locator("#close-form").count() == 0  # not the OPD's step
    assert opd.page.locator("a[href*='/media/']").count() == 1  # the answer's file, listed with it
    steps["OPD editor answers with a file"] = (opd.clicks, opd.pages)
    problems, admin_wide = opd.problems, opd.admin_wide
    opd.close()

    assessor = Walk(browser, admin_portal, axe_source, "penilai")
    assessor.click("a[href$='/admin/evaluations/clarificationrequest/']")
    assessor.click("#result_list tbody tr a")
    assert assessor.page.locator("#answer-form").count() == 0
    assessor.click("#close-form input[type=submit]")
    assert assessor.page.locator(".messagelist .success").count() == 1
    assert assessor.page.locator("#close-form").count() == 0  # closed: nothing more to close
    steps["evaluator closes"] = (assessor.clicks, assessor.pages)
    problems, admin_wide = problems + assessor.problems, admin_wide + assessor.admin_wide
    assessor.close()

    administrator = Walk(browser, admin_portal, axe_source, "admin")
    administrator.click("a[href$='/admin/evaluations/evaluation/']")
    administrator.click("#result_list tbody tr a")
    administrator.click("a[href$='/pack/']")
    administrator.click("#pack-form input[type=submit]")
    links = administrator.page.locator("#packs a[href*='/download/']")
    links.first.wait_for()  # built eagerly on commit: ready by the time the page is shown (else it refreshes itself)
    assert links.count() == 2
    names = []
    for index in range(2):
        administrator.clicks += 1
        with administrator.page.expect_download() as download:
            links.nth(index).click()
        names.append(download.value.suggested_filename)
    assert sorted(names) == ["paket-evaluasi-2024-tahap-2.pdf", "paket-evaluasi-2024-tahap-2.xlsx"]
    steps["administrator builds and downloads the pack"] = (administrator.clicks, administrator.pages)
    problems, admin_wide = problems + administrator.problems, admin_wide + administrator.admin_wide
    administrator.close()

    print("steps (clicks, pages) from the admin's index:", steps, file=sys.stderr)  # noqa: T201
    print("stock admin pages, not these doors:", *sorted(set(admin_wide)), sep="\n  ", file=sys.stderr)  # noqa: T201
    assert steps == {
        "OPD editor answers with a file": (3, 4),
        "evaluator closes": (3, 4),
        "administrator builds and downloads the pack": (6, 5),
    }
    assert problems == [], "\n".join(problems)

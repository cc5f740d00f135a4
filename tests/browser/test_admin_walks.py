"""Issue 22's routine staff tasks walked start to end in a real Chromium at 1366 px, each by the role that does it,
through the Django admin only (no HTTP client, no API call): the OPD editor records a measurement typing "78,5" and
reports an activity; the walidata approves one indicator and sends another back with a reason, and the producer
resubmits it; the administrator copies last year's scheme into a new year and submits a stage past its blocking gaps
with a reason; the administrator adds an OPD editor in one form, and that person opens the invitation e-mail (caught
by an SMTP sink on loopback, the portal's real mail path), chooses a password and signs in.

Every page a walk opens is checked by axe-core (the whole page: no critical or serious violation) and for requests to
other hosts. Each walk counts its steps: clicks (a link, a button) and fields (typed or chosen); the counts are
asserted, so a change that adds a step shows here. The portal is served by gunicorn on a database of its own."""

import email
import os
import re
import socketserver
import sys
import threading
import uuid
from email import policy
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import STEP_TIMEOUT_MS, _database_url, _postgres
from tests.browser.test_admin_lists import axe_findings
from tests.live import manage, portal_env, serve

pytestmark = [pytest.mark.slow, pytest.mark.browser]

DESKTOP = {"width": 1366, "height": 768}
PASSWORD = "uji-jalan-9Kd3"  # noqa: S105 - a throwaway password of a throwaway database
NEW_PASSWORD = "Kota-Cerdas-2026!baru"  # noqa: S105

SETUP = f"""
import datetime
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from evaluations.models import ClarificationRequest, Evaluation, EvaluationScheme, SchemeDimension
from pillars.models import Agency, Pillar
from smartcity.roles import ADMINISTRATOR, DISKOMINFO_EDITOR, OPD_EDITOR
from tests.pillars.factories import ActivityFactory, IndicatorFactory, ProgramFactory
User = get_user_model()
agency = Agency.objects.create(slug="dinas-uji", name="Dinas Uji", acronym="DU")
other = Agency.objects.create(slug="dinas-lain", name="Dinas Lain", acronym="DL")
for name, role in (("opd", OPD_EDITOR), ("walidata", DISKOMINFO_EDITOR), ("admin", ADMINISTRATOR)):
    user = User.objects.create_user(name, password="{PASSWORD}", is_staff=True, email=name + "@kota.example")
    user.groups.add(Group.objects.get(name=role))
    if role == OPD_EDITOR:
        agency.members.add(user)
IndicatorFactory(slug="cakupan-wifi", name_ind="Cakupan WiFi publik", owner_agency=agency)
IndicatorFactory(slug="indikator-lain", name_ind="Indikator dinas lain", owner_agency=other)
for slug, name in (("layanan-daring", "Layanan daring"), ("aduan-selesai", "Aduan selesai")):
    IndicatorFactory(slug=slug, name_ind=name, owner_agency=agency, approval="submitted", publication="draft")
program = ProgramFactory(slug="wifi-kota", title_ind="WiFi kota", lead_agency=agency, first_year=2024, last_year=2030)
ActivityFactory(program=program, year=datetime.date.today().year, title_ind="Pasang titik WiFi", target="40 titik")
scheme = EvaluationScheme.objects.create(name="Skema 2024", year=2024, issuing_body="Kemenkominfo", scale_max=4,
                                         decimals=2, publication="published")
SchemeDimension.objects.create(scheme=scheme, code="tata-kelola", order=1, name_ind="Tata kelola",
                               name_en="Governance", weight=40)
SchemeDimension.objects.create(scheme=scheme, code="layanan", order=2, name_ind="Layanan", name_en="Services",
                               weight=60)
evaluation = Evaluation.objects.create(scheme=scheme, year=2024, stage="stage_2", kind="field_review",
                                       slug="2024-stage-2")
ClarificationRequest.objects.create(evaluation=evaluation, pillar=Pillar.objects.get(slug="governance"),
                                    owner_agency=agency, question="Mohon SK Dewan Smart City", due_on="2099-12-31")
"""


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend: every command is accepted, every message kept."""

    def handle(self):
        self.wfile.write(b"220 sink\r\n")
        data = None
        while line := self.rfile.readline():
            if data is not None:
                if line.rstrip(b"\r\n") == b".":
                    self.server.messages.append(email.message_from_bytes(b"".join(data), policy=policy.default))
                    data = None
                    self.wfile.write(b"250 kept\r\n")
                else:
                    data.append(line[1:] if line.startswith(b"..") else line)
                continue
            verb = line[:4].upper()
            if verb == b"DATA":
                data = []
                self.wfile.write(b"354 go on\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


class SMTPSink(socketserver.ThreadingTCPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.messages = []


@pytest.fixture(scope="module")
def mailbox():
    sink = SMTPSink()
    thread = threading.Thread(target=sink.serve_forever, daemon=True)
    thread.start()
    yield sink
    sink.shutdown()
    sink.server_close()


@pytest.fixture(scope="module")
def walks_portal(tmp_path_factory, mailbox):
    """The portal (base URL, environment) on a database of its own holding the walks' agencies, people and records;
    its mail goes to the sink."""
    var = tmp_path_factory.mktemp("walks-portal")
    database = f"kc_browser_walks_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    env = portal_env(
        DATABASE_URL=_database_url(database),
        REDIS_URL=None,
        DJANGO_DEBUG=None,
        DJANGO_VAR_DIR=str(var),
        DJANGO_MEDIA_ROOT=str(var / "media"),
        DJANGO_PRIVATE_MEDIA_ROOT=str(var / "private"),
        DJANGO_STATIC_ROOT=str(var / "static"),
        DJANGO_STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        EMAIL_URL=f"smtp://127.0.0.1:{mailbox.server_address[1]}",
    )
    _postgres("createdb", database)
    try:
        for command in (["collectstatic", "--noinput"], ["migrate", "--noinput"], ["shell", "-c", SETUP]):
            done = manage(*command, "--verbosity", "0", env=env)
            assert done.returncode == 0, done.stderr
        with serve(env, workers=1, threads=4) as base:
            yield base, env
    finally:
        _postgres("dropdb", "--if-exists", "--force", database)


def shell(env, code: str) -> str:
    done = manage("shell", "--verbosity", "0", "-c", code, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


class Walk:
    """One person's browser session at 1366 px: counts clicks and fields, checks each page opened with axe-core."""

    def __init__(self, browser, base, axe_source):
        self.base, self.axe_source = base, axe_source
        self.clicks, self.fields, self.problems, self.pages = 0, 0, [], []
        self.context = browser.new_context(viewport=DESKTOP, locale="id-ID")
        self.context.set_default_timeout(STEP_TIMEOUT_MS)
        host = urlsplit(base).netloc
        self.context.route("**/*", self._route(host))
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))

    def sign_in(self, username, password=PASSWORD):
        """Signing in is not counted: each task starts on the admin's index, signed in."""
        self.page.goto(f"{self.base}/admin/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        with self.page.expect_navigation():
            self.page.click("input[type=submit]")
        assert urlsplit(self.page.url).path == "/admin/", self.page.url
        self.check()
        self.clicks = self.fields = 0
        return self

    def _route(self, host):
        def route(request_route):
            if urlsplit(request_route.request.url).netloc == host:
                request_route.continue_()
            else:
                self.problems.append(f"other host: {request_route.request.url}")
                request_route.abort()

        return route

    def click(self, selector):
        """A click on a link or button that opens the next page."""
        self.clicks += 1
        with self.page.expect_navigation():
            self.page.click(selector)
        status = self.page.evaluate("() => performance.getEntriesByType('navigation')[0].responseStatus")
        assert status == 200, (self.page.url, status)
        self.check()

    def goto(self, url):
        """Opening a link from outside the portal (an e-mail): one click."""
        self.clicks += 1
        assert self.page.goto(url).status == 200, url
        self.check()

    def fill(self, selector, value):
        self.fields += 1
        self.page.fill(selector, value)

    def choose(self, selector, label):
        self.fields += 1
        self.page.select_option(selector, label=label)

    def check(self):
        path = urlsplit(self.page.url).path
        self.pages.append(path)
        self.problems += [f"{path}: {found}" for found in axe_findings(self.page, self.axe_source)]

    def success(self) -> str:
        return " ".join(self.page.locator(".messagelist .success").all_inner_texts())

    def close(self):
        self.context.close()


STEPS = {}  # task -> (clicks, fields), filled by the walks, printed at the end


def record(task, walk):
    STEPS[task] = (walk.clicks, walk.fields)
    print(f"{task}: {walk.clicks} clicks + {walk.fields} fields, pages {walk.pages}", file=sys.stderr)  # noqa: T201
    walk.close()
    assert walk.problems == [], "\n".join(walk.problems)


def test_the_opd_editor_records_a_measurement_typing_a_decimal_comma_and_reports_an_activity(
    browser, axe_source, walks_portal
):
    """Measurement: 2 clicks + 3 fields = 5 steps (the review counted 6, and "78,5" was refused). Index → "Tambah"
    beside Measurements → choose the indicator (only the own agency's are offered), type the date, type "78,5" →
    save. Activity: 3 clicks + 2 fields = 5 steps (the review counted 12). Index → "Activities to report" in My work
    → the activity → progress, note → save."""
    base, env = walks_portal
    opd = Walk(browser, base, axe_source).sign_in("opd")
    opd.click("#content-main a.addlink[href$='/admin/pillars/measurement/add/']")
    offered = opd.page.locator("#id_indicator option").all_inner_texts()
    assert [o for o in offered if "Indikator" in o or "WiFi" in o] == ["Cakupan WiFi publik"], offered
    opd.choose("#id_indicator", "Cakupan WiFi publik")
    opd.fill("#id_measured_on", "30-06-2025")
    opd.fill("#id_value", "78,5")
    opd.click("input[name=_save]")
    assert "berhasil" in opd.success(), opd.page.content()[:2000]
    stored = "from pillars.models import Measurement as M; print(M.objects.get(indicator__slug='cakupan-wifi').value)"
    assert float(shell(env, stored)) == 78.5
    record("OPD editor records a measurement", opd)

    opd = Walk(browser, base, axe_source).sign_in("opd")
    opd.click("#workspace tr[data-key='pillars.activities_to_report'] a")
    opd.click("#result_list tbody tr a")
    opd.fill("#id_progress", "60")
    opd.fill("#id_note", "24 dari 40 titik terpasang")
    opd.click("input[name=_save]")
    assert "berhasil" in opd.success()
    rolled = "from pillars.models import Program; p = Program.objects.get(slug='wifi-kota'); print(p.progress, p.stage)"
    progress, stage = shell(env, rolled).split()
    assert (float(progress), stage) == (60.0, "in_progress"), (progress, stage)  # rolled up, and a stage that agrees
    record("OPD editor reports an activity", opd)
    assert STEPS["OPD editor records a measurement"] == (2, 3)
    assert STEPS["OPD editor reports an activity"] == (3, 2)


def test_the_walidata_approves_one_indicator_sends_another_back_and_the_producer_resubmits(
    browser, axe_source, walks_portal
):
    """Walidata: 6 clicks + 1 field = 7 steps for both. Index → "Indicators awaiting approval" in My work → the first
    → Approve; back to the list (breadcrumb) → the second → the reason → Send back. Producer: 3 clicks = 3 steps.
    Index → "Indicators sent back" in My work → the indicator (the reason shown) → Resubmit. (Before: API only.)"""
    base, env = walks_portal
    walidata = Walk(browser, base, axe_source).sign_in("walidata")
    walidata.click("#workspace tr[data-key='pillars.indicators_to_approve'] a")
    assert walidata.page.locator("#result_list tbody tr").count() == 2
    walidata.click("#result_list tbody tr:has-text('Aduan selesai') a")
    walidata.click("form[action$='/approval/approve/'] input[type=submit]")
    assert walidata.success()
    walidata.click(".breadcrumbs a[href$='/admin/pillars/indicator/']")
    walidata.click("#result_list tbody tr:has-text('Layanan daring') a")
    walidata.fill("#id_send_back_note", "Definisi operasional belum ada.")
    walidata.click("form[action$='/approval/send_back/'] input[type=submit]")
    assert walidata.success()
    record("walidata approves one and sends another back", walidata)
    assert STEPS["walidata approves one and sends another back"] == (6, 1)

    producer = Walk(browser, base, axe_source).sign_in("opd")
    producer.click("#workspace tr[data-key='pillars.indicators_sent_back'] a")
    producer.click("#result_list tbody tr:has-text('Layanan daring') a")
    assert "Definisi operasional belum ada." in producer.page.locator(".walidata-approval").inner_text()
    producer.click("form[action$='/approval/submit/'] input[type=submit]")
    assert producer.success()
    record("producer resubmits", producer)
    assert STEPS["producer resubmits"] == (3, 0)
    states = "from pillars.models import Indicator as I; print(*I.objects.order_by('slug').values_list('approval'))"
    assert shell(env, states) == (
        "('approved',) ('approved',) ('approved',) ('submitted',)"
    )  # aduan-selesai, cakupan-wifi, indikator-lain, layanan-daring


def test_the_administrator_copies_last_year_s_scheme_and_submits_past_blocking_gaps_with_a_reason(
    browser, axe_source, walks_portal
):
    """Scheme: 4 clicks + 0 fields = 4 steps (the review counted about 30 fields retyped). Index → Evaluation schemes
    → last year's scheme → "Copy to a new year" → Copy (the next year is proposed). Override: 4 clicks + 1 field =
    5 steps (before: API only). Index → Evaluations → the draft stage → "Submit past blocking gaps" (the gaps listed)
    → the reason → Submit the stage."""
    base, env = walks_portal
    administrator = Walk(browser, base, axe_source).sign_in("admin")
    administrator.click("#content-main a[href$='/admin/evaluations/evaluationscheme/']")
    administrator.click("#result_list tbody tr:has-text('2024') a")
    administrator.click(".object-tools a[href$='/copy/']")
    assert administrator.page.input_value("#id_year") == "2025"
    administrator.click("#content form input[type=submit]")
    assert "2025" in administrator.success()
    copied = (
        "from evaluations.models import SchemeDimension as D; dimensions = D.objects.filter(scheme__year=2025); "
        "print(*[f'{d.code}:{float(d.weight)}' for d in dimensions.order_by('order')])"
    )
    assert shell(env, copied) == "tata-kelola:40.0 layanan:60.0"
    record("administrator copies last year's scheme", administrator)
    assert STEPS["administrator copies last year's scheme"] == (4, 0)

    administrator = Walk(browser, base, axe_source).sign_in("admin")
    administrator.click("#content-main a[href$='/admin/evaluations/evaluation/']")
    administrator.click("#result_list tbody tr a")
    administrator.click(".object-tools a[href$='/override/']")
    assert administrator.page.locator("#content li").count() >= 1  # the blocking gaps, listed before the decision
    administrator.fill("#id_reason", "Tenggat kementerian: bukti menyusul")
    administrator.click("#override-form input[type=submit]")
    assert administrator.success()
    decided = (
        "from evaluations.models import ReadinessOverride as R; o = R.objects.get(); "
        "print(o.evaluation.status, o.decided_by.username, bool(o.gaps), o.reason)"
    )
    assert shell(env, decided) == "submitted admin True Tenggat kementerian: bukti menyusul"
    record("administrator overrides readiness", administrator)
    assert STEPS["administrator overrides readiness"] == (4, 1)


def invitation_link(mailbox, address: str) -> str:
    [message] = [m for m in mailbox.messages if m["To"] == address]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Editor OPD" in body and "Dinas Uji" in body, body
    return re.search(r"http://\S+/admin/password/set/\S+/", body).group(0)


def test_the_administrator_adds_an_opd_editor_who_chooses_a_password_from_the_e_mail_and_signs_in(
    browser, axe_source, walks_portal, mailbox
):
    """Administrator: 2 clicks + 4 fields = 6 steps (the review counted 11 steps over 3 pages). Index → "Add staff"
    → name, e-mail, role, agency → Save. The new OPD editor: 4 clicks + 4 fields = 8 steps. The e-mail's link →
    the password twice → Save → "Log in" → user name (the e-mail address) and password → Log in: the admin's index,
    with their own agency's work."""
    base, env = walks_portal
    administrator = Walk(browser, base, axe_source).sign_in("admin")
    administrator.click("#shortcuts-module a[href$='/add-staff/']")
    administrator.fill("#id_name", "Rina Putri")
    administrator.fill("#id_email", "rina@dinas-uji.example")
    administrator.choose("#id_role", "Editor OPD")
    administrator.choose("#id_agency", "Dinas Uji (DU)")
    administrator.click("#content form input[type=submit]")
    assert "rina@dinas-uji.example" in administrator.success()
    record("administrator adds an OPD editor", administrator)
    assert STEPS["administrator adds an OPD editor"] == (2, 4)

    person = Walk(browser, base, axe_source)
    person.goto(invitation_link(mailbox, "rina@dinas-uji.example"))
    person.fill("#id_new_password1", NEW_PASSWORD)
    person.fill("#id_new_password2", NEW_PASSWORD)
    person.click("#content form input[type=submit]")
    person.click("#content a[href$='/admin/login/']")
    person.fill("#id_username", "rina@dinas-uji.example")
    person.fill("#id_password", NEW_PASSWORD)
    person.click("#content form input[type=submit]")
    assert urlsplit(person.page.url).path == "/admin/" and person.page.locator("#workspace").count() == 1
    assert "RINA PUTRI" in person.page.locator("#user-tools").inner_text().upper()  # shown in capitals by CSS
    record("the new OPD editor sets a password and signs in", person)
    assert STEPS["the new OPD editor sets a password and signs in"] == (4, 4)
    print("steps (clicks, fields) of every walk:", STEPS, file=sys.stderr)  # noqa: T201

"""Every public page type, in both languages, on a 390 px phone in a real Chromium: no sideways scrolling, no
critical or serious axe-core violation, no console error, no request to another host, no layout shift (CLS below
0.05, measured with a PerformanceObserver from before the first paint), valid `datetime` attributes, and the
language switch leads to the same page in the other language."""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from tests.live import get

from .conftest import PHONE, STEP_TIMEOUT_MS

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# Page types: a fixed path, or (list path, pattern of the first detail link found on it).
PAGES = {
    "home": "/",
    "pillar": ("/", r'href="(/pillars/[\w-]+/)"'),
    "program list": "/programs/",
    "program detail": ("/programs/", r'href="(/programs/[\w-]+/)"'),
    "indicator list": "/indicators/",
    "indicator detail": ("/indicators/", r'href="(/indicators/[\w-]+/)"'),
    "services": "/services/",
    "service feedback": ("/services/", r'href="(/services/[\w-]+/feedback/)"'),
    "program feedback": "/programs/wifi-kelurahan/feedback/",  # the demo program with a published message
    "feedback sent": "/programs/wifi-kelurahan/feedback/sent/",
    "map": "/map/",
    "MoU registry": "/partnerships/",
    "MoU detail": ("/partnerships/", r'href="(/partnerships/mou/[\w-]+/)"'),
    "partners": "/partnerships/partners/",
    "evaluation list": "/evaluations/",
    "evaluation detail": ("/evaluations/", r'href="(/evaluations/\d{4}-[a-z0-9-]+/)"'),
    "regulations and decrees": "/evaluations/regulations/",
    "survey form": ("/evaluations/", r'href="(/evaluations/surveys/[\w-]+/\d+/answer/)"'),
    "city comparison": "/evaluations/cities/",
    "open data": "/open-data/",
    "open data search": "/open-data/?q=program&topic=planning",
    "open data dataset": ("/open-data/", r'href="(/open-data/[a-z-]+/)"'),
    "open data wide dataset": "/open-data/programs/",  # many columns: the preview scrolls in its own box
    "frameworks and indices": "/evaluations/frameworks/",
    "framework results": ("/evaluations/frameworks/", r'href="(/evaluations/frameworks/[\w-]+/)"'),
    "external index": ("/evaluations/frameworks/", r'href="(/evaluations/indices/[\w-]+/)"'),
    "search results": "/cari/?q=wifi",
    "kecamatan list": "/kecamatan/",
    "kecamatan": ("/kecamatan/", r'href="(/kecamatan/13\.71\.09/)"'),  # Kuranji: programs and assets in the demo
}
# Pages whose path itself is translated: the path in each language.
TRANSLATED = {"search results": {"id": "/cari/?q=wifi", "en": "/en/search/?q=wifi"}}
LANGUAGES = {"id": "", "en": "/en"}  # Indonesian, the default, has no prefix
DOCS = "/api/v1/docs/"
# Pages whose content a script draws after the load: checked once it is there, not before.
DRAWN = {
    "map": ".asset-map .asset-cluster",
    "kecamatan": ".asset-map .asset-cluster, .asset-map .asset-point",
    "docs": ".swagger-ui .opblock",
}


# Cumulative layout shift as Chromium reports it (shifts right after an input excluded, as the metric defines),
# observed from before the page's first paint.
CLS_OBSERVER = """
window.__cls = 0;
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
}).observe({type: 'layout-shift', buffered: true});
"""
CLS_LIMIT = 0.05
# HTML's valid `datetime` values as the portal writes them: a date, or a moment to the second with its offset.
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2}))?$")


@dataclass
class Visit:
    """What one page showed the browser: its problems, one list per check."""

    overflow: list[str] = field(default_factory=list)
    axe: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    other_hosts: list[str] = field(default_factory=list)
    language_switch: list[str] = field(default_factory=list)
    layout_shift: list[str] = field(default_factory=list)
    datetimes: list[str] = field(default_factory=list)

    def problems(self) -> dict[str, list[str]]:
        return {name: found for name, found in vars(self).items() if found}


def page_path(portal: str, page: str) -> str:
    """The Indonesian path of `page`; a detail page is the first one its list links to."""
    where = PAGES[page]
    if isinstance(where, str):
        return where
    listing, pattern = where
    status, html = get(portal + listing)
    found = re.search(pattern, html)
    assert status == 200 and found, f"{listing} links to no {page}"
    return found.group(1)


def open_page(browser, portal: str, url: str, visit: Visit, drawn: str | None = None):
    """A fresh phone-sized context on `url`: requests to any other host are refused and recorded."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="id-ID")
    host = urlsplit(portal).netloc

    def route(request_route):
        if urlsplit(request_route.request.url).netloc == host:
            request_route.continue_()
        else:
            visit.other_hosts.append(request_route.request.url)
            request_route.abort()

    context.set_default_timeout(STEP_TIMEOUT_MS)
    context.add_init_script(CLS_OBSERVER)
    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and visit.console.append(message.text))
    page.on("pageerror", lambda error: visit.console.append(f"uncaught: {error}"))
    try:
        response = page.goto(url, wait_until="load")
        assert response.status == 200, f"{url} answered {response.status}"
        if drawn:
            page.wait_for_selector(drawn, state="attached", timeout=STEP_TIMEOUT_MS)
    except BaseException:
        context.close()
        raise
    return context, page


def check_layout_shift(page, visit: Visit) -> float:
    """The page's CLS once it has settled (the fonts, charts and map drawn), recorded when it reaches the limit."""
    page.wait_for_timeout(400)
    shift = page.evaluate("window.__cls")
    if shift >= CLS_LIMIT:
        visit.layout_shift.append(f"CLS {shift:.3f} on {page.url}")
    return shift


def check_datetimes(page, visit: Visit) -> None:
    values = page.evaluate("[...document.querySelectorAll('time[datetime]')].map(t => t.getAttribute('datetime'))")
    visit.datetimes += [f"invalid datetime {value!r}" for value in values if not DATETIME.match(value)]


def check_layout_and_axe(page, axe_source: str, visit: Visit) -> None:
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if width > viewport:
        visit.overflow.append(f"{width} px wide at a {viewport} px viewport: {widest_elements(page)}")
    page.evaluate(axe_source)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    visit.axe += [
        f"{rule['impact']} {rule['id']}: {rule['help']} at {[node['target'] for node in rule['nodes'][:5]]}"
        for rule in results["violations"]
        if rule["impact"] in ("critical", "serious")
    ]


def widest_elements(page) -> list[str]:
    """The elements that stick out past the viewport, innermost last, to say where an overflow comes from."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(-5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : '')
            + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')"""
    )


def check_language_switch(page, expected: str, visit: Visit, language: str) -> None:
    link = page.locator(f'a[hreflang="{language}"]').first
    if not link.count():
        visit.language_switch.append(f"no link to the {language} page")
        return
    if not link.is_visible():  # on a phone the switch may sit in the collapsed menu: open it, as a citizen would
        page.locator('button[aria-controls][aria-expanded="false"]:visible').first.click()
    with page.expect_response(lambda r: r.request.is_navigation_request() and r.frame == page.main_frame) as answer:
        link.click()
    page.wait_for_load_state("domcontentloaded")
    landed = urlsplit(page.url)
    if landed.path + (f"?{landed.query}" if landed.query else "") != expected:
        visit.language_switch.append(f"led to {page.url}, not {expected}")
    elif answer.value.status != 200:
        visit.language_switch.append(f"{answer.value.url} answered {answer.value.status}")
    elif page.evaluate("document.documentElement.lang") != language:
        visit.language_switch.append(f"the {language} page says lang={page.evaluate('document.documentElement.lang')}")


def visit_page(browser, axe_source, portal, path: str, switch_to: tuple[str, str], drawn=None) -> Visit:
    visit = Visit()
    context, page = open_page(browser, portal, portal + path, visit, drawn)
    try:
        check_layout_shift(page, visit)
        check_datetimes(page, visit)
        check_layout_and_axe(page, axe_source, visit)
        check_language_switch(page, switch_to[1], visit, switch_to[0])
    finally:
        context.close()
    return visit


CASES = [(page, language) for page in PAGES for language in LANGUAGES]


def in_language(page: str, path: str, language: str) -> str:
    """The path of `page` (its Indonesian `path`) in `language`."""
    return TRANSLATED[page][language] if page in TRANSLATED else LANGUAGES[language] + path


@pytest.mark.parametrize(("page", "language"), CASES, ids=[f"{page} · {language}" for page, language in CASES])
def test_public_page_works_on_a_phone(browser, axe_source, portal, page, language):
    path = page_path(portal, page)
    other = "en" if language == "id" else "id"
    switch_to = (other, in_language(page, path, other))
    visit = visit_page(browser, axe_source, portal, in_language(page, path, language), switch_to, DRAWN.get(page))
    assert not visit.problems()


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_api_docs_work_on_a_phone(browser, axe_source, portal, language):
    other = "en" if language == "id" else "id"
    switch_to = (other, f"{DOCS}?lang={other}")
    visit = visit_page(browser, axe_source, portal, f"{DOCS}?lang={language}", switch_to, DRAWN["docs"])
    assert not visit.problems()


def test_the_checks_catch_what_they_look_for(browser, axe_source, portal):
    """A page with every fault the checks look for: each check reports it (so a clean page is proof)."""
    visit = Visit()
    context, page = open_page(browser, portal, portal + "/", visit)
    try:
        page.goto("about:blank")  # no CSP there: the portal's own would stop the outside image before any request
        page.set_content(
            '<html><body><div style="width:900px">wide</div><p style="color:#bbb;background:#fff">faint</p>'
            '<img src="http://tiles.example.org/0/0/0.png"><script>console.error("broken")</script>'
            '<p>Updated <time datetime="2025-01-01T10:00:00.123456+07:00">today</time></p></body></html>'
        )
        page.wait_for_load_state("networkidle")
        page.evaluate(CLS_OBSERVER)
        page.evaluate("document.body.prepend(Object.assign(document.createElement('div'), {style: 'height:300px'}))")
        check_layout_shift(page, visit)
        check_datetimes(page, visit)
        check_layout_and_axe(page, axe_source, visit)
    finally:
        context.close()
    found = visit.problems()
    assert set(found) == {"overflow", "axe", "console", "other_hosts", "layout_shift", "datetimes"}
    assert {problem.split(":")[0] for problem in found["axe"]} >= {
        "serious html-has-lang",
        "serious color-contrast",
        "critical image-alt",
    }
    assert found["other_hosts"] == ["http://tiles.example.org/0/0/0.png"]
    assert found["datetimes"] == ["invalid datetime '2025-01-01T10:00:00.123456+07:00'"]

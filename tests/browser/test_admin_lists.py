"""Every change list of the admin on a 1366 px laptop screen, signed in as a superuser, in a real Chromium: its key
columns fit without sideways scrolling (neither the page nor the list's own box scrolls), and axe-core finds no
critical or serious violation."""

import re

import pytest

from tests.live import manage

from .conftest import LAPTOP, STEP_TIMEOUT_MS

pytestmark = [pytest.mark.slow, pytest.mark.browser]

USERNAME, PASSWORD = "lists-admin", "a-long-test-only-password-1366"


@pytest.fixture(scope="module")
def admin_page(browser, portal_with_env):
    """A 1366x900 page signed in to the admin as a superuser, on the demo city with a row in every list."""
    base, env = portal_with_env
    done = manage("shell", "-c", make_superuser_code(USERNAME, PASSWORD), env=env)
    assert done.returncode == 0, done.stderr
    done = manage("shell", "-c", "from tests.world import fill_the_gaps; fill_the_gaps()", env=env)
    assert done.returncode == 0, done.stderr
    context = browser.new_context(viewport=LAPTOP, device_scale_factor=1, locale="id-ID")
    context.set_default_timeout(STEP_TIMEOUT_MS)
    page = context.new_page()
    sign_in(page, base, USERNAME, PASSWORD)
    yield base, page
    context.close()


def make_superuser_code(username: str, password: str) -> str:
    return (
        "from django.contrib.auth import get_user_model; User = get_user_model(); "
        f"User.objects.filter(username={username!r}).exists() or "
        f"User.objects.create_superuser({username!r}, '', {password!r})"
    )


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click('input[type="submit"]')
    assert page.url.rstrip("/").endswith("/admin"), page.url


def change_lists(page, base: str) -> list[str]:
    """Every change list the admin index links to."""
    page.goto(f"{base}/admin/")
    hrefs = page.eval_on_selector_all("#content-main a[href]", "links => links.map(a => a.getAttribute('href'))")
    found = [href.split("?")[0] for href in hrefs if re.fullmatch(r"/admin/[a-z_]+/[a-z_]+/(\?.*)?", href)]
    return list(dict.fromkeys(found))


OVERFLOW = """() => {
    const box = document.querySelector('#changelist .results') || document.querySelector('#changelist');
    const table = document.querySelector('#result_list');
    return {
        page: document.documentElement.scrollWidth,
        box: box ? box.clientWidth : 0,
        table: table ? table.scrollWidth : 0,
        boxScroll: box ? box.scrollWidth : 0,
    };
}"""


def overflow(page) -> str | None:
    """How the change list sticks out, or None when it fits."""
    sizes = page.evaluate(OVERFLOW)
    if sizes["page"] > LAPTOP["width"] or sizes["boxScroll"] > sizes["box"] or sizes["table"] > sizes["box"]:
        return f"page {sizes['page']} px, list {sizes['table']} px in a {sizes['box']} px box"
    return None


def axe_findings(page, axe_source: str) -> list[str]:
    page.evaluate(axe_source)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{rule['impact']} {rule['id']}: {rule['help']} at {[node['target'] for node in rule['nodes'][:3]]}"
        for rule in results["violations"]
        if rule["impact"] in ("critical", "serious")
    ]


def test_every_change_list_fits_a_laptop_and_passes_axe(admin_page, axe_source):
    base, page = admin_page
    lists = change_lists(page, base)
    assert len(lists) > 30, lists
    wide, axe, empty = {}, {}, []
    for path in lists:
        response = page.goto(base + path)
        assert response.status == 200, (path, response.status)
        if not page.locator("#result_list tbody tr").count():
            empty.append(path)
        if found := overflow(page):
            wide[path] = found
        if found := axe_findings(page, axe_source):
            axe[path] = found
    assert wide == {}, f"{len(wide)} of {len(lists)} change lists are wider than the screen"
    assert axe == {}
    assert [path for path in empty if "/axes/" not in path] == []  # a list measured with rows, not empty

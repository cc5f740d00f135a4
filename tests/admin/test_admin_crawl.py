"""The admin as each role walks it: from the index, every change list and add form it links to, and from each change
list the change form of its first row, on the demo city with a row of every model. Nothing answers a 5xx; every
page is a 200, or a deliberate refusal (403) or redirect (302)."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db.models import Q
from django.urls import reverse

from pillars.models import Agency
from smartcity.roles import OPD_EDITOR, ROLES
from tests.factories import UserFactory
from tests.world import empty_admin_models, populated_world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

DELIBERATE = {200, 302, 403}


def staff(role: str | None):
    """A staff account of `role` (None: a superuser); an OPD editor belongs to the agency leading most programs."""
    if role is None:
        return UserFactory(is_staff=True, is_superuser=True)
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    if role == OPD_EDITOR:
        Agency.objects.filter(~Q(led_programs=None)).order_by("pk").first().members.add(user)
    return user


def links(html: str, pattern: str) -> list[str]:
    """The distinct paths in `html` matching `pattern` (query strings dropped), in page order."""
    found = re.findall(rf'href="({pattern})(?:\?[^"]*)?"', html)
    return list(dict.fromkeys(found))


def crawl(client) -> tuple[dict[str, int], list[str]]:
    """(every page reached from the admin index -> its status, the change lists that showed no row to open)."""
    index = reverse("admin:index")
    response = client.get(index)
    assert response.status_code == 200
    html = response.content.decode()
    model = rf"{index}[a-z_]+/[a-z_]+/"
    pages, rowless = {index: 200}, []
    for path in links(html, model) + links(html, rf"{model}add/"):
        pages[path] = client.get(path).status_code
    for path in links(html, model):
        if pages[path] != 200:
            continue
        rows = links(client.get(path).content.decode(), rf"{re.escape(path)}[^/\"?]+/change/")
        for row in rows[:1]:
            pages[row] = client.get(row).status_code
        if not rows:
            rowless.append(path)
    return pages, rowless


ROLE_IDS = {None: "superuser", **{role: role for role in ROLES}}


def test_every_admin_model_has_a_row_to_open(populated_world):  # noqa: F811
    assert empty_admin_models() == []


@pytest.mark.parametrize("role", list(ROLE_IDS), ids=list(ROLE_IDS.values()))
def test_every_admin_page_a_role_reaches_answers(populated_world, client, role):  # noqa: F811
    client.raise_request_exception = False  # a 500 is counted with the others, not raised at the first
    client.force_login(staff(role))
    pages, rowless = crawl(client)
    assert len(pages) > 10, pages  # the role reached its lists, not only the index
    answered = {path: status for path, status in pages.items() if status not in DELIBERATE}
    assert answered == {}, f"{len(answered)} of {len(pages)} pages answered otherwise"
    if role is None:  # the superuser sees every row: each list (but the empty login records) opened one
        assert [path for path in rowless if "/axes/" not in path] == []

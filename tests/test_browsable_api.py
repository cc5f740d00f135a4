"""The browsable API as staff meet it in a browser: every route of the API's URLconf (each list, each detail on a
real row of the demo city, each extra action) read with `Accept: text/html` by a superuser and by a member of each
role (Administrator, Diskominfo editor who is also the walidata, OPD editor, Evaluator, Viewer) answers a page, never
a 5xx. The routes are read from the URLconf, so a new endpoint is walked
without anyone adding it here."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db.models import Q
from django.urls import URLResolver, get_resolver
from rest_framework.views import APIView

from pillars.models import Agency, Pillar, SubDimension
from smartcity.roles import ADMINISTRATOR, DISKOMINFO_EDITOR, EVALUATOR, OPD_EDITOR, VIEWER
from tests.api_routes import model_of
from tests.evaluations.factories import ClarificationRequestFactory
from tests.factories import UserFactory
from tests.pillars.factories import ProgramFactory
from tests.world import populated_world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"  # what Chromium sends

GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>")  # a regex group or a path converter


def api_patterns(patterns=None, prefix: str = "/"):
    """(path regex, view class) of every URL pattern of the project a DRF view answers, wherever
    it is included; the `.json`-suffixed twins are left out (the same view)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from api_patterns(pattern.url_patterns, route)
        elif issubclass(getattr(pattern.callback, "cls", object), APIView) and "format" not in route:
            yield route, pattern.callback.cls


def fill(route: str, values: dict) -> str:
    path = GROUP.sub(lambda found: str(values[found.group(1) or found.group(2)]), route)
    return path.replace("^", "").replace("$", "")


def row_for(viewset, user):
    """A row of the viewset's model the user may see (any row when the model has no `visible_to`)."""
    queryset = model_of(viewset)._default_manager.order_by("pk")
    if hasattr(queryset, "visible_to"):
        queryset = queryset.visible_to(user)
    return queryset.first()


def urls_for(user, *, every_row: bool = False) -> list[str]:
    """The URL of every route: lists as they are, detail routes on a row the user sees (a route whose model
    has none is left out, unless `every_row` asks for a row behind each)."""
    urls = []
    for route, viewset in api_patterns():
        lookups = [regex or converter for regex, converter in GROUP.findall(route)]
        if not lookups:
            urls.append(fill(route, {}))
            continue
        if not hasattr(viewset, "get_queryset") or not hasattr(viewset, "lookup_field"):
            continue
        row = row_for(viewset, user)
        assert row is not None or not every_row, f"no row of {model_of(viewset)} for {route}"
        if row is not None:
            field = getattr(viewset, "lookup_field", "pk")
            urls.append(fill(route, {lookups[0]: getattr(row, field)}))
    return urls


def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


def diskominfo_editor():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=DISKOMINFO_EDITOR))
    return user


def opd_editor():
    """An OPD editor of the agency that leads the most of the demo's programs."""
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=OPD_EDITOR))
    agency = Agency.objects.filter(~Q(led_programs=None)).order_by("pk").first()
    agency.members.add(user)
    return user


def member_of(role: str):
    def make():
        user = UserFactory(is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


# Every role that signs in to the admin: the walidata is a Diskominfo editor (issue 15).
ROLES = {
    "superuser": superuser,
    "Diskominfo editor": diskominfo_editor,
    "OPD editor": opd_editor,
    "Evaluator": member_of(EVALUATOR),
    "Administrator": member_of(ADMINISTRATOR),
    "Viewer": member_of(VIEWER),
}


def test_the_walk_covers_lists_details_and_actions(populated_world):  # noqa: F811
    urls = urls_for(superuser(), every_row=True)
    assert {"/api/v1/programs/", "/api/v1/mous/", "/api/v1/indicators/"} <= set(urls)
    assert any(re.fullmatch(r"/api/v1/evaluations/[\w-]+/pack/", url) for url in urls)
    assert any(re.fullmatch(r"/api/v1/clarification-requests/\d+/answer/", url) for url in urls)
    assert any(re.fullmatch(r"/api/v1/programs/[\w-]+/", url) for url in urls)


@pytest.mark.parametrize("role", list(ROLES))
def test_every_api_page_renders_in_the_browser(populated_world, client, role):  # noqa: F811
    user = ROLES[role]()
    client.raise_request_exception = False  # a 500 is counted with the others, not raised at the first
    client.force_login(user)
    failed = {}
    for url in urls_for(user):
        response = client.get(url, HTTP_ACCEPT=BROWSER_ACCEPT)
        if response.status_code >= 500 or response.status_code not in (200, 403, 404, 405):
            failed[url] = response.status_code
    assert failed == {}, f"{len(failed)} pages answered an error"


def selected(html: str, name: str) -> list[str]:
    """The values selected in the form field `name` of the page."""
    found = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert found, f"no select named {name}"
    return re.findall(r'<option value="([^"]*)"\s*selected', found.group(1))


def test_a_record_form_names_its_relations_by_id_with_the_current_ones_selected(client):
    program = ProgramFactory()
    program.sub_dimensions.set(SubDimension.objects.filter(pillar__slug="governance")[:2])
    client.force_login(superuser())
    html = client.get(f"/api/v1/programs/{program.slug}/", HTTP_ACCEPT=BROWSER_ACCEPT).content.decode()
    assert selected(html, "pillar") == [str(program.pillar_id)]
    assert selected(html, "lead_agency") == [str(program.lead_agency_id)]
    assert sorted(selected(html, "sub_dimensions")) == sorted(str(sub.pk) for sub in program.sub_dimensions.all())
    options = re.search(r'<select[^>]*name="pillar"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert set(re.findall(r'<option value="(\d+)"', options)) == {
        str(pk) for pk in Pillar.objects.values_list("pk", flat=True)
    }


def test_a_verb_read_in_the_browser_offers_an_empty_raw_form_not_the_records(client):
    clarification = ClarificationRequestFactory()
    client.force_login(superuser())
    response = client.get(f"/api/v1/clarification-requests/{clarification.pk}/answer/", HTTP_ACCEPT=BROWSER_ACCEPT)
    html = response.content.decode()
    assert response.status_code == 405 and response["Content-Type"].startswith("text/html")
    assert re.search(r'<textarea name="_content"[^>]*>\s*\{\}</textarea>', html)
    assert 'name="question"' not in html  # the request's own fields are not offered for the answer

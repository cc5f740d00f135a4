"""Issue 23, item 14: an offset or page number past PostgreSQL's bigint is bad input, never a 500.

The routes come from the URLconf (tests/api_routes.py for the API; the public URLconf's `*-list` pages), so a new
list is covered without a list kept by hand."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from tests.api_routes import list_routes
from tests.factories import UserFactory
from tests.partnerships.factories import PartnerFactory, make_key

pytestmark = pytest.mark.django_db

BIGINT_MAX = 2**63 - 1


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True, username="root")


@pytest.mark.parametrize("name", sorted(list_routes()))
@pytest.mark.parametrize("offset", [BIGINT_MAX + 1, 10**40])
def test_an_offset_past_bigint_is_a_400_naming_the_offset(api_client, superuser, name, offset):
    api_client.force_authenticate(superuser)
    response = api_client.get(reverse(f"{name}-list"), {"offset": offset})
    if response.status_code == 403:  # a partner system's list (its operated assets): with a partner's key
        api_client.force_authenticate(None)
        api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {make_key(PartnerFactory())[1]}")
        response = api_client.get(reverse(f"{name}-list"), {"offset": offset})
    assert response.status_code == 400, (name, response.status_code)
    assert "offset" in response.json()["errors"]


@pytest.mark.parametrize("offset", [10**12, BIGINT_MAX])
def test_a_large_offset_within_range_is_an_empty_page(api_client, superuser, offset):
    api_client.force_authenticate(superuser)
    response = api_client.get(reverse("pillars-api:program-list"), {"offset": offset})
    assert response.status_code == 200 and response.json()["results"] == []


def _public_list_names(patterns=None, namespace=""):
    """Every public page named `*-list` that takes no argument, from the URLconf."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in ("admin",) or str(pattern.pattern).startswith("api"):
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _public_list_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and (pattern.name or "").endswith("-list"):
            if not pattern.pattern.converters and "(?P" not in str(pattern.pattern):
                yield f"{namespace}{pattern.name}"


PUBLIC_LISTS = sorted(set(_public_list_names()))


def test_the_public_lists_are_found():
    assert {"pillars:program-list", "partnerships:mou-list", "evaluations:legalinstrument-list"} <= set(PUBLIC_LISTS)


@pytest.mark.parametrize("name", PUBLIC_LISTS)
@pytest.mark.parametrize("page", [BIGINT_MAX, BIGINT_MAX + 1, 10**40])
def test_a_page_past_bigint_shows_the_last_page(client, superuser, name, page):
    client.force_login(superuser)  # staff pages too (the report exports)
    with translation.override("id"):
        url = reverse(name)
    response = client.get(url, {"page": page})
    assert response.status_code == 200, (name, response.status_code)

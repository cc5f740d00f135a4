"""The shared API battery: every endpoint's test class inherits StandardApiTests and sets a few names.

Not collected itself (no "Test" prefix). Public endpoints (`public = True`) let anonymous callers read;
private ones answer 401 to anonymous callers and 403 to users without the view permission. Writes
always need the model permission, and a refused write changes nothing.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def count_queries(client, url: str) -> int:
    """How many queries one GET of `url` runs; the answer must be a 200 with at least one result."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content
    assert response.data["results"], "an empty list proves nothing about N+1"
    return len(context)


class StandardApiTests:
    url_name: str  # e.g. "pillars-api:pillar"
    factory: type
    view_perms: tuple[str, ...] = ()
    add_perm: str = ""
    public: bool = False
    lookup_field: str = "pk"

    @property
    def list_url(self) -> str:
        return reverse(f"{self.url_name}-list")

    def detail_url(self, obj) -> str:
        return reverse(f"{self.url_name}-detail", args=[getattr(obj, self.lookup_field)])

    @property
    def model(self):
        return self.factory._meta.model

    def test_anonymous_read(self, api_client):
        self.factory()
        response = api_client.get(self.list_url)
        if self.public:
            assert response.status_code == 200 and response.data["results"]
        else:
            assert response.status_code == 401
            assert response.data["code"] == "not_authenticated" and response.has_header("WWW-Authenticate")

    def test_read_without_view_perm(self, api_client, make_user):
        api_client.force_authenticate(make_user())
        self.factory()
        response = api_client.get(self.list_url)
        assert response.status_code == (200 if self.public else 403)

    def test_anonymous_write_is_401_and_changes_nothing(self, api_client):
        self.factory()
        before = self.model.objects.count()
        response = api_client.post(self.list_url, {})
        assert response.status_code == 401 and response.data["code"] == "not_authenticated"
        assert self.model.objects.count() == before

    def test_write_without_add_perm_is_403_and_changes_nothing(self, api_client, make_user):
        api_client.force_authenticate(make_user(*self.view_perms))
        self.factory()
        before = self.model.objects.count()
        response = api_client.post(self.list_url, {})
        assert response.status_code == 403 and response.data["code"] == "permission_denied"
        assert self.model.objects.count() == before

    def test_detail_and_unknown_404(self, api_client, make_user):
        api_client.force_authenticate(make_user(*self.view_perms))
        obj = self.factory()
        assert api_client.get(self.detail_url(obj)).status_code == 200
        response = api_client.get(reverse(f"{self.url_name}-detail", args=["0"]))
        assert response.status_code == 404 and response.data == {"code": "not_found", "detail": response.data["detail"]}

    def test_list_query_count_is_constant(self, api_client, make_user):
        user = make_user(*self.view_perms)

        def measure():
            api_client.force_authenticate(type(user).objects.get(pk=user.pk))  # fresh: no warm permission cache
            return count_queries(api_client, self.list_url)

        self.factory()
        one = measure()
        self.factory.create_batch(5)
        assert measure() == one  # no N+1

    def test_anonymous_list_query_count_is_constant(self, api_client):
        if not self.public:
            pytest.skip("anonymous callers get 401 here")
        self.factory()
        one = count_queries(api_client, self.list_url)
        self.factory.create_batch(5)
        assert count_queries(api_client, self.list_url) == one

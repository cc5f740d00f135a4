"""The provincial view's harvest against portals that misbehave (down, slow, dripping, too big, not JSON, redirecting
to a forbidden address), real servers on loopback; the SSRF rule for followed portals at every door; the two shapes
of a relation the API has had; and the comparison page on a hub only."""

import http.server
import json
import threading
import time
from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from federation import harvest as federation
from federation.models import FollowedPortal, PortalSnapshot
from federation.services import FOLLOWED_PORTAL, portal_harvest
from tests.factories import UserFactory
from tests.live import free_port

pytestmark = pytest.mark.django_db

PILLARS = {"count": 1, "results": [{"slug": "governance", "order": 1, "name_ind": "Tata Kelola", "name_en": "Gov"}]}
EVALUATIONS = {
    "count": 2,
    "next": None,
    "results": [
        {
            "year": 2024,
            "stage": "final",
            "status": "final",
            "index": "3.10",
            "scheme": {"id": 4, "name": "Skema 2024", "year": 2024},  # a brief: the scale is read from the scheme
            "dimension_scores": [
                {"dimension": {"id": 9, "code": "output", "name_ind": "Output", "name_en": "Output"}, "score": "3.20"}
            ],
            "pillar_scores": [{"pillar": {"id": 1, "slug": "governance", "name_ind": "Tata Kelola"}, "score": 2.75}],
        },
        {"year": 2024, "stage": "stage_1", "status": "final", "index": "2.00"},
    ],
}
SCHEME = {"id": 4, "name": "Skema 2024", "year": 2024, "scale_min": "0.00", "scale_max": "4.00"}
HEADLINE = {
    "results": [
        {
            "name_ind": "Capaian smart city",
            "unit": "%",
            "is_headline": True,
            "latest_value": "91.4",
            "latest_measured_on": "2024-12-31",
            "latest_achievement": "99.0",
            "targets": [{"year": 2024, "value": "92.30"}],
        }
    ]
}


@pytest.fixture
def hub(settings):
    settings.PROVINCIAL_HUB = True
    settings.PROVINCIAL_HUB_ALLOW_LOOPBACK = True
    settings.PROVINCIAL_HUB_TIMEOUT = 2.0
    settings.PROVINCIAL_HUB_MAX_BYTES = 64 * 1024
    return settings


def answer(handler, status=200, body=b"", content_type="application/json", headers=()):
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    for name, value in headers:
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@contextmanager
def portal_server(behaviour):
    """A real HTTP server on loopback whose GETs `behaviour(handler, path)` answers."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            try:
                behaviour(self, self.path)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def good_portal(handler, path):
    documents = {
        "/api/v1/pillars/": PILLARS,
        "/api/v1/evaluations/": EVALUATIONS,
        "/api/v1/evaluation-schemes/4/": SCHEME,
        "/api/v1/indicators/": HEADLINE,
    }
    document = documents.get(path.split("?")[0])
    if document is None:
        return answer(handler, 404, b"{}")
    answer(handler, body=json.dumps(document).encode())


def follow(url, name="Kota Uji"):
    return FOLLOWED_PORTAL.create(data={"name": name, "base_url": url}, actor=None)


def test_a_portal_answering_briefs_or_slugs_is_read(hub):
    with portal_server(good_portal) as url:
        snapshot = portal_harvest(portal=follow(url))
    assert snapshot.ok and snapshot.reason == ""
    data = snapshot.data
    assert [p["slug"] for p in data["pillars"]] == ["governance"]
    assert data["evaluations"] == [
        {
            "year": 2024,
            "index": "3.10",
            "scale_max": "4.00",
            "letter_number": "",
            "dimensions": [{"code": "output", "name_ind": "Output", "name_en": "Output", "score": "3.20"}],
            "pillars": {"governance": "2.75"},
        }
    ]
    assert data["headline"]["targets"] == {"2024": "92.30"}
    assert federation.slug_of("governance") == federation.slug_of({"id": 1, "slug": "governance"}) == "governance"
    assert federation.slug_of(7) is None and federation.slug_of({"id": 7}) is None


def drip(handler, path):
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.end_headers()
    for _ in range(50):  # a byte every 0.2 s: each read is quick, the whole never ends in time
        handler.wfile.write(b" ")
        handler.wfile.flush()
        time.sleep(0.2)


MISBEHAVING = {
    "not JSON": (lambda h, p: answer(h, body=b"<html>Maintenance</html>", content_type="text/html"), "not JSON"),
    "broken JSON": (lambda h, p: answer(h, body=b'{"results": [1, 2'), "not JSON"),
    "JSON of the wrong shape": (lambda h, p: answer(h, body=b'{"results": "none"}'), "is not a list"),
    "NaN": (lambda h, p: answer(h, body=b'{"results": [{"slug": NaN}]}'), "not JSON"),
    "server error": (lambda h, p: answer(h, 500, b"{}"), "HTTP 500"),
    "too big": (lambda h, p: answer(h, body=b"[" + b"1," * 40_000 + b"1]"), "larger than"),
    "slow": (lambda h, p: time.sleep(4), "time limit"),
    "dripping": (drip, "time limit"),
    "garbage, not HTTP": (lambda h, p: h.wfile.write(b"\x00\xffhello\r\n\r\n"), "could not be reached"),
    "redirect to a metadata address": (
        lambda h, p: answer(h, 302, b"", headers=[("Location", "http://169.254.169.254/latest/meta-data/")]),
        "may not call",
    ),
}


@pytest.mark.parametrize("behaviour", list(MISBEHAVING))
def test_a_misbehaving_portal_is_kept_as_stale_with_the_reason(hub, behaviour):
    serve, reason = MISBEHAVING[behaviour]
    with portal_server(serve) as url:
        portal = follow(url)
        started = time.monotonic()
        snapshot = portal_harvest(portal=portal)
    assert time.monotonic() - started < 3.5  # the deadline (2 s) held, whatever the server did
    assert (snapshot.ok, snapshot.data) == (False, {})
    assert reason in snapshot.reason


def test_a_portal_that_is_down_is_kept_as_stale(hub):
    portal = follow(f"http://127.0.0.1:{free_port()}/")
    snapshot = portal_harvest(portal=portal)
    assert not snapshot.ok and "could not be reached" in snapshot.reason


@pytest.mark.parametrize(
    "url",
    [
        "ftp://portal.example.go.id/",
        "http://user:secret@127.0.0.1/",
        "http://169.254.169.254/",
        "http://10.1.2.3/",
        "http://[::1]/",
        "http://localhost/",
        "http://portal.invalid/",
        "file:///etc/passwd",
        "http://127.0.0.1/?x=1",
    ],
)
def test_ssrf_only_public_http_portals_may_be_followed(settings, url):
    settings.PROVINCIAL_HUB_ALLOW_LOOPBACK = False
    with pytest.raises(ValidationError):
        follow(url)
    assert not FollowedPortal.objects.exists()


def test_a_government_network_may_be_allowed_by_name_and_loopback_only_by_its_setting(settings):
    settings.PROVINCIAL_HUB_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    assert federation.address_allowed("10.20.3.4") and not federation.address_allowed("10.21.3.4")
    assert not federation.address_allowed("169.254.169.254") and not federation.address_allowed("127.0.0.1")
    assert federation.address_allowed("36.66.1.1")  # a public address (Telkom's range)
    settings.PROVINCIAL_HUB_ALLOW_LOOPBACK = True
    assert federation.address_allowed("127.0.0.1") and federation.address_allowed("::ffff:127.0.0.1")


def test_the_api_refuses_a_forbidden_address_and_normalises_an_allowed_one(hub, make_user):
    client = APIClient()
    client.force_authenticate(make_user("federation.add_followedportal", "federation.view_followedportal"))
    url = reverse("evaluations-api:followedportal-list")
    hub.PROVINCIAL_HUB_ALLOW_LOOPBACK = False
    refused = client.post(url, {"name": "Metadata", "base_url": "http://169.254.169.254"})
    assert refused.status_code == 400 and "base_url" in refused.data["errors"]
    hub.PROVINCIAL_HUB_ALLOW_LOOPBACK = True
    created = client.post(url, {"name": "Kota Uji", "base_url": "http://127.0.0.1:8181"})
    assert created.status_code == 201 and created.data["base_url"] == "http://127.0.0.1:8181/"
    assert client.post(url, {"name": "Lagi", "base_url": "http://127.0.0.1:8181/"}).status_code == 400  # once only


def test_only_a_hub_shows_the_page_and_harvests(settings):
    settings.PROVINCIAL_HUB = False
    assert Client().get(reverse("evaluations:portal-comparison")).status_code == 404
    from federation.tasks import harvest_followed_portals

    FollowedPortal.objects.create(name="Kota Uji", base_url="http://127.0.0.1:9/")
    assert harvest_followed_portals() == 0 and not PortalSnapshot.objects.exists()


def test_the_comparison_reads_in_three_queries_however_many_cities(hub, django_assert_num_queries):
    from federation.comparison import province_comparison

    def city(n):
        portal = FollowedPortal.objects.create(name=f"Kota {n}", base_url=f"http://127.0.0.1:{9000 + n}/")
        PortalSnapshot.objects.create(
            portal=portal,
            read_at="2026-11-30T10:00+07:00",
            ok=True,
            data={
                "pillars": PILLARS["results"],
                "headline": None,
                "evaluations": [{"year": 2024, "index": "3.10", "pillars": {"governance": "2.75"}}],
            },
        )
        PortalSnapshot.objects.create(portal=portal, read_at="2026-11-30T11:00+07:00", ok=False, reason="down")

    city(1)
    with django_assert_num_queries(3):  # portals, snapshots, the hub's own pillars: none per city
        assert [c.state for c in province_comparison().cities] == ["stale"]
    for n in range(2, 12):
        city(n)
    with django_assert_num_queries(3):
        assert len(province_comparison().cities) == 11


def test_staff_read_a_portal_now_from_the_admin(hub):
    with portal_server(good_portal) as url:
        portal = follow(url)
        client = Client()
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
        changelist = reverse("admin:federation_followedportal_changelist")
        response = client.post(changelist, {"action": "read_now", "_selected_action": [portal.pk]})
    assert response.status_code == 302
    assert portal.snapshots.get().ok


@pytest.mark.parametrize("name", ["followedportal", "portalsnapshot"])
def test_the_lists_run_as_many_queries_for_one_portal_as_for_ten(name):
    from tests.api import count_queries

    def portal(n):
        row = FollowedPortal.objects.create(name=f"Kota {n}", base_url=f"http://36.66.0.{n}/")
        PortalSnapshot.objects.create(portal=row, read_at="2026-11-30T10:00+07:00", ok=True, data={"pillars": []})

    url = reverse(f"evaluations-api:{name}-list")
    portal(1)
    one = count_queries(APIClient(), url)
    for n in range(2, 11):
        portal(n)
    assert count_queries(APIClient(), url) == one

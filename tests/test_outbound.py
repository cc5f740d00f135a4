"""Issue 23, LOW 12: the one address check every outbound request goes through (smartcity/outbound.py), at both SSRF
guards that use it (webhook URLs, followed portals): IPv6 transition forms are judged by the IPv4 address they carry,
and only the allowed ports may be called (any port only on loopback, and only where loopback is allowed)."""

import ipaddress

import pytest
from django.core.exceptions import ValidationError

from federation.models import FollowedPortal
from federation.services import FOLLOWED_PORTAL
from partnerships import webhooks
from smartcity import outbound

pytestmark = pytest.mark.django_db

# Each transition form carrying 127.0.0.1 (loopback), 10.0.0.1 (private) and 169.254.169.254 (cloud metadata).
FORMS = {
    "IPv4-mapped": ("::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254"),
    "IPv4-compatible": ("::127.0.0.1", "::10.0.0.1", "::169.254.169.254"),
    "NAT64": ("64:ff9b::127.0.0.1", "64:ff9b::10.0.0.1", "64:ff9b::169.254.169.254"),
    "6to4": ("2002:7f00:1::1", "2002:a00:1::1", "2002:a9fe:a9fe::1"),
    "Teredo": (  # the client address is stored inverted in the last 32 bits
        "2001:0:4136:e378:8000:63bf:80ff:fffe",
        "2001:0:4136:e378:8000:63bf:f5ff:fffe",
        "2001:0:4136:e378:8000:63bf:5601:5601",
    ),
    "SIIT": ("::ffff:0:127.0.0.1", "::ffff:0:10.0.0.1", "::ffff:0:169.254.169.254"),
}
WRAPPED = [(form, address) for form, addresses in FORMS.items() for address in addresses]
PUBLIC = {  # the same forms carrying 8.8.8.8, a public address: judged by it, so allowed
    "IPv4-mapped": "::ffff:8.8.8.8",
    "NAT64": "64:ff9b::8.8.8.8",
    "6to4": "2002:808:808::1",
    "SIIT": "::ffff:0:8.8.8.8",
}


@pytest.mark.parametrize(("form", "address"), WRAPPED)
def test_a_transition_form_carrying_a_forbidden_ipv4_is_refused(form, address, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = settings.PROVINCIAL_HUB_ALLOW_LOOPBACK = False
    assert outbound.embedded_ipv4(address) is not None
    assert not outbound.address_allowed(address)
    with pytest.raises(webhooks.UnsafeURLError):
        webhooks.url_target(f"https://[{address}]/hook")
    with pytest.raises(ValidationError) as refused:
        FOLLOWED_PORTAL.create(data={"name": "Kota", "base_url": f"https://[{address}]/"}, actor=None)
    assert "base_url" in refused.value.message_dict
    assert not FollowedPortal.objects.exists()


@pytest.mark.parametrize(("form", "address"), [(f, a) for f, a in WRAPPED if a in {FORMS[f][0] for f in FORMS}])
def test_a_transition_form_carrying_loopback_counts_as_loopback(form, address, settings):
    assert outbound.address_allowed(address, allow_loopback=True)
    assert not outbound.address_allowed(address, allow_loopback=False)


@pytest.mark.parametrize(("form", "address"), list(PUBLIC.items()))
def test_a_transition_form_carrying_a_public_ipv4_is_judged_by_it(form, address):
    assert str(outbound.embedded_ipv4(address)) == "8.8.8.8"
    assert outbound.address_allowed(address)
    assert ipaddress.ip_address(webhooks.url_target(f"https://[{address}]/hook")[3]) == ipaddress.ip_address(address)


@pytest.mark.parametrize("address", ["::1", "::", "fe80::1", "fc00::1", "ff02::1", "2001:db8::1"])
def test_other_non_public_ipv6_addresses_stay_refused(address):
    assert not outbound.address_allowed(address)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://8.8.8.8/hook", True),
        ("https://8.8.8.8:443/hook", True),
        ("https://8.8.8.8:8443/hook", True),
        ("https://8.8.8.8:8080/hook", True),
        ("https://8.8.8.8:22/hook", False),
        ("https://8.8.8.8:6379/hook", False),
        ("https://8.8.8.8:5432/hook", False),
        ("https://8.8.8.8:25/hook", False),
    ],
)
def test_only_the_allowed_ports_may_be_called(url, allowed, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = settings.PROVINCIAL_HUB_ALLOW_LOOPBACK = False
    if allowed:
        assert webhooks.url_target(url)[2] in (443, 8443, 8080)
        return
    with pytest.raises(webhooks.UnsafeURLError):
        webhooks.url_target(url)
    with pytest.raises(ValidationError):
        FOLLOWED_PORTAL.create(data={"name": "Kota", "base_url": url.removesuffix("hook")}, actor=None)


def test_the_allowed_ports_are_a_setting(settings):
    settings.OUTBOUND_ALLOWED_PORTS = [443]
    with pytest.raises(webhooks.UnsafeURLError):
        webhooks.url_target("https://8.8.8.8:8443/hook")
    settings.OUTBOUND_ALLOWED_PORTS = [443, 9443]
    assert webhooks.url_target("https://8.8.8.8:9443/hook")[2] == 9443


def test_any_port_only_on_loopback_and_only_where_loopback_is_allowed(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    assert webhooks.url_target("http://127.0.0.1:54321/hook")[2] == 54321
    with pytest.raises(webhooks.UnsafeURLError):
        webhooks.url_target("https://8.8.8.8:54321/hook")  # loopback's freedom is not a public address's
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    with pytest.raises(webhooks.UnsafeURLError):
        webhooks.url_target("http://127.0.0.1:54321/hook")

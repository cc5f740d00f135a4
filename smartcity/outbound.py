"""Every request the portal makes to another host goes through here: partner webhooks (partnerships/webhooks.py), the
provincial hub's harvest of followed portals (evaluations/federation.py) and staff sign-in at the OpenID provider
(pillars/oidc.py).

One request has one total deadline, enforced by a timer that shuts the socket whatever it waits for (a receiver
that answers a huge Content-Length and then drips a byte a second, an endless chunked body, headers that never end),
and a byte cap on the answer, so no peer can hold a worker. The connection goes to the address that was checked
(no second lookup to rebind). Where a guard is given (any address a user or a partner chose), every address the name
resolves to is judged by `address_allowed` (IPv6 transition forms by the IPv4 address they carry) and the port must
be one of OUTBOUND_ALLOWED_PORTS; loopback, with any port, only where the guard allows it (tests, local receivers).
"""

import concurrent.futures
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# IPv6 prefixes that carry an IPv4 address in their last 32 bits (RFC 6052 NAT64, RFC 6145 SIIT, RFC 4291 compat).
NAT64 = ipaddress.ip_network("64:ff9b::/96")
SIIT = ipaddress.ip_network("::ffff:0:0:0/96")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


class OutboundError(Exception):
    """A request that got no complete answer; the message says why (English, for the records and logs)."""


class AddressRefusedError(OutboundError):
    """The name resolves to an address the portal may not call."""


class PortRefusedError(AddressRefusedError):
    """The port is not one the portal calls."""


class TooSlowError(OutboundError):
    """No complete answer within the deadline."""


class TooLargeError(OutboundError):
    """An answer larger than the byte cap."""


# --- where a request may go -----------------------------------------------------------------------------------------
def embedded_ipv4(address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 transition form carries (IPv4-mapped, IPv4-compatible, NAT64, 6to4, Teredo's
    client, SIIT), or None for any other address."""
    ip = ipaddress.ip_address(str(address).split("%")[0])
    if ip.version == 4:
        return None
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in NAT64 or ip in SIIT or (ip in IPV4_COMPATIBLE and int(ip) > 1):  # ::1 and :: are IPv6's own
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _address(address) -> IPAddress:
    ip = ipaddress.ip_address(str(address).split("%")[0])
    return embedded_ipv4(ip) or ip


def is_loopback(address) -> bool:
    return _address(address).is_loopback


def address_allowed(address, *, allow_loopback: bool = False, networks=()) -> bool:
    """Whether a request may go to `address`: a public one, one in `networks` (a government range named in the
    settings; never link-local) or, only with `allow_loopback`, loopback. Transition forms are judged by their IPv4."""
    ip = _address(address)
    if ip.is_loopback:
        return allow_loopback
    if ip.is_link_local or ip.is_multicast or ip.is_unspecified:
        return False
    if any(ip in ipaddress.ip_network(net, strict=False) for net in networks):
        return True
    return ip.is_global


@dataclass(frozen=True)
class Guard:
    """Where requests of one kind may go (see address_allowed); the ports are OUTBOUND_ALLOWED_PORTS, any port only to
    loopback where loopback is allowed."""

    allow_loopback: bool = False
    networks: tuple = field(default=())

    def check(self, address: str, port: int) -> None:
        if not address_allowed(address, allow_loopback=self.allow_loopback, networks=self.networks):
            raise AddressRefusedError(f"{address} is an address the portal may not call")
        if not (self.allow_loopback and is_loopback(address)) and port not in settings.OUTBOUND_ALLOWED_PORTS:
            raise PortRefusedError(f"port {port} is not one the portal calls")


# getaddrinfo() takes no timeout: it runs in these threads, and whoever asked stops waiting at its deadline.
_RESOLVER = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="outbound-resolver")
RESOLVE_SECONDS = 5.0


def resolve(host: str, port: int, *, guard: Guard | None, seconds: float = RESOLVE_SECONDS) -> str:
    """The address to connect to: `host`'s first, once every address it resolves to passes `guard`."""
    lookup = _RESOLVER.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        infos = lookup.result(timeout=max(min(seconds, RESOLVE_SECONDS), 0.01))
    except concurrent.futures.TimeoutError:
        raise OutboundError(f"the host name {host} could not be resolved in time") from None
    except (OSError, UnicodeError) as error:
        raise OutboundError(f"the host name {host} could not be resolved ({error})") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise OutboundError(f"the host name {host} resolves to no address")
    for address in addresses if guard is not None else ():
        guard.check(address, port)
    return addresses[0]


def split_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of an http(s) URL, or OutboundError."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise OutboundError("the address is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OutboundError("only http and https addresses with a host name can be called")
    return parts.scheme, parts.hostname, port, (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


# --- one request, pinned to the checked address, under one deadline -------------------------------------------------
class Deadline:
    """One time budget, shared by every request made under it (a harvest's several pages, say)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.ends = time.monotonic() + seconds

    def left(self) -> float:
        left = self.ends - time.monotonic()
        if left <= 0:
            raise TooSlowError(f"no complete answer within the time limit ({self.seconds:g} s)")
        return left


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name, default)


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host, port, *, address, timeout, context=None):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, port, *, address, timeout, context):
        super().__init__(host, port, timeout=timeout, context=context)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _tls_context(verify: bool) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if not verify:  # only where the operator said so (OIDC_VERIFY_SSL off for a test provider)
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    return context


def request(
    method: str,
    url: str,
    *,
    deadline: Deadline | float,
    max_bytes: int,
    guard: Guard | None,
    body: bytes | None = None,
    headers: dict | None = None,
    address: str | None = None,
    verify: bool = True,
) -> Answer:
    """One request to `url`, connected to the address its name resolved to (or to `address`, checked by the
    caller), answered completely within `deadline` and `max_bytes`, else OutboundError saying why. `guard` None is
    only for a peer the operator configured (the OpenID provider), never for one a user or a partner chose."""
    deadline = deadline if isinstance(deadline, Deadline) else Deadline(deadline)
    scheme, host, port, path = split_url(url)
    if address is None:
        address = resolve(host, port, guard=guard, seconds=deadline.left())
    elif guard is not None:
        guard.check(address, port)
    kind = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    connection = kind(host, port, address=address, timeout=deadline.left(), context=_tls_context(verify))
    cut = threading.Event()

    def stop():  # the hard deadline: whatever the socket is waiting for, it stops now
        cut.set()
        if connection.sock is not None:
            try:
                socket.socket.shutdown(connection.sock, socket.SHUT_RDWR)  # the plain socket's, TLS or not
            except OSError:
                pass

    timer = threading.Timer(deadline.left(), stop)
    timer.daemon = True
    timer.start()
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = _read_body(response, max_bytes, deadline)
        if cut.is_set():  # the socket was shut under a read: what came is not the whole answer
            raise TooSlowError(f"no complete answer within the time limit ({deadline.seconds:g} s)")
        if response.length:  # the peer closed before the Content-Length it promised
            raise OutboundError(f"the answer ended {response.length} bytes early")
        return Answer(response.status, response.headers, data)
    except OutboundError:
        raise
    except (OSError, http.client.HTTPException) as error:
        if cut.is_set() or time.monotonic() >= deadline.ends:
            raise TooSlowError(f"no complete answer within the time limit ({deadline.seconds:g} s)") from None
        raise OutboundError(f"could not be reached ({type(error).__name__}: {error})") from None
    finally:
        timer.cancel()
        connection.close()


def _read_body(response, limit: int, deadline: Deadline) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.strip().isdigit() and int(declared) > limit:
        raise TooLargeError(f"the answer is larger than {limit} bytes")
    chunks, size = [], 0
    while True:
        deadline.left()
        chunk = response.read1(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise TooLargeError(f"the answer is larger than {limit} bytes")
        chunks.append(chunk)

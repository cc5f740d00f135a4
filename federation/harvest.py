"""The provincial view: read other cities' portals through their public API and compare them.

A portal run as a provincial hub (settings.PROVINCIAL_HUB) follows other Kota Cerdas portals by their base URL.
Every hour a Celery task reads, from each active one, only what any citizen may read: the pillars, the published
final evaluation results (index, dimension and pillar scores) and the headline indicator with its targets. Each
read becomes a `PortalSnapshot` with the time it was made. A portal that is down, slow, too big or answers
something other than the expected JSON gets a snapshot that keeps the reason and no data, never an exception:
the comparison page then shows its last good snapshot, marked stale.

Outgoing requests are the hub's attack surface (SSRF), so:
- a base URL is http(s), with a host and no user name, password, query or fragment;
- every address the host resolves to must be a public one; a government network's private range may be allowed by
  name (PROVINCIAL_HUB_ALLOWED_NETWORKS), loopback only with PROVINCIAL_HUB_ALLOW_LOOPBACK (the tests);
- the connection goes to the address that was checked (no second lookup to rebind), redirects are followed at most
  three times and each target is checked again;
- each portal's read has one deadline for all its requests (PROVINCIAL_HUB_TIMEOUT), enforced by a timer that shuts
  the socket, so a server that drips bytes cannot hold the worker; each answer is cut at PROVINCIAL_HUB_MAX_BYTES;
- the address rule, the ports (OUTBOUND_ALLOWED_PORTS) and the deadline are the core's, shared with the webhooks
  (smartcity/outbound.py): an IPv6 form carrying an IPv4 address is judged by that address.

The API's relations are read in both shapes it has had: a slug (`"pillar": "governance"`) or a brief object
(`"pillar": {"id": 1, "slug": "governance", "name_ind": ...}`, issue 18's one shape). A brief scheme carries no
scale, so the scale of each scheme the kept results name is read from `evaluation-schemes/<id>/` (older portals
answered it inline as `scheme_detail`).
"""

import json
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode, urljoin, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from smartcity import outbound

USER_AGENT = "KotaCerdas-provincial-hub/1"
MAX_REDIRECTS = 3
MAX_PAGES = 5  # of 100 evaluations each
MAX_ITEMS = 60  # pillars, years, dimensions: anything longer is cut
MAX_TEXT = 200


class HarvestError(Exception):
    """A portal could not be read; the message is the reason kept with the snapshot (English, for staff logs)."""


# --- where the hub may connect (the rule is the core's, smartcity/outbound.py) --------------------------------------
def guard() -> outbound.Guard:
    return outbound.Guard(
        allow_loopback=settings.PROVINCIAL_HUB_ALLOW_LOOPBACK, networks=tuple(settings.PROVINCIAL_HUB_ALLOWED_NETWORKS)
    )


def address_allowed(address: str) -> bool:
    return outbound.address_allowed(address, allow_loopback=guard().allow_loopback, networks=guard().networks)


def resolve(host: str, port: int, timeout: float = outbound.RESOLVE_SECONDS) -> str:
    """The address to connect to: `host`'s first, once every address it resolves to (and the port) is allowed."""
    try:
        return outbound.resolve(host, port, guard=guard(), seconds=timeout)
    except outbound.AddressRefusedError as refusal:
        raise HarvestError(f"{host} resolves to an address the hub may not call ({refusal})") from None
    except outbound.OutboundError as error:
        raise HarvestError(str(error)) from None


def split_base_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a followed portal's address, or HarvestError naming what is wrong with it."""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise HarvestError("the address is not a valid URL") from None
    if parts.scheme not in ("http", "https"):
        raise HarvestError("only http and https addresses can be followed")
    if not parts.hostname or parts.username or parts.password:
        raise HarvestError("the address needs a host name and no user name or password")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise HarvestError("the address has an invalid port") from None
    return parts.scheme, parts.hostname, port


def base_url_check(url: str) -> None:
    """Raise ValidationError when the hub may not follow `url` (the writer's rule for FollowedPortal)."""
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        raise ValidationError({"base_url": _("Enter a valid URL.")}, code="invalid") from None
    if parts.query or parts.fragment:
        raise ValidationError({"base_url": _("Give the portal's home address, without ? or #.")}, code="base_url")
    try:
        _scheme, host, port = split_base_url(url)
        resolve(host, port)
    except HarvestError:
        message = _(
            "The hub may only follow http(s) portals on public addresses (or on networks the settings allow); "
            "this address is refused."
        )
        raise ValidationError({"base_url": message}, code="address_refused") from None


# --- one request, pinned to the checked address, under the portal's deadline --------------------------------------
Deadline = outbound.Deadline


def _request_once(url: str, deadline: Deadline) -> tuple[int, str | None, str, bytes]:
    """(status, Location, Content-Type, body) of one GET of `url` (smartcity/outbound.py keeps the deadline)."""
    _scheme, host, port = split_base_url(url)
    try:
        address = resolve(host, port, deadline.left())
        answer = outbound.request(
            "GET",
            url,
            headers={"Accept": "application/json", "User-Agent": USER_AGENT},
            address=address,
            guard=guard(),
            deadline=deadline,
            max_bytes=settings.PROVINCIAL_HUB_MAX_BYTES,
        )
    except (outbound.TooSlowError, outbound.TooLargeError) as error:
        raise HarvestError(str(error)) from None
    except outbound.OutboundError as error:
        raise HarvestError(f"the portal {error}") from None
    return answer.status, answer.header("Location"), answer.header("Content-Type") or "", answer.body


def fetch_json(url: str, deadline: Deadline):
    """The JSON document at `url`, following at most MAX_REDIRECTS redirects (each target checked again)."""
    for _hop in range(MAX_REDIRECTS + 1):
        status, location, content_type, body = _request_once(url, deadline)
        if status in (301, 302, 303, 307, 308) and location:
            url = urljoin(url, location)
            continue
        if status != 200:
            raise HarvestError(f"{urlsplit(url).path} answered HTTP {status}")
        if "json" not in content_type.lower():
            raise HarvestError(f"{urlsplit(url).path} answered {content_type or 'no content type'}, not JSON")
        try:
            return json.loads(body.decode("utf-8"), parse_float=Decimal, parse_constant=_no_constant)
        except (UnicodeDecodeError, ValueError) as error:
            raise HarvestError(f"{urlsplit(url).path} answered something that is not JSON ({error})") from None
    raise HarvestError("too many redirects")


def _no_constant(name):
    raise ValueError(f"{name} is not a number")


# --- what the answers must look like ------------------------------------------------------------------------------
def slug_of(value) -> str | None:
    """A relation as the API writes it: a slug, or a brief object carrying the slug (or, for a dimension, code)."""
    if isinstance(value, str):
        return text(value) or None
    if isinstance(value, dict):
        found = value.get("slug") or value.get("code")
        return text(found) or None if isinstance(found, str) else None
    return None


def printable(value: str) -> str:
    """Without control characters (PostgreSQL refuses NUL in text and JSON alike)."""
    return "".join(ch if ch.isprintable() else "?" for ch in value)


def text(value) -> str:
    return printable(value[:MAX_TEXT]) if isinstance(value, str) else ""


def number(value) -> str | None:
    """A finite decimal as a string (JSON numbers and numeric strings both), else None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        parsed = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not parsed.is_finite() or abs(parsed) >= Decimal("1e12"):
        return None
    return str(parsed)


def year(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2200 else None


def results(document, what: str) -> list:
    """The rows of a list answer: a paginated `{"results": [...]}` or a bare list."""
    rows = document.get("results") if isinstance(document, dict) else document
    if not isinstance(rows, list):
        raise HarvestError(f"the {what} list is not a list")
    return [row for row in rows if isinstance(row, dict)]


def normalise_pillars(rows: list) -> list[dict]:
    pillars = []
    for row in rows[:MAX_ITEMS]:
        slug = slug_of(row.get("slug"))
        if slug:
            order = row.get("order")
            pillars.append(
                {
                    "slug": slug,
                    "name_ind": text(indonesian_name(row)),
                    "name_en": text(row.get("name_en")),
                    "order": order if isinstance(order, int) and not isinstance(order, bool) else 999,
                }
            )
    return sorted(pillars, key=lambda p: (p["order"], p["slug"]))


def indonesian_name(row: dict, read=dict.get):
    """A row's Indonesian name: `name_ind`, or its old `_id` name from a portal older than issue 24's rename."""
    current = read(row, "name_ind")
    return current if current is not None else read(row, "name_id")  # rename_ind: keep


def record_id(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63 else None


def named(row: dict, key: str):
    """A dimension score's name: inside its dimension's brief object (the one shape), or on the row (older)."""
    dimension = row.get("dimension")
    return dimension.get(key) if isinstance(dimension, dict) and key in dimension else row.get(key)


def normalise_evaluation(row: dict) -> dict | None:
    """A final result as the comparison keeps it, or None when it is not one (another stage, no year)."""
    if row.get("stage") != "final" or row.get("status", "final") != "final" or year(row.get("year")) is None:
        return None
    scheme = row.get("scheme_detail") if isinstance(row.get("scheme_detail"), dict) else row.get("scheme")
    scheme = scheme if isinstance(scheme, dict) else {}
    dimensions = [
        {
            "code": slug_of(d.get("dimension")),
            "name_ind": text(indonesian_name(d, read=named)),
            "name_en": text(named(d, "name_en")),
            "score": number(d.get("score")),
        }
        for d in (row.get("dimension_scores") or [])[:MAX_ITEMS]
        if isinstance(d, dict) and slug_of(d.get("dimension"))
    ]
    pillars = {
        slug_of(p.get("pillar")): number(p.get("score"))
        for p in (row.get("pillar_scores") or [])[:MAX_ITEMS]
        if isinstance(p, dict) and slug_of(p.get("pillar"))
    }
    return {
        "year": row["year"],
        "index": number(row.get("index")),
        "scale_max": number(scheme.get("scale_max")),
        "scheme_id": record_id(scheme.get("id")),  # read for its scale when the row carried none; then dropped
        "letter_number": text(row.get("letter_number")),
        "dimensions": dimensions,
        "pillars": pillars,
    }


def normalise_headline(rows: list) -> dict | None:
    row = next((row for row in rows if row.get("is_headline", True)), None)
    if row is None:
        return None
    targets = {
        str(year(t.get("year"))): number(t.get("value"))
        for t in (row.get("targets") or [])[:MAX_ITEMS]
        if isinstance(t, dict) and year(t.get("year"))
    }
    measured_on = row.get("latest_measured_on")
    measured_on = text(measured_on)[:10] or None
    return {
        "name_ind": text(indonesian_name(row)),
        "name_en": text(row.get("name_en")),
        "unit": text(row.get("unit"))[:20],
        "targets": targets,
        "latest_value": number(row.get("latest_value")),
        "latest_measured_on": measured_on,
        "latest_achievement": number(row.get("latest_achievement")),
    }


def api_url(base: str, path: str, **query) -> str:
    return urljoin(base.rstrip("/") + "/", path) + (f"?{urlencode(query)}" if query else "")


def harvest(base_url: str) -> dict:
    """Everything the comparison needs from one portal, read within one deadline; HarvestError says why not."""
    deadline = Deadline(settings.PROVINCIAL_HUB_TIMEOUT)
    pillars = normalise_pillars(
        results(fetch_json(api_url(base_url, "api/v1/pillars/", limit=100), deadline), "pillar")
    )
    by_year: dict[int, dict] = {}
    for page in range(MAX_PAGES):
        query = {"stage": "final", "limit": 100, "offset": page * 100}
        document = fetch_json(api_url(base_url, "api/v1/evaluations/", **query), deadline)
        rows = results(document, "evaluation")
        for row in rows:
            evaluation = normalise_evaluation(row)
            if evaluation is not None:
                by_year.setdefault(evaluation["year"], evaluation)
        if not (isinstance(document, dict) and document.get("next")) or not rows:
            break
    evaluations = [by_year[y] for y in sorted(by_year)][-MAX_ITEMS:]
    scales: dict[int, str | None] = {}
    for evaluation in evaluations:
        scheme_id = evaluation.pop("scheme_id")
        if evaluation["scale_max"] is None and scheme_id is not None:
            if scheme_id not in scales:
                scheme = fetch_json(api_url(base_url, f"api/v1/evaluation-schemes/{scheme_id}/"), deadline)
                scales[scheme_id] = number(scheme.get("scale_max")) if isinstance(scheme, dict) else None
            evaluation["scale_max"] = scales[scheme_id]
    headline_rows = results(
        fetch_json(api_url(base_url, "api/v1/indicators/", is_headline="true", limit=5), deadline), "indicator"
    )
    if not pillars:
        raise HarvestError("the portal lists no pillars")
    return {
        "pillars": pillars,
        "evaluations": evaluations,
        "headline": normalise_headline(headline_rows),
    }

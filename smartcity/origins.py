"""Whether a post comes from the portal's own pages, for the forms that carry no CSRF token (the public feedback
form sits on cached pages, so it cannot carry one).

Fetch Metadata first: a browser that sends Sec-Fetch-Site must say `same-origin` (a sibling subdomain is
`same-site`, a link typed or bookmarked `none`, another site `cross-site`: all refused). Without it, an old
browser's Origin header, or failing that its Referer, must name the portal's own origin exactly: the scheme and
host this request came in on (the host as ALLOWED_HOSTS validated it) or one of CSRF_TRUSTED_ORIGINS, compared
whole, never as a suffix or with wildcards. A post with none of these headers is refused: every browser since
2020 sends Origin on a POST. An Origin that is present must match even when Sec-Fetch-Site says same-origin."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost


def own_origins(request) -> set[str]:
    """The origins the portal answers on for this request: its own, and the operator's trusted ones."""
    trusted = {origin.rstrip("/").lower() for origin in settings.CSRF_TRUSTED_ORIGINS if "*" not in origin}
    try:
        return trusted | {f"{request.scheme}://{request.get_host()}".lower()}
    except DisallowedHost:
        return trusted


def _origin_of(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else None


def from_own_pages(request) -> bool:
    """Whether the browser says this request was sent from one of the portal's own pages (see the module)."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site != "same-origin":
        return False
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin.lower() in own_origins(request)
    if fetch_site == "same-origin":
        return True
    referer = request.headers.get("Referer")
    return referer is not None and _origin_of(referer) in own_origins(request)

"""Every app's pages and API routes, found in its `urls.py` and `api/urls.py` (smartcity/discovery.py), so the
core's URL wiring names no app.

Each app's `urls.py` says where its pages are served: `app_name` (the URL namespace) and `url_prefix`; its
`api/urls.py` gives `app_name` (`<app>-api`) and `urlpatterns` (its router's). Apps that declare the same
namespace are served together under one `include()` (a namespace can only be included once and still be reversed):
the frameworks and the provincial view left the evaluations app (issue 24) and keep the `evaluations` and
`evaluations-api` names and the /evaluations/ addresses they had there. In a shared namespace the guests' patterns
come before the host's own (the app the namespace is named after), whose `<slug>/` catch-alls come last."""

from types import ModuleType

from django.urls import URLPattern, URLResolver, include, path

from .discovery import app_modules


def _host(module: ModuleType, namespace: str) -> bool:
    return module.__name__.split(".")[0] == namespace.removesuffix("-api")


def _served_together(modules: list[ModuleType]) -> list[tuple[str, str, list]]:
    """(prefix, namespace, patterns) per namespace, in the order each namespace first appears."""
    namespaces: dict[str, list[ModuleType]] = {}
    for module in modules:
        namespaces.setdefault(module.app_name, []).append(module)
    served = []
    for namespace, members in namespaces.items():
        prefixes = {getattr(module, "url_prefix", "") for module in members}
        if len(prefixes) != 1:
            raise ValueError(f"The apps serving the namespace {namespace!r} give different prefixes: {prefixes}")
        members = sorted(members, key=lambda module: _host(module, namespace))  # stable: the guests, then the host
        served.append((prefixes.pop(), namespace, [p for module in members for p in module.urlpatterns]))
    return served


def app_pages() -> list[URLResolver | URLPattern]:
    """The apps' public pages, each app under its `url_prefix` and namespace (inside `i18n_patterns`)."""
    return [
        path(prefix, include((patterns, namespace)))
        for prefix, namespace, patterns in _served_together(app_modules("urls"))
    ]


def app_language_neutral() -> list[URLResolver | URLPattern]:
    """The apps' addresses that are one in every language and in no namespace (outside `i18n_patterns`): the
    `language_neutral_urlpatterns` of an app's `urls.py`, e.g. a file the pages of every language read."""
    return [p for module in app_modules("urls") for p in getattr(module, "language_neutral_urlpatterns", [])]


def app_api_routes() -> list[URLResolver | URLPattern]:
    """The apps' API routes, each app's router in its `<app>-api` namespace (under /api/v1/)."""
    return [
        path(prefix, include((patterns, namespace)))
        for prefix, namespace, patterns in _served_together(app_modules("api.urls"))
    ]

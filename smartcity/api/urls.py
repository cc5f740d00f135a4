"""Version 1 of the API: every app's routes, the OpenAPI schema and its offline docs."""

from types import SimpleNamespace

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from evaluations.api import urls as evaluations_api
from federation.api import urls as federation_api
from frameworks.api import urls as frameworks_api

from .docs import SchemaView, api_docs


def served_together(app_name: str, *modules) -> SimpleNamespace:
    """One URL namespace served by several apps' routers: their registrations in one router, read like an app's
    `api/urls.py` (app_name, router, urlpatterns)."""
    router = SimpleRouter()
    for module in modules:
        router.registry.extend(module.router.registry)
    return SimpleNamespace(app_name=app_name, router=router, urlpatterns=router.urls)


# The frameworks and the provincial view left the evaluations app (issue 24); their routes keep the names and
# addresses they had there, in the one `evaluations-api` namespace.
EVALUATIONS_API = served_together("evaluations-api", evaluations_api, frameworks_api, federation_api)

urlpatterns = [
    path("", include("pillars.api.urls")),
    path("", include("partnerships.api.urls")),
    path("", include(EVALUATIONS_API)),
    path("schema/", SchemaView.as_view(), name="schema"),
    # ReDoc in a page of the portal, started by a script file of ours (the CSP allows no inline script).
    path("docs/", api_docs, name="docs"),
]

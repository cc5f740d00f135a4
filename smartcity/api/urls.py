"""Version 1 of the API: every app's routes, the OpenAPI schema and its offline docs."""

from django.urls import include, path

from .docs import SchemaView, api_docs

urlpatterns = [
    path("", include("pillars.api.urls")),
    path("", include("partnerships.api.urls")),
    path("", include("evaluations.api.urls")),
    path("schema/", SchemaView.as_view(), name="schema"),
    # ReDoc in a page of the portal, started by a script file of ours (the CSP allows no inline script).
    path("docs/", api_docs, name="docs"),
]

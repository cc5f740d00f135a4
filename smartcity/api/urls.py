"""Version 1 of the API: every app's routes (found in each app's `api/urls.py`, smartcity/routes.py), the OpenAPI
schema and its offline docs."""

from django.urls import path

from ..routes import app_api_routes
from .docs import SchemaView, api_docs

urlpatterns = [
    *app_api_routes(),
    path("schema/", SchemaView.as_view(), name="schema"),
    # ReDoc in a page of the portal, started by a script file of ours (the CSP allows no inline script).
    path("docs/", api_docs, name="docs"),
]

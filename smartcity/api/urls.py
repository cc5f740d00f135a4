"""Version 1 of the API: every app's routes, the OpenAPI schema and its offline docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from evaluations.api import urls as evaluations_api
from federation.api import urls as federation_api
from frameworks.api import urls as frameworks_api

from .docs import api_docs

# The frameworks and the provincial view left the evaluations app (issue 24); their routes keep the names and
# addresses they had there, in the one `evaluations-api` namespace.
EVALUATIONS_API = evaluations_api.urlpatterns + frameworks_api.urlpatterns + federation_api.urlpatterns

urlpatterns = [
    path("", include("pillars.api.urls")),
    path("", include("partnerships.api.urls")),
    path("", include((EVALUATIONS_API, "evaluations-api"))),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # ReDoc in a page of the portal, started by a script file of ours (the CSP allows no inline script).
    path("docs/", api_docs, name="docs"),
]

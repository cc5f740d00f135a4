"""The provincial view's page. Its URL name keeps the `evaluations` namespace and its address stays under
/evaluations/ as before the split (issue 24): smartcity/routes.py serves it with the evaluations' pages, before
those."""

from django.urls import path

from . import views

app_name = "evaluations"  # the namespace it is served in
url_prefix = "evaluations/"

urlpatterns = [
    path("cities/", views.city_comparison, name="portal-comparison"),
]

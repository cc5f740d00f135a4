"""The provincial view's page. Its URL name keeps the `evaluations` namespace and its address stays under
/evaluations/ as before the split (issue 24): smartcity/urls.py serves it with the evaluations' pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("cities/", views.city_comparison, name="portal-comparison"),
]

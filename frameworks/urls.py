"""The frameworks' public pages. Their URL names keep the `evaluations` namespace and their addresses stay under
/evaluations/ as before the split (issue 24): smartcity/routes.py serves them with the evaluations' pages, before
those."""

from django.urls import path

from . import views

app_name = "evaluations"  # the namespace they are served in
url_prefix = "evaluations/"

urlpatterns = [
    path("frameworks/", views.framework_list, name="framework-list"),
    path("frameworks/<slug:slug>/", views.framework_detail, name="framework-detail"),
    path("indices/<slug:slug>/", views.external_index_detail, name="external-index-detail"),
]

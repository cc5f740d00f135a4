from django.urls import path

from . import export_views, framework_pages, views

app_name = "evaluations"

urlpatterns = [
    path("", views.evaluation_list, name="list"),
    path("<int:pk>/", views.evaluation_detail, name="detail"),
    path("<int:pk>/changes/", views.evaluation_changes, name="changes"),
    path("<int:pk>/readiness/", views.evaluation_readiness, name="readiness"),
    path("report/<int:year>/", views.evaluation_report, name="report"),
    path("frameworks/", framework_pages.framework_list, name="framework-list"),
    path("frameworks/<slug:slug>/", framework_pages.framework_detail, name="framework-detail"),
    path("indices/<slug:slug>/", framework_pages.external_index_detail, name="external-index-detail"),
    path("exports/", export_views.report_exports, name="report-exports"),
    path("exports/<int:pk>/download/", export_views.report_export_download, name="report-export-download"),
]

from django.urls import path

from . import export_views, federation_views, views

app_name = "evaluations"

urlpatterns = [
    path("", views.evaluation_list, name="list"),
    path("cities/", federation_views.city_comparison, name="cities"),
    path("<int:pk>/", views.evaluation_detail, name="detail"),
    path("<int:pk>/changes/", views.evaluation_changes, name="changes"),
    path("<int:pk>/readiness/", views.evaluation_readiness, name="readiness"),
    path("report/<int:year>/", views.evaluation_report, name="report"),
    path("exports/", export_views.report_exports, name="report-exports"),
    path("exports/<int:pk>/download/", export_views.report_export_download, name="report-export-download"),
]

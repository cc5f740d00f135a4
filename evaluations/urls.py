from django.urls import path

from . import export_views, federation_views, framework_pages, public_survey, views

app_name = "evaluations"

urlpatterns = [
    path("", views.evaluation_list, name="evaluation-list"),
    path("cities/", federation_views.city_comparison, name="portal-comparison"),
    path("report/<int:year>/", views.evaluation_report, name="evaluation-report"),
    path("frameworks/", framework_pages.framework_list, name="framework-list"),
    path("frameworks/<slug:slug>/", framework_pages.framework_detail, name="framework-detail"),
    path("indices/<slug:slug>/", framework_pages.external_index_detail, name="external-index-detail"),
    path("exports/", export_views.report_exports, name="report-export-list"),
    path("exports/<int:pk>/download/", export_views.report_export_download, name="report-export-download"),
    path("packs/<int:pk>/download/", export_views.evaluation_pack_download, name="evaluationpack-download"),
    path("regulations/", views.legal_instrument_list, name="legalinstrument-list"),
    path("surveys/<slug:slug>/<int:target>/answer/", public_survey.survey_answer, name="surveyresponse-create"),
    # The old addresses by id move permanently to the slug (a slug always has a hyphen, an id never).
    path("<int:pk>/", views.evaluation_moved),
    path("<int:pk>/changes/", views.evaluation_moved, {"page": "changes"}),
    path("<int:pk>/readiness/", views.evaluation_readiness_moved),
    path("<slug:slug>/", views.evaluation_detail, name="evaluation-detail"),
    path("<slug:slug>/changes/", views.evaluation_changes, name="evaluation-changes"),
    path("<slug:slug>/readiness/", views.evaluation_readiness, name="evaluation-readiness"),
]

from django.urls import path

from . import export_views, public_survey, views

# The namespace `evaluations` also holds the frameworks' and federation's pages, served before these ones
# (smartcity/routes.py).
app_name = "evaluations"
url_prefix = "evaluations/"

urlpatterns = [
    path("", views.evaluation_list, name="evaluation-list"),
    path("report/<int:year>/", views.evaluation_report, name="evaluation-report"),
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

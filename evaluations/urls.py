from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("", views.evaluation_list, name="list"),
    path("<int:pk>/", views.evaluation_detail, name="detail"),
    path("<int:pk>/changes/", views.evaluation_changes, name="changes"),
    path("<int:pk>/readiness/", views.evaluation_readiness, name="readiness"),
    path("report/<int:year>/", views.evaluation_report, name="report"),
]

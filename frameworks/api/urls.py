"""The frameworks' API routes. Their names keep the `evaluations-api` namespace they had before the split (issue 24):
smartcity/routes.py serves them with the evaluations' routes."""

from rest_framework.routers import SimpleRouter

from . import views

app_name = "evaluations-api"  # the namespace they are served in

router = SimpleRouter()
router.register("frameworks", views.FrameworkViewSet, basename="framework")
router.register("self-assessments", views.SelfAssessmentViewSet, basename="selfassessment")
router.register("external-indices", views.ExternalIndexViewSet, basename="externalindex")
router.register("external-index-values", views.ExternalIndexValueViewSet, basename="externalindexvalue")

urlpatterns = router.urls

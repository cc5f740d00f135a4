from rest_framework.routers import SimpleRouter

from . import views

app_name = "evaluations-api"

router = SimpleRouter()
router.register("evaluation-schemes", views.EvaluationSchemeViewSet, basename="evaluationscheme")
router.register("evaluations", views.EvaluationViewSet, basename="evaluation")
router.register("findings", views.FindingViewSet, basename="finding")
router.register("follow-ups", views.FollowUpActionViewSet, basename="followup")
router.register("field-visits", views.FieldVisitViewSet, basename="fieldvisit")
router.register("followed-portals", views.FollowedPortalViewSet, basename="followedportal")
router.register("portal-snapshots", views.PortalSnapshotViewSet, basename="portalsnapshot")

urlpatterns = router.urls

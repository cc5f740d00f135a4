"""The provincial view's API routes. Their names keep the `evaluations-api` namespace they had before the split
(issue 24): smartcity/routes.py serves them with the evaluations' routes."""

from rest_framework.routers import SimpleRouter

from . import views

app_name = "evaluations-api"  # the namespace they are served in

router = SimpleRouter()
router.register("followed-portals", views.FollowedPortalViewSet, basename="followedportal")
router.register("portal-snapshots", views.PortalSnapshotViewSet, basename="portalsnapshot")

urlpatterns = router.urls

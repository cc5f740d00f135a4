from rest_framework.routers import SimpleRouter

from . import views
from .assets import OperatedAssetViewSet

app_name = "partnerships-api"

router = SimpleRouter()
router.register("partners", views.PartnerViewSet, basename="partner")
router.register("scope-areas", views.ScopeAreaViewSet, basename="scope-area")
router.register("mous", views.MoUViewSet, basename="mou")
router.register("commitments", views.CommitmentViewSet, basename="commitment")
router.register("progress-reports", views.ProgressReportViewSet, basename="progress-report")
router.register("webhook-endpoints", views.WebhookEndpointViewSet, basename="webhook-endpoint")
router.register("webhook-deliveries", views.WebhookDeliveryViewSet, basename="webhook-delivery")
router.register("operated-assets", OperatedAssetViewSet, basename="operated-asset")
urlpatterns = router.urls

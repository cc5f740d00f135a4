from rest_framework.routers import SimpleRouter

from . import views
from .assets import OperatedAssetViewSet

app_name = "partnerships-api"

router = SimpleRouter()
router.register("partners", views.PartnerViewSet, basename="partner")
router.register("scope-areas", views.ScopeAreaViewSet, basename="scopearea")
router.register("mous", views.MoUViewSet, basename="mou")
router.register("commitments", views.CommitmentViewSet, basename="commitment")
router.register("progress-reports", views.ProgressReportViewSet, basename="progressreport")
router.register("webhook-endpoints", views.WebhookEndpointViewSet, basename="webhookendpoint")
router.register("webhook-deliveries", views.WebhookDeliveryViewSet, basename="webhookdelivery")
router.register("operated-assets", OperatedAssetViewSet, basename="infrastructureasset")
urlpatterns = router.urls

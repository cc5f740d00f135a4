from rest_framework.routers import SimpleRouter

from . import views

app_name = "pillars-api"

router = SimpleRouter()
router.register("pillars", views.PillarViewSet, basename="pillar")
router.register("agencies", views.AgencyViewSet, basename="agency")

urlpatterns = router.urls

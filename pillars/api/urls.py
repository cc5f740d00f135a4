from rest_framework.routers import SimpleRouter

from . import views

app_name = "pillars-api"

router = SimpleRouter()
router.register("pillars", views.PillarViewSet, basename="pillar")
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("masterplans", views.MasterplanViewSet, basename="masterplan")
router.register("programs", views.ProgramViewSet, basename="program")
router.register("program-indicators", views.ProgramIndicatorViewSet, basename="programindicator")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("milestones", views.MilestoneViewSet, basename="milestone")
router.register("budget-lines", views.BudgetLineViewSet, basename="budgetline")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("targets", views.IndicatorTargetViewSet, basename="indicatortarget")
router.register("measurements", views.MeasurementViewSet, basename="measurement")
router.register("services", views.DigitalServiceViewSet, basename="digitalservice")
router.register("assets", views.InfrastructureAssetViewSet, basename="infrastructureasset")
router.register("districts", views.DistrictViewSet, basename="district")
router.register("villages", views.VillageViewSet, basename="village")
router.register("feedback", views.FeedbackViewSet, basename="feedback")

urlpatterns = router.urls

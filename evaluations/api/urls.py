from rest_framework.routers import SimpleRouter

from . import views

# The namespace `evaluations-api` also holds the frameworks' and federation's routes (smartcity/routes.py).
app_name = "evaluations-api"

router = SimpleRouter()
router.register("evaluation-schemes", views.EvaluationSchemeViewSet, basename="evaluationscheme")
router.register("evaluations", views.EvaluationViewSet, basename="evaluation")
router.register("findings", views.FindingViewSet, basename="finding")
router.register("follow-ups", views.FollowUpActionViewSet, basename="followupaction")
router.register("field-visits", views.FieldVisitViewSet, basename="fieldvisit")

router.register("legal-instruments", views.LegalInstrumentViewSet, basename="legalinstrument")
router.register("surveys", views.SurveyViewSet, basename="survey")
router.register("survey-targets", views.SurveyTargetViewSet, basename="surveytarget")
router.register("survey-responses", views.SurveyResponseViewSet, basename="surveyresponse")
router.register("clarification-requests", views.ClarificationRequestViewSet, basename="clarificationrequest")
router.register("evaluation-packs", views.EvaluationPackViewSet, basename="evaluationpack")

urlpatterns = router.urls

from rest_framework.routers import SimpleRouter

from . import framework_views, views

app_name = "evaluations-api"

router = SimpleRouter()
router.register("evaluation-schemes", views.EvaluationSchemeViewSet, basename="evaluationscheme")
router.register("evaluations", views.EvaluationViewSet, basename="evaluation")
router.register("findings", views.FindingViewSet, basename="finding")
router.register("follow-ups", views.FollowUpActionViewSet, basename="followupaction")
router.register("field-visits", views.FieldVisitViewSet, basename="fieldvisit")
router.register("followed-portals", views.FollowedPortalViewSet, basename="followedportal")
router.register("portal-snapshots", views.PortalSnapshotViewSet, basename="portalsnapshot")

router.register("legal-instruments", views.LegalInstrumentViewSet, basename="legalinstrument")
router.register("surveys", views.SurveyViewSet, basename="survey")
router.register("survey-targets", views.SurveyTargetViewSet, basename="surveytarget")
router.register("survey-responses", views.SurveyResponseViewSet, basename="surveyresponse")
router.register("clarification-requests", views.ClarificationRequestViewSet, basename="clarificationrequest")
router.register("evaluation-packs", views.EvaluationPackViewSet, basename="evaluationpack")
router.register("frameworks", framework_views.FrameworkViewSet, basename="framework")
router.register("self-assessments", framework_views.SelfAssessmentViewSet, basename="selfassessment")
router.register("external-indices", framework_views.ExternalIndexViewSet, basename="externalindex")
router.register("external-index-values", framework_views.ExternalIndexValueViewSet, basename="externalindexvalue")

urlpatterns = router.urls

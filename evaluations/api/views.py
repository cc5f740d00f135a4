from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from evaluations import services
from evaluations.filters import (
    EvaluationFilterSet,
    EvaluationSchemeFilterSet,
    FieldVisitFilterSet,
    FindingFilterSet,
    FollowedPortalFilterSet,
    FollowUpActionFilterSet,
    PortalSnapshotFilterSet,
)
from evaluations.models import (
    Evaluation,
    EvaluationScheme,
    FieldVisit,
    Finding,
    FollowedPortal,
    FollowUpAction,
    PortalSnapshot,
)
from smartcity.api.permissions import HasPerm
from smartcity.api.views import RecordViewSet

from .serializers import (
    EvaluationSchemeSerializer,
    EvaluationSerializer,
    FieldVisitSerializer,
    FindingSerializer,
    FollowedPortalSerializer,
    FollowUpActionSerializer,
    PortalSnapshotSerializer,
)


class EvaluationSchemeViewSet(RecordViewSet):
    """The yearly scoring schemes: scale, weighted dimensions and bands (written as one whole by the writer)."""

    queryset = EvaluationScheme.objects.all()
    serializer_class = EvaluationSchemeSerializer
    filterset_class = EvaluationSchemeFilterSet
    ordering_fields = ["year", "issuing_body"]


class EvaluationViewSet(RecordViewSet):
    """The city's evaluations with their dimension and pillar scores, index, band and improvement. The status is
    read-only here: it moves by `submit` and `finalise`, each with its own permission."""

    queryset = Evaluation.objects.all()
    serializer_class = EvaluationSerializer
    filterset_class = EvaluationFilterSet
    ordering_fields = ["year", "stage", "letter_date"]

    @extend_schema(request=None, description=_("Hand a draft evaluation in: it becomes submitted."))
    @action(detail=True, methods=["post"], permission_classes=[HasPerm("evaluations.submit_evaluation")])
    def submit(self, request, pk=None):
        evaluation = services.evaluation_submit(evaluation=self.get_object(), actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=evaluation.pk)).data)

    @extend_schema(request=None, description=_("Declare a submitted evaluation final."))
    @action(detail=True, methods=["post"], permission_classes=[HasPerm("evaluations.finalise_evaluation")])
    def finalise(self, request, pk=None):
        evaluation = services.evaluation_finalise(evaluation=self.get_object(), actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=evaluation.pk)).data)


class FindingViewSet(RecordViewSet):
    """Strengths, weaknesses and recommendations recorded by the assessors."""

    queryset = Finding.objects.all()
    serializer_class = FindingSerializer
    filterset_class = FindingFilterSet
    ordering_fields = ["kind", "pillar__order"]


class FollowUpActionViewSet(RecordViewSet):
    """Follow-up actions on the findings; OPD editors change only their own agency's."""

    queryset = FollowUpAction.objects.all()
    serializer_class = FollowUpActionSerializer
    filterset_class = FollowUpActionFilterSet
    ordering_fields = ["due_on", "status"]


class FieldVisitViewSet(RecordViewSet):
    """The sites and agencies the assessors visited, with photos and documents."""

    queryset = FieldVisit.objects.all()
    serializer_class = FieldVisitSerializer
    filterset_class = FieldVisitFilterSet
    ordering_fields = ["visited_on"]


# --- the provincial view ------------------------------------------------------------------------------------------
class FollowedPortalViewSet(RecordViewSet):
    """The other cities' portals a provincial hub reads (public: the active ones); Diskominfo keeps the list."""

    queryset = FollowedPortal.objects.all()
    serializer_class = FollowedPortalSerializer
    filterset_class = FollowedPortalFilterSet
    ordering_fields = ["name", "created_at"]


class PortalSnapshotViewSet(RecordViewSet):
    """What each harvest read from a followed portal, and when; written by the harvest only."""

    queryset = PortalSnapshot.objects.all()
    serializer_class = PortalSnapshotSerializer
    filterset_class = PortalSnapshotFilterSet
    ordering_fields = ["read_at"]
    http_method_names = ["get", "head", "options"]

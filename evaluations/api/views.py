from rest_framework import viewsets

from evaluations import services
from evaluations.filters import (
    EvaluationFilterSet,
    EvaluationSchemeFilterSet,
    FieldVisitFilterSet,
    FindingFilterSet,
    FollowUpActionFilterSet,
)
from evaluations.models import Evaluation, EvaluationScheme, FieldVisit, Finding, FollowUpAction
from smartcity.api.caching import CachedListMixin
from smartcity.api.permissions import PublicReadModelPermissions

from .serializers import (
    EvaluationSchemeSerializer,
    EvaluationSerializer,
    FieldVisitSerializer,
    FindingSerializer,
    FollowUpActionSerializer,
)


class ServiceViewSet(CachedListMixin, viewsets.ModelViewSet):
    """Reads through `visible_to(user).with_related()` (public rows for anonymous callers); writes through
    the app's services, after which the row is read again with its bundle."""

    permission_classes = [PublicReadModelPermissions]
    create_service = update_service = None
    instance_argument = ""

    def get_queryset(self):
        return self.queryset.visible_to(self.request.user).with_related()

    def perform_create(self, serializer):
        obj = type(self).create_service(actor=self.request.user, **serializer.validated_data)
        serializer.instance = self.queryset.with_related().get(pk=obj.pk)

    def perform_update(self, serializer):
        arguments = {self.instance_argument: serializer.instance, "actor": self.request.user}
        obj = type(self).update_service(**arguments, **serializer.validated_data)
        serializer.instance = self.queryset.with_related().get(pk=obj.pk)


class EvaluationSchemeViewSet(ServiceViewSet):
    """The yearly scoring schemes: scale, weighted dimensions and bands."""

    queryset = EvaluationScheme.objects.all()
    serializer_class = EvaluationSchemeSerializer
    filterset_class = EvaluationSchemeFilterSet
    ordering_fields = ["year", "issuing_body"]
    create_service, update_service, instance_argument = services.scheme_create, services.scheme_update, "scheme"


class EvaluationViewSet(ServiceViewSet):
    """The city's evaluations with their dimension and pillar scores, index, band and improvement."""

    queryset = Evaluation.objects.all()
    serializer_class = EvaluationSerializer
    filterset_class = EvaluationFilterSet
    ordering_fields = ["year", "stage", "letter_date"]
    create_service, update_service, instance_argument = (
        services.evaluation_create,
        services.evaluation_update,
        "evaluation",
    )


class FindingViewSet(ServiceViewSet):
    """Strengths, weaknesses and recommendations recorded by the assessors."""

    queryset = Finding.objects.all()
    serializer_class = FindingSerializer
    filterset_class = FindingFilterSet
    ordering_fields = ["kind", "pillar__order"]
    create_service, update_service, instance_argument = services.finding_create, services.finding_update, "finding"


class FollowUpActionViewSet(ServiceViewSet):
    """Follow-up actions on the findings; OPD editors change only their own agency's."""

    queryset = FollowUpAction.objects.all()
    serializer_class = FollowUpActionSerializer
    filterset_class = FollowUpActionFilterSet
    ordering_fields = ["due_on", "status"]
    create_service, update_service, instance_argument = (
        services.follow_up_create,
        services.follow_up_update,
        "follow_up",
    )


class FieldVisitViewSet(ServiceViewSet):
    """The sites and agencies the assessors visited, with photos and documents."""

    queryset = FieldVisit.objects.all()
    serializer_class = FieldVisitSerializer
    filterset_class = FieldVisitFilterSet
    ordering_fields = ["visited_on"]
    create_service, update_service, instance_argument = (
        services.field_visit_create,
        services.field_visit_update,
        "field_visit",
    )

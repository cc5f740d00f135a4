from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from partnerships import filters, services
from partnerships.models import Commitment, MoU, Partner, ProgressReport, ScopeArea
from smartcity.api.caching import CachedListMixin
from smartcity.api.permissions import HasPerm, PublicReadModelPermissions

from . import serializers


class WritableRecordViewSet(
    CachedListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Public reads of `visible_to(user)` rows through `with_related()`; writes need the model permission and
    go through a service. No deletes: partnership records carry legal weight (staff remove mistakes in the admin)."""

    permission_classes = [PublicReadModelPermissions]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return self.queryset.visible_to(self.request.user).with_related()

    def reread(self, instance):
        return self.get_queryset().get(pk=instance.pk)  # the response is prefetched too


class PartnerViewSet(WritableRecordViewSet):
    """Partner organisations; contact people only for staff holding view_partnercontact."""

    queryset = Partner.objects.all()
    filterset_class = filters.PartnerFilterSet
    ordering_fields = ["name", "kind", "updated_at"]
    lookup_field = "slug"

    def shows_contacts(self) -> bool:
        return self.request.user.has_perm("partnerships.view_partnercontact")

    def get_queryset(self):
        queryset = self.queryset.visible_to(self.request.user)
        return queryset.with_contacts() if self.shows_contacts() else queryset.with_related()

    def get_serializer_class(self):
        return serializers.PartnerWithContactsSerializer if self.shows_contacts() else serializers.PartnerSerializer

    def perform_create(self, serializer):
        partner = services.partner_save(partner=Partner(), actor=self.request.user, data=serializer.validated_data)
        serializer.instance = self.reread(partner)

    def perform_update(self, serializer):
        partner = services.partner_save(
            partner=serializer.instance, actor=self.request.user, data=serializer.validated_data
        )
        serializer.instance = self.reread(partner)


class ScopeAreaViewSet(CachedListMixin, viewsets.ReadOnlyModelViewSet):
    """The scope areas an MoU can cover: public reference data, changed only in the admin."""

    queryset = ScopeArea.objects.with_related()
    serializer_class = serializers.ScopeAreaSerializer
    filterset_class = filters.ScopeAreaFilterSet
    permission_classes = [PublicReadModelPermissions]
    ordering_fields = ["order", "name_id", "name_en"]
    lookup_field = "slug"


class MoUViewSet(WritableRecordViewSet):
    """The MoU registry. `status` is derived from the state and dates on every read, never stored."""

    queryset = MoU.objects.all()
    serializer_class = serializers.MoUSerializer
    filterset_class = filters.MoUFilterSet
    ordering_fields = ["valid_from", "valid_until", "signed_on", "title_id", "updated_at"]
    lookup_field = "slug"

    def perform_create(self, serializer):
        mou = services.mou_create(actor=self.request.user, **serializer.validated_data)
        serializer.instance = self.reread(mou)

    def perform_update(self, serializer):
        mou = services.mou_update(mou=serializer.instance, actor=self.request.user, **serializer.validated_data)
        serializer.instance = self.reread(mou)

    @action(detail=True, methods=["post"], permission_classes=[HasPerm("partnerships.sign_mou")])
    def sign(self, request, slug=None):
        params = serializers.MoUSignSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        mou = services.mou_sign(mou=self.get_object(), actor=request.user, **params.validated_data)
        return Response(self.get_serializer(self.reread(mou)).data)

    @action(detail=True, methods=["post"], permission_classes=[HasPerm("partnerships.terminate_mou")])
    def terminate(self, request, slug=None):
        params = serializers.MoUTerminateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        mou = services.mou_terminate(mou=self.get_object(), actor=request.user, **params.validated_data)
        return Response(self.get_serializer(self.reread(mou)).data)


class CommitmentViewSet(WritableRecordViewSet):
    """Measurable commitments under MoUs, with the progress the newest report shows."""

    queryset = Commitment.objects.all()
    serializer_class = serializers.CommitmentSerializer
    filterset_class = filters.CommitmentFilterSet
    ordering_fields = ["due_on", "target_quantity", "last_reported_on", "updated_at"]

    def perform_create(self, serializer):
        commitment = services.commitment_save(
            commitment=Commitment(), actor=self.request.user, data=serializer.validated_data
        )
        serializer.instance = self.reread(commitment)

    def perform_update(self, serializer):
        commitment = services.commitment_save(
            commitment=serializer.instance, actor=self.request.user, data=serializer.validated_data
        )
        serializer.instance = self.reread(commitment)


class ProgressReportPermissions(PublicReadModelPermissions):
    """Staff need add_progressreport; a partner's key may create (the service checks the commitment is its own)."""

    def has_permission(self, request, view):
        if request.method == "POST" and getattr(request.user, "partner_id", None):
            return True
        return super().has_permission(request, view)


class ProgressReportViewSet(
    CachedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Progress reports on commitments; partners post theirs with their API key. Reports are not edited."""

    queryset = ProgressReport.objects.all()
    serializer_class = serializers.ProgressReportSerializer
    filterset_class = filters.ProgressReportFilterSet
    permission_classes = [ProgressReportPermissions]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    ordering_fields = ["reported_on", "quantity_reached", "created_at"]

    def get_queryset(self):
        return self.queryset.visible_to(self.request.user).with_related()

    def perform_create(self, serializer):
        report = services.progress_report_create(actor=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=report.pk)

"""The one write a partner's key makes outside partnerships: the status of the infrastructure assets it operates
(InfrastructureAsset.operator)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from partnerships import services
from partnerships.querysets import partner_id_of
from pillars.api.serializers import deprecated_area_name
from pillars.choices import AssetStatus
from pillars.filters import InfrastructureAssetFilterSet
from pillars.models import InfrastructureAsset, Village
from smartcity.api import serializers
from smartcity.api.caching import CachedListMixin
from smartcity.api.relations import BriefRelatedField
from smartcity.api.views import BriefListMixin
from smartcity.models import PublishableQuerySet


class IsPartnerKey(permissions.BasePermission):
    """Only a partner's system, calling with its API key."""

    def has_permission(self, request, view):
        return partner_id_of(request.user) is not None


@extend_schema_serializer(deprecate_fields=["kelurahan"])
class OperatedAssetSerializer(serializers.ModelSerializer):
    village = BriefRelatedField(model=Village, read_only=True, allow_null=True)
    kelurahan = deprecated_area_name("village")  # issue 24: the free-text column became the link

    class Meta:
        model = InfrastructureAsset
        fields = ["id", "kind", "name", "village", "kelurahan", "status", "updated_at"]
        read_only_fields = ["id", "kind", "name", "status", "updated_at"]


class AssetStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=AssetStatus.choices, label=_("status"))


class OperatedAssetViewSet(BriefListMixin, CachedListMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The assets a partner operates (list); `POST <id>/status/` sets one's status. Another partner's
    published asset is a 403, an unpublished one a 404."""

    serializer_class = OperatedAssetSerializer
    permission_classes = [IsPartnerKey]
    filterset_class = InfrastructureAssetFilterSet  # the assets endpoint's own: one FilterSet per model

    def get_queryset(self):
        partner_id = partner_id_of(self.request.user)
        visible = InfrastructureAsset.objects.filter(PublishableQuerySet.published_q() | Q(operator_id=partner_id))
        if self.action == "list":
            visible = visible.filter(operator_id=partner_id)
        return visible.with_related()

    @extend_schema(
        request=AssetStatusSerializer,
        responses=OperatedAssetSerializer,
        description=_("Set the status of an asset the partner operates."),
        examples=[OpenApiExample("Out of service", {"status": "down"}, request_only=True)],
    )
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        params = AssetStatusSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        asset = services.asset_status_update(asset=self.get_object(), actor=request.user, **params.validated_data)
        return Response(self.get_serializer(asset).data)

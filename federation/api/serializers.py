from smartcity.api import serializers
from smartcity.api.relations import BriefRelatedField

from ..models import FollowedPortal, PortalSnapshot


class FollowedPortalBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowedPortal
        fields = ["id", "name", "base_url"]


class FollowedPortalSerializer(serializers.ModelSerializer):
    last_read_at = serializers.DateTimeField(read_only=True, allow_null=True)
    last_read_ok = serializers.BooleanField(read_only=True, allow_null=True)
    last_reason = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = FollowedPortal
        fields = [
            "id",
            "name",
            "base_url",
            "active",
            "last_read_at",
            "last_read_ok",
            "last_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class PortalSnapshotBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = PortalSnapshot
        fields = ["id", "read_at", "ok"]


class PortalSnapshotSerializer(serializers.ModelSerializer):
    portal = BriefRelatedField(model=FollowedPortal, read_only=True)

    class Meta:
        model = PortalSnapshot
        fields = ["id", "portal", "read_at", "ok", "reason", "duration_ms", "data"]
        read_only_fields = fields

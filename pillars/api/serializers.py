from rest_framework import serializers

from pillars.models import Agency, Pillar, SubDimension


class SubDimensionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubDimension
        fields = ["id", "slug", "order", "name_id", "name_en"]


class PillarSerializer(serializers.ModelSerializer):
    sub_dimensions = SubDimensionBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Pillar
        fields = [
            "id",
            "slug",
            "order",
            "name_id",
            "name_en",
            "description_id",
            "description_en",
            "colour",
            "sub_dimensions",
            "updated_at",
        ]


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "slug", "name", "acronym", "updated_at"]

from django.db import models


class PillarQuerySet(models.QuerySet):
    def with_related(self):
        """Everything the pillar serializer and templates read: the pillar and its sub-dimensions."""
        return self.prefetch_related("sub_dimensions")


class SubDimensionQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("pillar")


class AgencyQuerySet(models.QuerySet):
    def with_related(self):
        return self

"""Reads of the pillars app: one `with_related()` bundle per model, plus publication and agency scopes."""

from django.db import models
from django.db.models import OuterRef, Prefetch, Subquery

from smartcity.models import PublicParentMixin, PublishableQuerySet, ReferenceQuerySet
from smartcity.scoping import AgencyScopedMixin


class PillarQuerySet(ReferenceQuerySet):
    def with_related(self):
        """Everything the pillar serializer and templates read: the pillar and its sub-dimensions."""
        return self.prefetch_related("sub_dimensions")


class SubDimensionQuerySet(ReferenceQuerySet):
    def with_related(self):
        return self.select_related("pillar")


class AgencyQuerySet(ReferenceQuerySet):
    def with_related(self):
        return self.all()  # a new queryset: a viewset's class-level one is never evaluated (see MasterplanQuerySet)


class AreaQuerySet(ReferenceQuerySet):
    """Districts and villages are public reference data."""

    def with_related(self):
        return self.select_related("district") if self.model._meta.model_name == "village" else self.all()


class MasterplanQuerySet(ReferenceQuerySet):
    def with_related(self):
        """Nothing to join; a new queryset all the same, so that a viewset's class-level queryset is never the one
        evaluated (its cached rows would answer every later request)."""
        return self.all()


class ProgramQuerySet(AgencyScopedMixin, PublishableQuerySet):
    def with_related(self):
        """What the program serializer, list and page read, in a fixed number of queries."""
        return self.select_related("pillar", "lead_agency", "masterplan").prefetch_related(
            "sub_dimensions", "supporting_agencies", "districts"
        )


class MilestoneQuerySet(PublicParentMixin, AgencyScopedMixin, models.QuerySet):
    parent_field = "program"
    agency_field = "program__lead_agency"

    def with_related(self):
        return self.select_related("program")


class BudgetLineQuerySet(PublicParentMixin, AgencyScopedMixin, models.QuerySet):
    parent_field = "program"
    agency_field = "program__lead_agency"

    def with_related(self):
        return self.select_related("program")


class ActivityQuerySet(PublicParentMixin, AgencyScopedMixin, models.QuerySet):
    parent_field = "program"
    agency_field = "owner_agency"

    def with_related(self):
        return self.select_related("program__pillar", "owner_agency")


class IndicatorQuerySet(AgencyScopedMixin, PublishableQuerySet):
    agency_field = "owner_agency"

    def published(self, at=None):
        """Published, due, and approved by the walidata: an indicator the walidata has not approved is on no
        public surface (pages, API, downloads, open data, the catalogue), whatever its publication says."""
        from pillars.choices import Approval

        return super().published(at).filter(approval=Approval.APPROVED)

    def with_latest_measurement(self):
        """Annotate `latest_value` and `latest_measured_on`: the newest measurement, one subquery each."""
        from pillars.models import Measurement

        newest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-measured_on")
        return self.annotate(
            latest_value=Subquery(newest.values("value")[:1]),
            latest_measured_on=Subquery(newest.values("measured_on")[:1]),
        )

    def with_related(self):
        from pillars.models import IndicatorTarget

        return (
            self.select_related("pillar", "owner_agency")
            .prefetch_related(Prefetch("targets", queryset=IndicatorTarget.objects.order_by("year")))
            .with_latest_measurement()
        )


class IndicatorTargetQuerySet(PublicParentMixin, AgencyScopedMixin, models.QuerySet):
    parent_field, agency_field = "indicator", "indicator__owner_agency"

    def with_related(self):
        return self.select_related("indicator")


class MeasurementQuerySet(PublicParentMixin, AgencyScopedMixin, models.QuerySet):
    parent_field, agency_field = "indicator", "indicator__owner_agency"

    def with_related(self):
        return self.select_related("indicator")


class DigitalServiceQuerySet(AgencyScopedMixin, PublishableQuerySet):
    agency_field = "owner_agency"

    def with_related(self):
        return self.select_related("pillar", "owner_agency")


class InfrastructureAssetQuerySet(PublishableQuerySet):
    def with_related(self):
        return self.select_related("program", "operator", "district", "village")

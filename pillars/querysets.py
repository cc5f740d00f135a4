"""Reads of the pillars app: one `with_related()` bundle per model, plus publication and agency scopes."""

import datetime

from django.db import models
from django.db.models import Case, DateField, F, OuterRef, Prefetch, Q, Subquery, When
from django.db.models.functions import Cast, Coalesce, TruncDate

from smartcity.models import PublicParentMixin, PublishableQuerySet, ReferenceQuerySet, VisibleMixin
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

    def with_indicator_links(self, user=None, *, role=None, to_attr=None):
        """Each program's links to indicators (`indicator_links`, or `to_attr`) that `user` may see (None: the
        public: links to published programs' published indicators), with the indicator, optionally of one role."""
        from pillars.models import ProgramIndicator

        links = ProgramIndicator.objects.visible_to(user).select_related("indicator")
        if role is not None:
            links = links.filter(role=role)
        ordered = links.order_by("role", "indicator__name_id", "pk")
        return self.prefetch_related(Prefetch("indicator_links", queryset=ordered, to_attr=to_attr))


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

    def with_measurement_due(self):
        """with_latest_measurement() plus `measurement_due_on`: the day the next measurement is due, FREQUENCY_DAYS
        after the latest one by the indicator's frequency (never measured: due since the indicator was made)."""
        from pillars.choices import FREQUENCY_DAYS

        latest = F("latest_measured_on")
        after_latest = Case(
            *[
                When(frequency=frequency, then=Cast(latest + datetime.timedelta(days=days), DateField()))
                for frequency, days in FREQUENCY_DAYS.items()
            ],
            output_field=DateField(),
        )
        return self.with_latest_measurement().annotate(
            measurement_due_on=Coalesce(after_latest, TruncDate("created_at"), output_field=DateField())
        )

    def stale(self, on: datetime.date):
        """Not measured as often as the frequency says on `on`: never measured, or the next measurement overdue."""
        return self.with_measurement_due().filter(Q(latest_measured_on__isnull=True) | Q(measurement_due_on__lt=on))

    def with_related(self):
        from pillars.models import IndicatorTarget

        return (
            self.select_related("pillar", "owner_agency")
            .prefetch_related(Prefetch("targets", queryset=IndicatorTarget.objects.order_by("year")))
            .with_latest_measurement()
        )


class ProgramIndicatorQuerySet(AgencyScopedMixin, VisibleMixin, models.QuerySet):
    """A program's link to an indicator: public when both the program and the indicator are (a link to a draft
    either way is on no public surface); holders of view_programindicator see them all; the program's lead
    agency edits them."""

    agency_field = "program__lead_agency"

    def public(self):
        from pillars.models import Indicator, Program

        return self.filter(
            program__in=Program.objects.public().values("pk"), indicator__in=Indicator.objects.public().values("pk")
        )

    def with_related(self):
        return self.select_related("program__pillar", "indicator")

    def for_pages(self):
        """What the program and indicator pages read of each link: the indicator with its latest value and
        targets (for its standing), the program with its stage and progress."""
        from pillars.models import Indicator

        indicators = Indicator.objects.with_related()
        return self.select_related("program__pillar", "program__lead_agency").prefetch_related(
            Prefetch("indicator", queryset=indicators)
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


class FeedbackQuerySet(models.QuerySet):
    """Citizen feedback: the public sees published messages about public records; staff who hold the view permission
    see their own agencies' (every agency's with `manage_all_agencies`), contacts included."""

    def published(self):
        from pillars.choices import FeedbackStatus
        from pillars.models import DigitalService, Program

        return self.filter(status=FeedbackStatus.PUBLISHED).filter(
            models.Q(program__in=Program.objects.public().values("pk"))
            | models.Q(service__in=DigitalService.objects.public().values("pk"))
        )

    def public(self):
        return self.published()

    def editable_by(self, user):
        """The rows of the agencies `user` edits for: a program's lead agency, a service's owner agency."""
        from pillars.models import Agency
        from smartcity.scoping import manages_all_agencies

        if manages_all_agencies(user):
            return self
        agencies = Agency.objects.filter(members=user).values("pk")
        return self.filter(models.Q(program__lead_agency__in=agencies) | models.Q(service__owner_agency__in=agencies))

    def visible_to(self, user):
        """Published rows for everyone; every row of their own agencies for holders of `pillars.view_feedback`."""
        if user is not None and user.has_perm("pillars.view_feedback"):
            return self.editable_by(user)
        return self.public()

    def pending(self):
        from pillars.choices import FeedbackStatus

        return self.filter(status=FeedbackStatus.PENDING)

    def with_related(self):
        return self.select_related("program__lead_agency", "program__pillar", "service__owner_agency", "moderated_by")

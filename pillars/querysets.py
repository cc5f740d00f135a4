"""Reads of the pillars app: one `with_related()` bundle per model, and each model's access `policy` (who sees
and who changes its rows, smartcity/policy.py): the one place its owning agency and public condition are named."""

import datetime
from decimal import Decimal

from django.db import models
from django.db.models import (
    Case,
    CharField,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, TruncDate

from smartcity.functions import YearStart
from smartcity.models import PublicParentMixin, PublishableQuerySet, ReferenceQuerySet
from smartcity.policy import EVERYONE, PUBLISHED, Policy, Public, RestrictedQuerySet

# Reference data: everyone reads it, only Diskominfo changes it.
REFERENCE = Policy(public=EVERYONE, city_wide=True)


class PillarQuerySet(ReferenceQuerySet):
    policy = REFERENCE

    def with_related(self):
        """Everything the pillar serializer and templates read: the pillar and its sub-dimensions."""
        return self.prefetch_related("sub_dimensions")


class SubDimensionQuerySet(ReferenceQuerySet):
    policy = REFERENCE

    def with_related(self):
        return self.select_related("pillar")


class AgencyQuerySet(ReferenceQuerySet):
    policy = REFERENCE

    def with_related(self):
        return self.all()  # a new queryset: a viewset's class-level one is never evaluated (see MasterplanQuerySet)


class AreaQuerySet(ReferenceQuerySet):
    """Districts and villages are public reference data."""

    policy = REFERENCE

    def with_related(self):
        return self.select_related("district") if self.model._meta.model_name == "village" else self.all()


class BoundaryQuerySet(ReferenceQuerySet):
    """The map's outlines: everyone sees them (their staff note stays out of public output), Diskominfo edits them."""

    policy = REFERENCE


class BaseMapQuerySet(ReferenceQuerySet):
    """The map's background: everyone sees it (it is drawn on every public map), Diskominfo uploads it."""

    policy = REFERENCE

    def current(self):
        """The base map the public maps draw, or None: there is at most one."""
        return self.order_by("pk").first()


class MasterplanQuerySet(ReferenceQuerySet):
    policy = REFERENCE

    def with_related(self):
        """Nothing to join; a new queryset all the same, so that a viewset's class-level queryset is never the one
        evaluated (its cached rows would answer every later request)."""
        return self.all()


class ProgramQuerySet(PublishableQuerySet):
    policy = Policy(public=PUBLISHED, owner="lead_agency")

    def with_related(self):
        """What the program serializer, list and page read, in a fixed number of queries."""
        return self.select_related("pillar", "lead_agency", "masterplan").prefetch_related(
            "sub_dimensions", "supporting_agencies", "districts"
        )

    def under_way(self):
        """Programs neither completed nor cancelled: the ones that can be on schedule or late."""
        from pillars.choices import Stage

        return self.exclude(stage__in=(Stage.COMPLETED, Stage.CANCELLED))

    @staticmethod
    def late_condition(today: datetime.date) -> Q:
        """pillars.achievement's rule for a program under way being late on `today`: past its last year, or with a
        milestone past its due date and not done."""
        from pillars.models import Milestone

        late_milestone = Milestone.objects.filter(program=OuterRef("pk"), done_on__isnull=True, due_on__lt=today)
        return Q(last_year__lt=today.year) | Q(Exists(late_milestone))

    def late(self, today: datetime.date):
        """Programs under way that are late on `today`."""
        return self.under_way().filter(self.late_condition(today))

    def with_schedule(self, today: datetime.date):
        """Annotate `is_late`: under way and late on `today` (the list's "Late" badge), in the list's own query."""
        from pillars.choices import Stage

        under_way = ~Q(stage__in=(Stage.COMPLETED, Stage.CANCELLED))
        late = ExpressionWrapper(under_way & self.late_condition(today), output_field=models.BooleanField())
        return self.annotate(is_late=late)

    def on_schedule(self, today: datetime.date):
        """Programs under way that are not late on `today`."""
        return self.under_way().exclude(self.late_condition(today))

    def with_indicator_links(self, user=None, *, role=None, to_attr=None):
        """Each program's links to indicators (`indicator_links`, or `to_attr`) that `user` may see (None: the
        public: links to published programs' published indicators), with the indicator, optionally of one role."""
        from pillars.models import ProgramIndicator

        links = ProgramIndicator.objects.visible_to(user).select_related("indicator")
        if role is not None:
            links = links.filter(role=role)
        ordered = links.order_by("role", "indicator__name_ind", "pk")
        return self.prefetch_related(Prefetch("indicator_links", queryset=ordered, to_attr=to_attr))


class MilestoneQuerySet(PublicParentMixin):
    policy = Policy(public=EVERYONE, parent="program", owner="program__lead_agency")

    def with_related(self):
        return self.select_related("program")


class BudgetLineQuerySet(PublicParentMixin):
    policy = Policy(public=EVERYONE, parent="program", owner="program__lead_agency")

    def with_related(self):
        return self.select_related("program")


class ActivityQuerySet(PublicParentMixin):
    policy = Policy(public=EVERYONE, parent="program", owner="owner_agency")

    def with_related(self):
        return self.select_related("program__pillar", "owner_agency")


def _approved(indicator) -> bool:
    from pillars.choices import Approval

    return indicator.is_public and indicator.approval == Approval.APPROVED


FIGURES_SEP = "|"  # between the two figures of with_standing_figures()


class IndicatorQuerySet(PublishableQuerySet):
    policy = Policy(public=Public(lambda queryset: queryset.published(), _approved), owner="owner_agency")

    @classmethod
    def published_q(cls, prefix: str = "", at=None) -> Q:
        """Published, due, approved by the walidata and open (terbuka): an indicator the walidata has not approved,
        or whose access is restricted or closed, is on no public surface (pages, API, downloads, open data, the
        catalogue), whatever its publication says (`published()` applies it)."""
        from pillars.choices import Access, Approval

        own = Q(**{f"{prefix}approval": Approval.APPROVED, f"{prefix}access": Access.OPEN})
        return super().published_q(prefix, at) & own

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
        """Not updated as the frequency says on `on`: never measured, or the next measurement overdue by more than
        MEASUREMENT_GRACE_DAYS (figures are published some time after the period they measure)."""
        from django.conf import settings

        grace = datetime.timedelta(days=settings.MEASUREMENT_GRACE_DAYS)
        return self.with_measurement_due().filter(
            Q(latest_measured_on__isnull=True) | Q(measurement_due_on__lt=on - grace)
        )

    def with_standing_figures(self):
        """Annotate `standing_figures`: of the latest year with a (non-zero) target and a measured value, the year's
        target and its last measured value as one text, "target|actual" (None without such a year; read it with
        `target_and_actual`), the figures pillars.achievement judges the standing on (the same year as
        selectors.standing_point), in one query however many indicators.

        One subquery, not one per figure: each searches the indicator's targets and probes its measurements, so two
        cost nearly twice one (the home page's standings at 5,007 indicators: 100-118 ms with two, 69-79 ms
        with one). Text, since a subquery answers one column, and exact: numeric's text is its decimal digits."""
        from pillars.models import IndicatorTarget, Measurement

        actual = (  # the year as a range: the (indicator, measured_on) index serves it, `__year` could not
            Measurement.objects.filter(
                indicator=OuterRef("indicator"),
                measured_on__gte=YearStart(OuterRef("year")),
                measured_on__lt=YearStart(OuterRef("year") + 1),
            )
            .order_by("-measured_on")
            .values("value")[:1]
        )
        judged = (
            IndicatorTarget.objects.filter(indicator=OuterRef("pk"))
            .exclude(value=0)
            .annotate(actual=Subquery(actual))
            .filter(actual__isnull=False)
            .order_by("-year")
            .annotate(figures=Concat(Cast("value", CharField()), Value(FIGURES_SEP), Cast("actual", CharField())))
        )
        return self.annotate(standing_figures=Subquery(judged.values("figures")[:1], output_field=CharField()))

    @staticmethod
    def target_and_actual(standing_figures: str | None) -> tuple[Decimal | None, Decimal | None]:
        """`with_standing_figures()`'s "target|actual", as the two decimals (None, None without them)."""
        if standing_figures is None:
            return None, None
        target, actual = standing_figures.split(FIGURES_SEP)
        return Decimal(target), Decimal(actual)

    def with_related(self):
        from pillars.models import IndicatorTarget

        return (
            self.select_related("pillar", "owner_agency")
            .prefetch_related(Prefetch("targets", queryset=IndicatorTarget.objects.order_by("year")))
            .with_latest_measurement()
        )


def _program_indicator_public(queryset):
    """The indicator's side tested on the joined row (its policy names no parent, so its `public()` is
    `published()`), not in a subquery: a page of links joins its indicators anyway, and with the subquery PostgreSQL
    hashed every indicator to join them (3.4-4.4 ms for a page of 50 programs at 10,000; 1.2 ms this way)."""
    from pillars.models import Program

    return queryset.filter(
        IndicatorQuerySet.published_q("indicator__"), program__in=Program.objects.public().values("pk")
    )


class ProgramIndicatorQuerySet(RestrictedQuerySet):
    """A program's link to an indicator: public when both the program and the indicator are (a link to a draft
    either way is on no public surface); holders of view_programindicator see them all; the program's lead
    agency edits them."""

    policy = Policy(public=Public(_program_indicator_public), owner="program__lead_agency")

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


class IndicatorTargetQuerySet(PublicParentMixin):
    policy = Policy(public=EVERYONE, parent="indicator", owner="indicator__owner_agency")

    def with_related(self):
        return self.select_related("indicator")


class MeasurementQuerySet(PublicParentMixin):
    policy = Policy(public=EVERYONE, parent="indicator", owner="indicator__owner_agency")

    def with_related(self):
        return self.select_related("indicator")


class DigitalServiceQuerySet(PublishableQuerySet):
    policy = Policy(public=PUBLISHED, owner="owner_agency")

    def with_related(self):
        return self.select_related("pillar", "owner_agency")


class InfrastructureAssetQuerySet(PublishableQuerySet):
    policy = Policy(public=PUBLISHED, city_wide=True)

    def with_related(self):
        return self.select_related("program", "operator", "district", "village")

    def for_public(self):
        """The public pages' bundle: published assets, each naming only an operator and a program citizens may see
        (a draft partner operating an asset is not named, on the page nor in its download)."""
        return self.public().select_related("district", "village").with_visible(None, "operator", "program")


class FeedbackQuerySet(RestrictedQuerySet):
    """Citizen feedback: the public sees published messages about public records; staff who hold the view permission
    see their own agencies' (every agency's with `manage_all_agencies`), contacts included. The owning agency is a
    program's lead agency or a service's owner agency."""

    policy = Policy(
        public=Public(lambda queryset: queryset.published()),
        owner=("program__lead_agency", "service__owner_agency"),
        staff_view_owned=True,
    )

    def published(self):
        from pillars.choices import FeedbackStatus
        from pillars.models import DigitalService, Program

        # EXISTS, not IN: a page of one program's messages probes the program's key, where IN had PostgreSQL hash
        # every public program (10,000: 2.5 ms) to test a few rows, twice a program page (the count and the page).
        return self.filter(status=FeedbackStatus.PUBLISHED).filter(
            Exists(Program.objects.public().filter(pk=OuterRef("program_id")))
            | Exists(DigitalService.objects.public().filter(pk=OuterRef("service_id")))
        )

    def pending(self):
        from pillars.choices import FeedbackStatus

        return self.filter(status=FeedbackStatus.PENDING)

    def with_related(self):
        return self.select_related("program__lead_agency", "program__pillar", "service__owner_agency", "moderated_by")

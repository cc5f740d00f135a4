"""Reads of the evaluations app: one `with_related()` bundle per model, publication and embargo scopes.

`public()` is what an anonymous citizen may see: a published row whose publish-from moment has come,
and whose evaluation (and finding) is public too, so nothing of an evaluation leaks before its letter.
"""

import datetime

from django.db import models
from django.db.models import F, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from smartcity.models import PublicParentMixin, PublishableQuerySet, VisibleMixin
from smartcity.scoping import AgencyScopedMixin

from .choices import CLOSED_FOLLOW_UP_STATUSES, EvaluationStage, EvaluationStatus


class EvaluationSchemeQuerySet(PublishableQuerySet):
    def public(self):
        return self.published()

    def with_related(self):
        """The scheme with its dimensions and bands, as the serializer and admin read them."""
        from .models import SchemeBand, SchemeDimension

        return self.prefetch_related(
            Prefetch("dimensions", queryset=SchemeDimension.objects.order_by("order", "pk")),
            Prefetch("bands", queryset=SchemeBand.objects.order_by("lower")),
        )


class SchemeDimensionQuerySet(PublicParentMixin, models.QuerySet):
    parent_field = "scheme"

    def with_related(self):
        return self.select_related("scheme")


class SchemeBandQuerySet(PublicParentMixin, models.QuerySet):
    parent_field = "scheme"

    def with_related(self):
        return self.select_related("scheme")


class EvaluationQuerySet(PublishableQuerySet):
    def public(self):
        return self.published()

    def results(self):
        """Final results: the final stage, in final status (what the official letter announced)."""
        return self.filter(stage=EvaluationStage.FINAL, status=EvaluationStatus.FINAL)

    def with_index(self):
        """Annotate `headline_index`: the official letter's figure when given, else the computed one."""
        return self.annotate(headline_index=Coalesce("official_index", "computed_index"))

    def with_improvement(self):
        """Annotate `previous_year`, `previous_index` and `improvement` on the latest public final result of
        an earlier year; an embargoed result is never the baseline, so the difference cannot reveal it."""
        previous = (
            self.model.objects.public()
            .results()
            .with_index()
            .filter(year__lt=OuterRef("year"), headline_index__isnull=False)
            .order_by("-year")
        )
        return self.annotate(
            previous_year=Subquery(previous.values("year")[:1]),
            previous_index=Subquery(previous.values("headline_index")[:1]),
            improvement=F("headline_index") - F("previous_index"),
        )

    def with_band(self):
        """Annotate `band_label_id` and `band_label_en`: the scheme's band the headline index falls in."""
        from .models import SchemeBand

        band = SchemeBand.objects.filter(
            scheme=OuterRef("scheme"), lower__lte=OuterRef("headline_index"), upper__gte=OuterRef("headline_index")
        ).order_by("lower")
        return self.annotate(
            band_label_id=Subquery(band.values("label_id")[:1]), band_label_en=Subquery(band.values("label_en")[:1])
        )

    def with_related(self):
        """Everything the evaluation serializer and pages read, in a fixed number of queries."""
        from .models import DimensionScore, PillarScore, SchemeBand, SchemeDimension

        return (
            self.select_related("scheme")
            .prefetch_related(
                Prefetch("scheme__dimensions", queryset=SchemeDimension.objects.order_by("order", "pk")),
                Prefetch("scheme__bands", queryset=SchemeBand.objects.order_by("lower")),
                Prefetch("dimension_scores", queryset=DimensionScore.objects.select_related("dimension")),
                Prefetch("pillar_scores", queryset=PillarScore.objects.select_related("pillar")),
            )
            .with_index()
            .with_improvement()
            .with_band()
        )


class DimensionScoreQuerySet(PublicParentMixin, models.QuerySet):
    parent_field = "evaluation"

    def with_related(self):
        return self.select_related("evaluation", "dimension")


class PillarScoreQuerySet(PublicParentMixin, models.QuerySet):
    parent_field = "evaluation"

    def with_related(self):
        return self.select_related("evaluation", "pillar")


class FindingQuerySet(PublishableQuerySet):
    def public(self):
        from .models import Evaluation

        return self.published().filter(evaluation__in=Evaluation.objects.public().values("pk"))

    def with_related(self):
        return self.select_related("evaluation", "pillar")

    def with_follow_ups(self, follow_ups):
        """Prefetch the given follow-ups (already scoped to the reader) as `listed_follow_ups`."""
        return self.prefetch_related(
            Prefetch("follow_ups", queryset=follow_ups.select_related("owner_agency"), to_attr="listed_follow_ups")
        )


class FollowUpActionQuerySet(AgencyScopedMixin, PublishableQuerySet):
    agency_field = "owner_agency"

    def public(self):
        from .models import Finding

        return self.published().filter(finding__in=Finding.objects.public().values("pk"))

    def open(self):
        return self.exclude(status__in=CLOSED_FOLLOW_UP_STATUSES)

    def overdue(self, on: datetime.date | None = None):
        """Open actions whose due date has passed (on `on`, today by default)."""
        return self.open().filter(due_on__lt=on or timezone.localdate())

    def not_overdue(self, on: datetime.date | None = None):
        return self.exclude(pk__in=self.model.objects.overdue(on).values("pk"))

    def with_related(self):
        return self.select_related("finding__evaluation", "finding__pillar", "owner_agency")


class FieldVisitQuerySet(PublishableQuerySet):
    def public(self):
        from .models import Evaluation

        return self.published().filter(evaluation__in=Evaluation.objects.public().values("pk"))

    def with_related(self):
        return self.select_related("evaluation", "agency", "pillar").prefetch_related("attachments")


class FieldVisitAttachmentQuerySet(PublicParentMixin, models.QuerySet):
    parent_field = "visit"

    def with_related(self):
        return self.select_related("visit")


class FollowedPortalQuerySet(VisibleMixin, models.QuerySet):
    """The cities a provincial hub compares are public: the active ones."""

    def public(self):
        return self.filter(active=True)

    def with_latest_snapshots(self):
        """Annotate `latest_id` (the last read, good or not) and `latest_ok_id` (the last good one)."""
        from .models import PortalSnapshot

        reads = PortalSnapshot.objects.filter(portal=OuterRef("pk")).order_by("-read_at", "-pk").values("pk")
        return self.annotate(latest_id=Subquery(reads[:1]), latest_ok_id=Subquery(reads.filter(ok=True)[:1]))

    def with_last_read(self):
        """Annotate `last_read_at`, `last_read_ok` and `last_reason` of the latest read, for lists (one query)."""
        from .models import PortalSnapshot

        reads = PortalSnapshot.objects.filter(portal=OuterRef("pk")).order_by("-read_at", "-pk")
        return self.annotate(
            last_read_at=Subquery(reads.values("read_at")[:1]),
            last_read_ok=Subquery(reads.values("ok")[:1]),
            last_reason=Subquery(reads.values("reason")[:1]),
        )

    def with_related(self):
        return self.with_last_read()


class PortalSnapshotQuerySet(PublicParentMixin, models.QuerySet):
    parent_field = "portal"

    def with_related(self):
        return self.select_related("portal")

"""Reads of the evaluations app: one `with_related()` bundle per model, publication and embargo scopes.

`public()` is what an anonymous citizen may see: a published row whose publish-from moment has come,
and whose evaluation (and finding) is public too, so nothing of an evaluation leaks before its letter.
"""

import datetime

from django.db.models import F, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from smartcity.models import PublicParentMixin, PublishableQuerySet
from smartcity.policy import EVERYONE, NOBODY, PUBLISHED, Policy, RestrictedQuerySet

from .choices import CLOSED_FOLLOW_UP_STATUSES, EvaluationStage, EvaluationStatus


class EvaluationSchemeQuerySet(PublishableQuerySet):
    def with_related(self):
        """The scheme with its dimensions and bands, as the serializer and admin read them."""
        from .models import SchemeBand, SchemeDimension

        return self.prefetch_related(
            Prefetch("dimensions", queryset=SchemeDimension.objects.order_by("order", "pk")),
            Prefetch("bands", queryset=SchemeBand.objects.order_by("lower")),
        )

    def survey_minimum_of(self, year_ref):
        """An expression: the fewest survey responses the year's scheme asks for (the strictest when several
        bodies have one), or the office's default when the year has no scheme; `year_ref` is a year or OuterRef."""
        from .choices import DEFAULT_MIN_SURVEY_RESPONSES

        strictest = self.filter(year=year_ref).order_by("-min_survey_responses").values("min_survey_responses")[:1]
        return Coalesce(Subquery(strictest), DEFAULT_MIN_SURVEY_RESPONSES)

    def survey_minimum(self, year: int) -> int:
        """The fewest survey responses the year's scheme asks for (see survey_minimum_of)."""
        from .choices import DEFAULT_MIN_SURVEY_RESPONSES

        strictest = self.filter(year=year).order_by("-min_survey_responses").values_list("min_survey_responses")
        return next(iter(strictest[:1]), (DEFAULT_MIN_SURVEY_RESPONSES,))[0]


class SchemeDimensionQuerySet(PublicParentMixin):
    policy = Policy(public=EVERYONE, parent="scheme")

    def with_related(self):
        return self.select_related("scheme")


class SchemeBandQuerySet(PublicParentMixin):
    policy = Policy(public=EVERYONE, parent="scheme")

    def with_related(self):
        return self.select_related("scheme")


class EvaluationQuerySet(PublishableQuerySet):
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
        """Annotate `band_label_ind` and `band_label_en`: the scheme's band the headline index falls in."""
        from .models import SchemeBand

        band = SchemeBand.objects.filter(
            scheme=OuterRef("scheme"), lower__lte=OuterRef("headline_index"), upper__gte=OuterRef("headline_index")
        ).order_by("lower")
        return self.annotate(
            band_label_ind=Subquery(band.values("label_ind")[:1]), band_label_en=Subquery(band.values("label_en")[:1])
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


class DimensionScoreQuerySet(PublicParentMixin):
    policy = Policy(public=EVERYONE, parent="evaluation")

    def with_related(self):
        return self.select_related("evaluation", "dimension")


class PillarScoreQuerySet(PublicParentMixin):
    policy = Policy(public=EVERYONE, parent="evaluation")

    def with_related(self):
        return self.select_related("evaluation", "pillar")


class FindingQuerySet(PublishableQuerySet):
    policy = Policy(public=PUBLISHED, parent="evaluation")

    def with_related(self):
        return self.select_related("evaluation", "pillar")

    def with_follow_ups(self, follow_ups):
        """Prefetch the given follow-ups (already scoped to the reader) as `listed_follow_ups`."""
        return self.prefetch_related(
            Prefetch("follow_ups", queryset=follow_ups.select_related("owner_agency"), to_attr="listed_follow_ups")
        )


class FollowUpActionQuerySet(PublishableQuerySet):
    policy = Policy(public=PUBLISHED, parent="finding", owner="owner_agency")

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
    policy = Policy(public=PUBLISHED, parent="evaluation")

    def with_related(self):
        return self.select_related("evaluation", "agency", "pillar").prefetch_related("attachments")


class FieldVisitAttachmentQuerySet(PublicParentMixin):
    policy = Policy(public=EVERYONE, parent="visit")

    def with_related(self):
        return self.select_related("visit")


# --- Evidence of the evaluation's five dimensions (issue 14) --------------------------------------------------------
class LegalInstrumentQuerySet(PublishableQuerySet):
    def with_related(self):
        from .models import BodyMember

        return self.prefetch_related(
            "pillars", Prefetch("members", queryset=BodyMember.objects.order_by("order", "pk"))
        )


class BodyMemberQuerySet(PublicParentMixin):
    policy = Policy(public=EVERYONE, parent="instrument")

    def with_related(self):
        return self.select_related("instrument")


class SurveyQuerySet(PublishableQuerySet):
    def with_related(self):
        from .models import SurveyItem

        return self.prefetch_related(Prefetch("items", queryset=SurveyItem.objects.order_by("order", "pk")))


class SurveyItemQuerySet(PublicParentMixin):
    policy = Policy(public=EVERYONE, parent="survey")

    def with_related(self):
        return self.select_related("survey")


class SurveyTargetQuerySet(PublicParentMixin):
    policy = Policy(public=EVERYONE, parent="survey")

    def with_related(self):
        return self.select_related(
            "survey", "sub_dimension__pillar", "program__pillar", "service", "owner_agency"
        ).with_response_counts()

    def with_response_counts(self):
        """`response_count` (all), `web_response_count` (from the public survey page) and `counted_response_count`:
        what counts toward the scheme's minimum (`min_survey_responses`), the web answers only when
        SURVEY_WEB_COUNTS_TOWARD_MINIMUM."""
        from django.conf import settings
        from django.db.models import Count, Q

        from .choices import ResponseSource

        web = Q(responses__source=ResponseSource.WEB)
        counted = Q() if settings.SURVEY_WEB_COUNTS_TOWARD_MINIMUM else ~web
        return self.annotate(
            response_count=Count("responses", distinct=True),
            web_response_count=Count("responses", filter=web, distinct=True),
            counted_response_count=Count("responses", filter=counted, distinct=True),
        )


class PrivateQuerySet(RestrictedQuerySet):
    """Rows never shown to the public (a respondent's answers): holders of the view permission see them all."""

    policy = Policy(public=NOBODY)


class SurveyResponseQuerySet(PrivateQuerySet):
    def with_related(self):
        from .models import SurveyAnswer

        return self.select_related("target__survey").prefetch_related(
            Prefetch("answers", queryset=SurveyAnswer.objects.select_related("item").order_by("item__order", "pk"))
        )


class SurveyAnswerQuerySet(PrivateQuerySet):
    def with_related(self):
        return self.select_related("item", "response")


# Assessors (who ask) and Diskominfo see and change every request; an OPD editor only their own agency's.
ASKS_EVERY_AGENCY = "evaluations.add_clarificationrequest"


class ClarificationRequestQuerySet(PrivateQuerySet):
    """Requests are never public; assessors and Diskominfo see every one, an OPD editor only their own agency's."""

    policy = Policy(
        public=NOBODY,
        owner="owner_agency",
        all_agencies_perm=ASKS_EVERY_AGENCY,
        staff_view_owned=True,
        view_all_perm=ASKS_EVERY_AGENCY,
    )

    def open(self):
        from .choices import ClarificationStatus

        return self.filter(status=ClarificationStatus.OPEN)

    def overdue(self, on: datetime.date | None = None):
        return self.open().filter(due_on__lt=on or timezone.localdate())

    def with_related(self):
        from .models import ClarificationAnswer

        return self.select_related(
            "evaluation", "pillar", "dimension", "program__pillar", "owner_agency"
        ).prefetch_related(Prefetch("answers", queryset=ClarificationAnswer.objects.order_by("created_at", "pk")))


class ClarificationAnswerQuerySet(PrivateQuerySet):
    """The answers of the requests the reader may see; only the owning agency answers."""

    policy = Policy(
        public=NOBODY,
        owner="request__owner_agency",
        staff_view_owned=True,
        view_all_perm=ASKS_EVERY_AGENCY,
    )

    def with_related(self):
        return self.select_related("request")


class EvaluationPackQuerySet(PrivateQuerySet):
    def with_related(self):
        return self.select_related("evaluation")

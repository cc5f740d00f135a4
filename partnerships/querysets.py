"""Reads of the partnerships app: `with_related()` bundles, the derived MoU status, and who sees what.

A partner system calling with its API key is represented by `partnerships.authentication.PartnerKeyUser`:
it holds no model permissions, but carries `partner_id`, so it sees what is public plus its own records.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from smartcity.models import PublishableQuerySet, ReferenceQuerySet
from smartcity.policy import EVERYONE, NOBODY, PUBLISHED, Policy, RestrictedQuerySet
from smartcity.policy import holds_view_perm as holds_view_perm

from .choices import MoUState, MoUStatus


def partner_id_of(user) -> int | None:
    """The partner a caller acts for (an API key's partner), or None for staff, citizens and anonymous."""
    return getattr(user, "partner_id", None)


def percent(reached: Decimal | None, target: Decimal | None) -> int:
    """Reached against target as a whole percentage between 0 and 100."""
    if not reached or not target:
        return 0
    return max(0, min(100, int(round(reached * 100 / target))))


class PartnerQuerySet(PublishableQuerySet):
    # Staff with the view permission see every partner; a partner's key also sees its own, published or not.
    policy = Policy(public=PUBLISHED, partner="pk")

    def with_related(self):
        """The partner serializers and pages read no relation; the public MoU count is one annotation."""
        return self.annotate(
            public_mou_count=Count("mous", filter=PublishableQuerySet.published_q("mous__"), distinct=True)
        )

    def with_contacts(self):
        return self.with_related().prefetch_related("contacts")


class PartnerContactQuerySet(RestrictedQuerySet):
    policy = Policy(public=NOBODY)

    def with_related(self):
        return self.select_related("partner")


class PartnerAPIKeyQuerySet(RestrictedQuerySet):
    # Credentials: never public; Diskominfo staff holding the view permission manage them.
    policy = Policy(public=NOBODY)


class ScopeAreaQuerySet(ReferenceQuerySet):
    def with_related(self):
        return self.all()  # a new queryset: a viewset's class-level one is never evaluated (see MasterplanQuerySet)


class MoUQuerySet(PublishableQuerySet):
    # Staff with view_mou see every MoU; a partner's key also its own MoUs in full; others what is published.
    policy = Policy(public=PUBLISHED, partner="parties__partner")

    @staticmethod
    def status_q(status: str, day: datetime.date) -> Q:
        """The rows whose status on `day` is `status`: the SQL twin of MoU.status_on()."""
        signed = Q(state=MoUState.SIGNED)
        return {
            MoUStatus.DRAFT: Q(state=MoUState.DRAFT),
            MoUStatus.TERMINATED: Q(state=MoUState.TERMINATED),
            MoUStatus.PENDING: signed & Q(valid_from__gt=day),
            MoUStatus.ACTIVE: signed & Q(valid_from__lte=day, valid_until__gte=day),
            MoUStatus.EXPIRED: signed & Q(valid_until__lt=day),
        }[MoUStatus(status)]

    def with_status(self, *statuses: str, on: datetime.date | None = None):
        day = on or timezone.localdate()
        condition = Q(pk__in=[])
        for status in statuses:
            condition |= self.status_q(status, day)
        return self.filter(condition)

    def in_force(self, on: datetime.date | None = None):
        return self.with_status(MoUStatus.ACTIVE, on=on)

    def expiring_before(self, day: datetime.date, today: datetime.date | None = None):
        """Signed MoUs not yet expired (as of `today`) whose validity ends before `day`."""
        today = today or timezone.localdate()
        return self.filter(state=MoUState.SIGNED, valid_until__gte=today, valid_until__lt=day)

    def signed_in(self, year: int):
        return self.filter(signed_on__year=year)

    def of_partner(self, partner_id: int):
        from .models import MoUParty

        return self.filter(pk__in=MoUParty.objects.filter(partner_id=partner_id).values("mou_id"))

    def with_related(self):
        """Everything MoUSerializer and the MoU list read, in a fixed number of queries."""
        from pillars.models import Program

        from .models import MoUParty

        return self.prefetch_related(
            Prefetch("parties", queryset=MoUParty.objects.select_related("partner").order_by("pk")),
            "scope_areas",
            "pillars",
            Prefetch("programs", queryset=Program.objects.select_related("pillar")),
        )

    def with_commitments(self):
        """with_related() plus each commitment with its progress, for the MoU page."""
        from .models import Commitment

        return self.with_related().prefetch_related(
            Prefetch("commitments", queryset=Commitment.objects.with_related().order_by("pk"))
        )


class MoUPartyQuerySet(RestrictedQuerySet):
    policy = Policy(public=EVERYONE, parent="mou", partner="partner")

    def with_related(self):
        return self.select_related("mou", "partner")


class CommitmentQuerySet(RestrictedQuerySet):
    # Staff with view_commitment see all; a partner's key its own too; others those of published MoUs.
    policy = Policy(public=EVERYONE, parent="mou", partner="partner")

    def with_progress(self):
        """Annotate `reached_quantity` and `last_reported_on` from the newest progress report."""
        from .models import ProgressReport

        newest = ProgressReport.objects.filter(commitment=OuterRef("pk")).order_by("-reported_on", "-pk")
        return self.annotate(
            reached_quantity=Subquery(newest.values("quantity_reached")[:1]),
            last_reported_on=Subquery(newest.values("reported_on")[:1]),
        )

    def with_related(self):
        return self.select_related("mou", "partner", "pillar").with_progress()


class ProgressReportQuerySet(RestrictedQuerySet):
    # The reports of the commitments the caller may see.
    policy = Policy(public=EVERYONE, parent="commitment", partner="commitment__partner")

    def with_related(self):
        return self.select_related("commitment__mou", "commitment__partner").annotate(
            target_quantity=F("commitment__target_quantity")
        )


class WebhookEndpointQuerySet(RestrictedQuerySet):
    # Staff with the view permission see every endpoint; a partner's key only its own; nobody else any.
    policy = Policy(public=NOBODY, partner="partner")

    def with_related(self):
        return self.select_related("partner")


class WebhookDeliveryQuerySet(RestrictedQuerySet):
    # The deliveries to the endpoints the caller may see.
    policy = Policy(public=NOBODY, partner="endpoint__partner")

    def with_related(self):
        return self.select_related("endpoint__partner")

"""The dashboard's counts of published records, at a cost that does not grow with the portfolio.

Counting published programs, indicators, services and assets on every view of the home page scans them
all (5 ms for the programs alone at 10,000). Instead `PortfolioFigures` keeps their counts grouped by kind,
pillar, state and publish-from moment: a few dozen groups, however many records.

Keeping them exact:
- every save or delete of a counted record writes a `PortfolioChange` mark in the writer's own transaction,
  so the mark commits (or rolls back) with the change itself; bulk writers call `figures_mark_changed()`;
- the next read consumes the marks and regroups (one grouped query per kind) before answering;
- embargoes need no rebuild: each read drops the groups whose publish-from moment has not come yet.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from smartcity.choices import Publication

from .models import DigitalService, Indicator, InfrastructureAsset, PortfolioChange, PortfolioFigures, Program

# kind: (model, its pillar field, its state field): the groups split on these and the publish-from moment.
COUNTED = {
    "program": (Program, "pillar_id", "stage"),
    "indicator": (Indicator, "pillar_id", None),
    "service": (DigitalService, "pillar_id", "status"),
    "asset": (InfrastructureAsset, None, "status"),
}
ANY = object()


@dataclass(frozen=True)
class Group:
    kind: str
    pillar_id: int | None
    state: str
    publish_from: datetime | None
    count: int
    latest: datetime


class PortfolioCounts:
    """Published records due at one moment, counted from the groups."""

    def __init__(self, groups: list[Group]):
        self.groups = groups

    def count(self, kind: str, *, pillar=ANY, state=ANY) -> int:
        return sum(
            g.count for g in self.groups if g.kind == kind and pillar in (ANY, g.pillar_id) and state in (ANY, g.state)
        )

    def last_updated(self, *kinds: str, pillar=ANY) -> datetime | None:
        """The latest change among the published records of these kinds (the "last updated" beside figures)."""
        return max((g.latest for g in self.groups if g.kind in kinds and pillar in (ANY, g.pillar_id)), default=None)


def published_counts(at: datetime | None = None) -> PortfolioCounts:
    """Counts of the records published and due at `at` (now by default): two small queries when nothing
    changed since the last read, one grouped query per kind more when something did."""
    moment = at or timezone.now()
    return PortfolioCounts([g for g in _current_groups() if g.publish_from is None or g.publish_from <= moment])


def figures_mark_changed(**kwargs) -> None:
    """Note that counted records changed (a signal receiver, or called after bulk writes that send none)."""
    PortfolioChange.objects.create()


def connect_change_marks() -> None:
    for model, _pillar, _state in COUNTED.values():
        for signal in (post_save, post_delete):
            signal.connect(figures_mark_changed, sender=model, dispatch_uid=f"figures-{signal}-{model._meta.label}")


def _current_groups() -> list[Group]:
    with transaction.atomic():
        # Consuming the marks locks them, so a concurrent reader waits here for this one's new groups.
        changed, _ = PortfolioChange.objects.all().delete()
        if not changed:
            stored = PortfolioFigures.objects.filter(pk=1).values_list("groups", flat=True).first()
            if stored is not None:
                return [_group_from_json(row) for row in stored]
        figures, _ = PortfolioFigures.objects.select_for_update().get_or_create(pk=1)
        groups = _groups_from_records()
        figures.groups = [[g.kind, g.pillar_id, g.state, g.publish_from, g.count, g.latest] for g in groups]
        figures.save()
        return groups


def _groups_from_records() -> list[Group]:
    groups = []
    for kind, (model, pillar, state) in COUNTED.items():
        fields = [name for name in (pillar, state) if name]
        rows = (
            model.objects.filter(publication=Publication.PUBLISHED)
            .order_by()
            .values_list(*fields, "publish_from")
            .annotate(count=Count("pk"), latest=Max("updated_at"))
        )
        for row in rows:
            split = dict(zip(fields, row, strict=False))
            groups.append(Group(kind, split.get(pillar), split.get(state, ""), *row[-3:]))
    return groups


def _group_from_json(row) -> Group:
    kind, pillar_id, state, publish_from, count, latest = row
    return Group(kind, pillar_id, state, publish_from and parse_datetime(publish_from), count, parse_datetime(latest))

"""The dashboard's counts of published records, at a cost that does not grow with the portfolio, and reads
that write nothing.

Counting published programs, indicators, services and assets on every view of the home page scans them
all (5 ms for the programs alone at 10,000). Instead the counts are grouped by kind, pillar, state and
publish-from moment: a few dozen groups, however many records.

Keeping them exact without a write on the read side:
- every save or delete of a counted record inserts a `PortfolioChange` mark in the writer's own transaction,
  so the mark commits (or rolls back) with the change itself; bulk writers call `figures_mark_changed()`.
  Inserts take no shared lock, so writers never wait for each other here;
- between two prunes, the number of committed marks grows by one with every committed change and never
  otherwise, so with the stored figures' `epoch` it names the state of the records. A read counts the marks
  (one query; the table holds only the marks since the last prune) and takes the groups of that state from
  the cache, or regroups (one grouped query per kind) and caches them. It writes nothing, so the home page
  can be served by a read-only replica and readers take no row lock. A read inside a transaction that wrote
  marks itself is not cached: what it sees may still roll back;
- `prune_figures()` (the beat job `pillars.tasks.prune_portfolio_changes`; safe to run at any time) folds
  the marks into `PortfolioFigures` in one transaction and starts a new epoch;
- embargoes need no rebuild: each read drops the groups whose publish-from moment has not come yet.
"""

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, connections, router, transaction
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
# The state of the records in one statement: marks waiting, the stored figures' epoch and groups.
STATE_SQL = (
    "SELECT (SELECT COUNT(*) FROM pillars_portfoliochange), (SELECT epoch FROM pillars_portfoliofigures WHERE id = 1),"
    " (SELECT groups FROM pillars_portfoliofigures WHERE id = 1)"
)
CACHE_SECONDS = 24 * 3600  # an entry names one state of the records: it is never wrong, only unused


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
    """Counts of the records published and due at `at` (now by default): one query when the groups of the
    records' current state are stored or cached, one grouped query per kind more when they are not. No write."""
    moment = at or timezone.now()
    return PortfolioCounts([g for g in _current_groups() if g.publish_from is None or g.publish_from <= moment])


def figures_mark_changed(**kwargs) -> None:
    """Note that counted records changed (a signal receiver, or called after bulk writes that send none)."""
    PortfolioChange.objects.create()
    if connection.in_atomic_block:  # this transaction's readers see a mark nobody else may see yet
        connection.figures_marked_in = connection.atomic_blocks[0]


def connect_change_marks() -> None:
    for model, _pillar, _state in COUNTED.values():
        for signal in (post_save, post_delete):
            signal.connect(figures_mark_changed, sender=model, dispatch_uid=f"figures-{signal}-{model._meta.label}")


def _sees_own_marks() -> bool:
    """Whether this connection's open transaction wrote marks (so its view of the records may never commit)."""
    blocks = connection.atomic_blocks
    return bool(blocks) and getattr(connection, "figures_marked_in", None) is blocks[0]


def _current_groups() -> list[Group]:
    """The groups of the records as this read sees them, in one query when they are cached (no write)."""
    database = router.db_for_read(PortfolioChange)
    with connections[database].cursor() as cursor:
        cursor.execute(STATE_SQL)
        pending, epoch, stored = cursor.fetchone()
    if isinstance(stored, str):  # a database without a JSON type (SQLite, for a first look)
        stored = json.loads(stored)
    if not pending and stored is not None:  # nothing changed since the last prune: the stored groups hold
        return [_group_from_json(row) for row in stored]
    key = f"portfolio-figures:{epoch}:{pending}"
    cached = cache.get(key)
    if cached is not None:
        return [_group_from_json(row) for row in cached]
    groups = _groups_from_records()
    if not _sees_own_marks():
        cache.set(key, _groups_to_json(groups), timeout=CACHE_SECONDS)
    return groups


def prune_figures() -> int:
    """Fold the committed marks into `PortfolioFigures` (the write side's housekeeping, never a page view's)
    and start a new epoch, so the number of marks starts again from 0. Returns the marks folded."""
    with transaction.atomic():
        figures, _ = PortfolioFigures.objects.select_for_update().get_or_create(pk=1)
        folded, _ = PortfolioChange.objects.all().delete()
        figures.epoch = uuid.uuid4()
        figures.groups = _groups_to_json(_groups_from_records())
        figures.save()
    return folded


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


def _groups_to_json(groups: list[Group]) -> list:
    return json.loads(
        json.dumps(
            [[g.kind, g.pillar_id, g.state, g.publish_from, g.count, g.latest] for g in groups], cls=DjangoJSONEncoder
        )
    )


def _group_from_json(row) -> Group:
    kind, pillar_id, state, publish_from, count, latest = row
    return Group(kind, pillar_id, state, publish_from and parse_datetime(publish_from), count, parse_datetime(latest))

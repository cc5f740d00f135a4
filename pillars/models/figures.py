import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

# The records the dashboard's figures count (pillars/figures.py COUNTED), as public-cache families.
COUNTED_FAMILIES = ("pillars.Program", "pillars.Indicator", "pillars.DigitalService", "pillars.InfrastructureAsset")


class PortfolioChange(models.Model):
    """A mark that a counted record changed (pillars/figures.py): written in the writer's own transaction, so
    it becomes visible exactly when the change does; counted by reads, folded by `prune_figures()`."""

    public_cache_ignores = True  # bookkeeping, not public data: saving it starts no new cache version
    public_cache_reads_as = COUNTED_FAMILIES  # reading the marks depends on the counted records (smartcity/cache.py)

    def __str__(self):
        return f"change {self.pk}"


class PortfolioFigures(models.Model):
    """The dashboard's counts of published records, grouped so a read never scans the records themselves.

    One row (pk 1). `groups` holds [kind, pillar id, state, publish_from, count, latest updated_at] for every
    group of published rows; keeping publish_from lets the read apply embargoes at its own moment."""

    public_cache_ignores = True
    public_cache_reads_as = COUNTED_FAMILIES
    groups = models.JSONField(encoder=DjangoJSONEncoder, default=list)
    # Renewed whenever marks are folded into `groups`: with the number of marks waiting, it names the state of
    # the records, which keys the groups in the cache (pillars/figures.py).
    epoch = models.UUIDField(default=uuid.uuid4)
    built_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"figures built {self.built_at:%Y-%m-%d %H:%M:%S}"

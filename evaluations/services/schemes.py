"""Writes of the evaluation schemes: a scheme with its weighted dimensions and bands as one whole, its copy into a new
year; whatever changes weights or decimals recomputes every index under the scheme."""

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from smartcity.services import WholeWriter, Writer, register

from ..models import EvaluationScheme, SchemeBand, SchemeDimension
from .scales import bands_validate, weights_validate
from .scores import part_write, related_or_none, scheme_recompute_indices

# The five dimensions most schemes use; a scheme's own rows (and their weights) are what counts.
DEFAULT_DIMENSIONS = [
    ("baseline", "Baseline", "Baseline"),
    ("output", "Output", "Output"),
    ("outcome", "Outcome", "Outcome"),
    ("impact", "Dampak", "Impact"),
    ("quick-win", "Quick Win", "Quick Win"),
]


def scheme_parts_validate(*, scheme: EvaluationScheme, weights: Iterable[Decimal] | None, bands) -> None:
    """The set rules of a scheme as it would become: `weights` of all its dimensions (None: unchanged) add up to
    100; `bands`, (from, to) pairs of all its bands, fit its scale and do not overlap."""
    if weights is not None:
        weights_validate(weights=weights)
    if scheme.scale_min is not None and scheme.scale_max is not None:
        bands_validate(bands=bands, scale_min=scheme.scale_min, scale_max=scheme.scale_max)


def band_rules(*, before, after, many, actor) -> None:
    """A band lies inside its scheme's scale (that bands do not overlap is checked on the whole set)."""
    scheme = related_or_none(after, "scheme")
    if scheme is None or after.lower is None or after.upper is None:
        return
    scheme_parts_validate(scheme=scheme, weights=None, bands=[(after.lower, after.upper)])


class SchemeWriter(WholeWriter):
    """A scheme is written with its dimensions and bands, when the write gives them, as one whole: the set rules
    run on the set as it would become, and every index under the scheme is recomputed (weights or decimals)."""

    parts = ("dimensions", "bands")

    def write_parts(self, *, row, actor, dimensions, bands):
        _scheme_set_parts(scheme=row, actor=actor, dimensions=dimensions, bands=bands)

    def update(self, *, instance, data, actor, read_version=None):
        with transaction.atomic():
            scheme = super().update(instance=instance, data=data, actor=actor, read_version=read_version)
            scheme_recompute_indices(scheme=scheme, actor=actor)
            return scheme


class SchemeDimensionWriter(Writer):
    """A dimension's weight counts in every index of its scheme: each write recomputes them."""

    @transaction.atomic
    def create(self, *, data, actor):
        dimension = super().create(data=data, actor=actor)
        scheme_recompute_indices(scheme=dimension.scheme, actor=actor)
        return dimension

    @transaction.atomic
    def update(self, *, instance, data, actor, read_version=None):
        dimension = super().update(instance=instance, data=data, actor=actor, read_version=read_version)
        scheme_recompute_indices(scheme=dimension.scheme, actor=actor)
        return dimension

    @transaction.atomic
    def delete(self, *, instance, actor):
        scheme = EvaluationScheme.objects.get(pk=instance.scheme_id)
        super().delete(instance=instance, actor=actor)
        scheme_recompute_indices(scheme=scheme, actor=actor)


SCHEME = register(SchemeWriter(EvaluationScheme))
SCHEME_DIMENSION = register(SchemeDimensionWriter(SchemeDimension))
SCHEME_BAND = register(Writer(SchemeBand, rules=band_rules))


# --- Schemes --------------------------------------------------------------------------------------
def scheme_create(*, actor, dimensions: list[dict], bands: list[dict] | None = None, **fields) -> EvaluationScheme:
    """Create a year's scheme with its weighted dimensions and its bands."""
    return SCHEME.create(data={**fields, "dimensions": dimensions, "bands": bands or []}, actor=actor)


def scheme_update(
    *, scheme: EvaluationScheme, actor, dimensions: list[dict] | None = None, bands: list[dict] | None = None, **fields
) -> EvaluationScheme:
    """Change a scheme; dimensions and bands, when given, replace the old ones and the indices are recomputed."""
    return SCHEME.update(instance=scheme, data={**fields, "dimensions": dimensions, "bands": bands}, actor=actor)


def scheme_copy(*, scheme: EvaluationScheme, year: int, actor) -> EvaluationScheme:
    """Copy a year's scheme (its scale, decimals, weighted dimensions and bands) into a new year as a draft, through
    the scheme's writer, so the same rules run; a year that already has this issuing body's scheme is refused."""
    SCHEME.require_perm(actor, "add")
    if EvaluationScheme.objects.filter(year=year, issuing_body=scheme.issuing_body).exists():
        message = _("%(year)s already has a scheme of %(body)s: open that one instead.")
        params = {"year": year, "body": scheme.issuing_body}
        raise ValidationError({"year": ValidationError(message, code="year_taken", params=params)})
    dimensions = scheme.dimensions.order_by("order", "pk").values("code", "name_ind", "name_en", "weight")
    bands = scheme.bands.order_by("lower").values("label_ind", "label_en", "lower", "upper")
    copied = ("issuing_body", "scale_min", "scale_max", "decimals", "min_survey_responses", "notes")
    fields = {name: getattr(scheme, name) for name in copied}
    name = scheme.name.replace(str(scheme.year), str(year))  # "Evaluasi 2024" becomes "Evaluasi 2025"
    return scheme_create(actor=actor, name=name, year=year, dimensions=list(dimensions), bands=list(bands), **fields)


def _scheme_set_parts(*, scheme, actor, dimensions: list[dict] | None, bands: list[dict] | None) -> None:
    """Check the scheme's weights and bands as they will be, then write the given dimensions and bands, each through
    its own writer."""
    weights = [dimension["weight"] for dimension in dimensions] if dimensions is not None else None
    ranges = [(b["lower"], b["upper"]) for b in (bands if bands is not None else scheme.bands.values("lower", "upper"))]
    scheme_parts_validate(scheme=scheme, weights=weights, bands=ranges)
    if dimensions is not None:
        for old in scheme.dimensions.exclude(code__in=[dimension["code"] for dimension in dimensions]):
            SCHEME_DIMENSION.delete(instance=old, actor=actor)
        for order, data in enumerate(dimensions, start=1):
            dimension = scheme.dimensions.filter(code=data["code"]).first() or SchemeDimension()
            part_write(
                SCHEME_DIMENSION, instance=dimension, data={"scheme": scheme, "order": order, **data}, actor=actor
            )
    if bands is not None:
        for old in scheme.bands.all():
            SCHEME_BAND.delete(instance=old, actor=actor)
        for data in bands:
            SCHEME_BAND.create(data={"scheme": scheme, **data}, actor=actor)

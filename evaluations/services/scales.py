"""The one scale and band implementation of the portal: weighted indices rounded half up, weights that add up to
100, bands that fit a scale without overlapping, a value on a scale with its decimals. An evaluation scheme, an
assessment framework (frameworks app) and an external index are all scales in this sense: they read these rules,
so a rule about scales exists once."""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal(100)


def quantum(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)


def index_from_scores(*, scores: Iterable[tuple[Decimal, Decimal]], decimals: int) -> Decimal:
    """The weighted index of (score, weight %) pairs, rounded half up to `decimals` places."""
    total = sum((Decimal(score) * Decimal(weight) for score, weight in scores), Decimal(0)) / HUNDRED
    return total.quantize(quantum(decimals), rounding=ROUND_HALF_UP)


def weights_validate(*, weights: Iterable[Decimal]) -> None:
    """Refuse dimension weights that do not add up to exactly 100."""
    weights = [Decimal(weight) for weight in weights]
    if not weights:
        raise ValidationError(_("Give the scheme at least one dimension."), code="no_dimensions")
    total = sum(weights, Decimal(0))
    if total != HUNDRED:
        raise ValidationError(
            _("The dimension weights add up to %(total)s; they must add up to 100."),
            code="weights_sum",
            params={"total": format(total.normalize(), "f")},
        )


def bands_validate(*, bands: Iterable[tuple[Decimal, Decimal]], scale_min: Decimal, scale_max: Decimal) -> None:
    """Refuse bands (from, to) that reach outside the scale or overlap one another (bounds are inclusive)."""
    ordered = sorted((Decimal(lower), Decimal(upper)) for lower, upper in bands)
    for lower, upper in ordered:
        if lower > upper or lower < scale_min or upper > scale_max:
            raise ValidationError(
                _("The band %(lower)s–%(upper)s does not fit the scale %(min)s–%(max)s."),
                code="band_outside_scale",
                params={"lower": lower, "upper": upper, "min": scale_min, "max": scale_max},
            )
    for (lower, upper), (next_lower, next_upper) in zip(ordered, ordered[1:], strict=False):
        if next_lower <= upper:
            raise ValidationError(
                _("The bands %(first)s and %(second)s overlap."),
                code="bands_overlap",
                params={"first": f"{lower}–{upper}", "second": f"{next_lower}–{next_upper}"},
            )


def score_validate(*, score: Decimal, scheme, label: str) -> None:
    """Refuse a score outside the scale of `scheme` (anything with scale_min, scale_max and decimals: a scheme, an
    external index), or with more decimal places than it gives."""
    score = Decimal(score)
    if not scheme.scale_min <= score <= scheme.scale_max:
        raise ValidationError(
            _("%(label)s: %(score)s is outside the scale %(min)s–%(max)s."),
            code="score_outside_scale",
            params={
                "label": label,
                "score": score,
                "min": format(scheme.scale_min.normalize(), "f"),
                "max": format(scheme.scale_max.normalize(), "f"),
            },
        )
    if score != score.quantize(quantum(scheme.decimals), rounding=ROUND_HALF_UP):
        raise ValidationError(
            _("%(label)s: %(score)s has more than %(decimals)s decimal places."),
            code="score_decimals",
            params={"label": label, "score": score, "decimals": scheme.decimals},
        )

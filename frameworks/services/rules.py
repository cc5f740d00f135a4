"""The rules of a framework's structure, on the one scale and band implementation (evaluations.services.scales)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from evaluations.services.scales import bands_validate, weights_validate
from smartcity.services import related

from ..models import (
    Framework,
    FrameworkAspect,
    FrameworkIndicator,
)


def framework_weights_validate(*, weights) -> None:
    """Refuse indicator weights that do not add up to exactly 100."""
    try:
        weights_validate(weights=weights)
    except ValidationError as error:
        message = _("The indicator weights add up to %(total)s; they must add up to 100.")
        total = format(sum((Decimal(w) for w in weights), Decimal(0)).normalize(), "f")
        raise ValidationError(message, code="weights_sum", params={"total": total}) from error


def framework_parts_validate(*, framework: Framework, weights, bands) -> None:
    """The set rules of a framework as it would become: `weights` (None: unchanged) add up to 100; `bands`
    (from, to) fit the level scale and do not overlap."""
    if weights is not None:
        framework_weights_validate(weights=weights)
    bands_validate(bands=bands, scale_min=Decimal(framework.level_min), scale_max=Decimal(framework.level_max))


def level_validate(*, level, framework: Framework, field: str) -> None:
    if level is not None and not framework.level_min <= level <= framework.level_max:
        message = _("Level %(level)s is outside the scale %(min)s–%(max)s.")
        params = {"level": level, "min": framework.level_min, "max": framework.level_max}
        raise ValidationError({field: ValidationError(message, code="level_outside_scale", params=params)})


def same_framework(*, before, after, many, actor) -> None:
    """A domain, aspect or indicator belongs to one framework: an aspect's domain and an indicator's aspect too; an
    indicator's criteria are given for levels of the framework's scale."""
    if after is None:
        return
    parent = related(after, "domain") if isinstance(after, FrameworkAspect) else related(after, "aspect")
    if parent is not None and parent.framework_id != after.framework_id:
        raise ValidationError(_("The parent belongs to another framework."), code="foreign_parent")
    if isinstance(after, FrameworkIndicator):
        criteria_validate(criteria=after.level_criteria, framework=related(after, "framework"))


def criteria_validate(*, criteria, framework: Framework | None) -> None:
    """Criteria per level: {level number: text}, each level on the framework's scale."""
    message = _("Give the criteria as {level: text}, with levels from %(min)s to %(max)s.")
    if framework is None:
        return
    params = {"min": framework.level_min, "max": framework.level_max}
    if not isinstance(criteria, dict):
        raise ValidationError({"level_criteria": ValidationError(message, code="bad_criteria", params=params)})
    for level, text in criteria.items():
        if not str(level).isdigit() or not framework.level_min <= int(level) <= framework.level_max:
            raise ValidationError({"level_criteria": ValidationError(message, code="bad_criteria", params=params)})
        if not isinstance(text, str):
            raise ValidationError({"level_criteria": ValidationError(message, code="bad_criteria", params=params)})


def framework_level_rules(*, before, after, many, actor) -> None:
    """A named level lies on its framework's scale."""
    framework = related(after, "framework") if after is not None else None
    if framework is not None and after.level is not None:
        level_validate(level=after.level, framework=framework, field="level")


def framework_band_rules(*, before, after, many, actor) -> None:
    framework = related(after, "framework") if after is not None else None
    if framework is not None and after.lower is not None and after.upper is not None:
        framework_parts_validate(framework=framework, weights=None, bands=[(after.lower, after.upper)])

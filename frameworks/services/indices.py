"""Writes of the external indices and their editions."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from evaluations.services.scales import score_validate
from smartcity.services import Writer, register, related

from ..models import (
    ExternalIndex,
    ExternalIndexValue,
)


def edition_validate(*, edition, index: ExternalIndex) -> None:
    """An edition of a score index has a score inside the scale with the index's decimals and no level; one of a
    level rating has a level on its scale and no score; a band only where the publisher gives bands."""
    if index.is_level_rating:
        if edition.value is not None or edition.level is None:
            raise ValidationError({"level": _("A level rating records a level, not a score.")}, code="level_rating")
        if not index.scale_min <= edition.level <= index.scale_max:
            message = _("Level %(level)s is outside the scale %(min)s–%(max)s.")
            params = {"level": edition.level, "min": index.scale_min.normalize(), "max": index.scale_max.normalize()}
            raise ValidationError({"level": ValidationError(message, code="level_outside_scale", params=params)})
    else:
        if edition.level is not None or edition.value is None:
            raise ValidationError({"value": _("This index records a score, not a level.")}, code="score_index")
        try:
            score_validate(score=edition.value, scheme=index, label=str(index))
        except ValidationError as error:
            raise ValidationError({"value": error.error_list}) from error
    if (edition.band_ind or edition.band_en) and not index.publishes_bands:
        message = _("%(index)s publishes no bands: leave the band empty.")
        raise ValidationError({"band_ind": ValidationError(message, code="no_bands", params={"index": str(index)})})


def index_value_rules(*, before, after, many, actor) -> None:
    index = related(after, "index") if after is not None else None
    if index is not None:
        edition_validate(edition=after, index=index)


def external_index_rules(*, before, after, many, actor) -> None:
    """Changing an index's kind, scale, decimals or bands must keep every recorded edition valid."""
    if after is None or after.pk is None or after.scale_max is None:
        return
    for edition in ExternalIndex.objects.get(pk=after.pk).editions.all():
        try:
            edition_validate(edition=edition, index=after)
        except ValidationError as error:
            message = _("The %(year)s edition would no longer fit: %(problem)s")
            problem = " ".join(error.messages)
            params = {"year": edition.year, "problem": problem}
            raise ValidationError(message, code="edition_misfit", params=params) from error


EXTERNAL_INDEX = register(Writer(ExternalIndex, rules=external_index_rules))
EXTERNAL_INDEX_VALUE = register(Writer(ExternalIndexValue, rules=index_value_rules))


def external_index_value_delete(*, value: ExternalIndexValue, actor) -> None:
    EXTERNAL_INDEX_VALUE.delete(instance=value, actor=actor)

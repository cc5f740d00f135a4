"""The scores of an evaluation and its index: each score through its writer (the permission and the agency rule
run), the index recomputed from the dimension scores and the scheme's weights whenever either changes."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from smartcity.services import Writer, register, related

from ..models import DimensionScore, Evaluation, EvaluationScheme, PillarScore, SchemeDimension
from .scales import index_from_scores, score_validate


def part_write(writer: Writer, *, instance, data: dict, actor):
    """Write a child row (a dimension, a band, a score) as part of its parent, through the child's own writer: an
    update when the row exists, else a create, so the child's permission and the agency rule run too."""
    if instance.pk is None:
        return writer.create(data=data, actor=actor)
    return writer.update(instance=instance, data=data, actor=actor)


def related_or_none(row, name: str):
    """`row.<name>`, or None while the row does not name one yet (a form that left it empty), or there is no row."""
    return None if row is None else related(row, name)


def _score_rule(score, scheme, label) -> None:
    try:
        score_validate(score=score, scheme=scheme, label=str(label))
    except ValidationError as error:
        raise ValidationError({"score": error.error_list}) from error


def dimension_score_rules(*, before, after, many, actor) -> None:
    """A dimension score is for a dimension of its evaluation's scheme, inside that scheme's scale."""
    dimension = related_or_none(after, "dimension")
    scheme = related_or_none(related_or_none(after, "evaluation"), "scheme")
    if dimension is None or scheme is None or after.score is None:
        return
    if dimension.scheme_id != scheme.pk:
        message = _("%(dimension)s is not a dimension of %(scheme)s.")
        error = ValidationError(message, code="foreign_dimension", params={"dimension": dimension, "scheme": scheme})
        raise ValidationError({"dimension": error})
    _score_rule(after.score, scheme, dimension)


def pillar_score_rules(*, before, after, many, actor) -> None:
    """A pillar score lies inside its evaluation's scheme's scale, with the scheme's decimals."""
    scheme = related_or_none(related_or_none(after, "evaluation"), "scheme")
    if scheme is not None and after.score is not None:
        _score_rule(after.score, scheme, related_or_none(after, "pillar") or "")


@contextmanager
def _errors_under(field: str):
    """Report a nested row's errors under the list that carried it (`dimension_scores`, `pillar_scores`)."""
    try:
        yield
    except ValidationError as error:
        errors = error.error_list if not hasattr(error, "error_dict") else sum(error.error_dict.values(), [])
        raise ValidationError({field: errors}) from error


class DimensionScoreWriter(Writer):
    """A dimension score counts in its evaluation's index: each write recomputes it, whichever door it came through."""

    @transaction.atomic
    def create(self, *, data, actor):
        score = super().create(data=data, actor=actor)
        evaluation_recompute_index(evaluation=Evaluation.objects.get(pk=score.evaluation_id), actor=actor)
        return score

    @transaction.atomic
    def update(self, *, instance, data, actor, read_version=None):
        score = super().update(instance=instance, data=data, actor=actor, read_version=read_version)
        evaluation_recompute_index(evaluation=Evaluation.objects.get(pk=score.evaluation_id), actor=actor)
        return score

    @transaction.atomic
    def delete(self, *, instance, actor):
        evaluation_id = instance.evaluation_id
        super().delete(instance=instance, actor=actor)
        evaluation_recompute_index(evaluation=Evaluation.objects.get(pk=evaluation_id), actor=actor)


DIMENSION_SCORE = register(DimensionScoreWriter(DimensionScore, rules=dimension_score_rules))
PILLAR_SCORE = register(Writer(PillarScore, rules=pillar_score_rules))


@transaction.atomic
def evaluation_set_scores(
    *,
    evaluation: Evaluation,
    actor,
    dimension_scores: list[dict] | None = None,
    pillar_scores: list[dict] | None = None,
) -> Evaluation:
    """Replace the given score sets ({"dimension": code or SchemeDimension, "score"} and {"pillar": Pillar,
    "score"}), then recompute the index. One score outside the scale refuses the whole call. The evaluation's
    writer calls this; each score goes through its own writer (its permission, the agency rule)."""
    if dimension_scores is not None:
        with _errors_under("dimension_scores"):
            _set_dimension_scores(evaluation=evaluation, actor=actor, items=dimension_scores)
    if pillar_scores is not None:
        with _errors_under("pillar_scores"):
            _set_pillar_scores(evaluation=evaluation, actor=actor, items=pillar_scores)
    return evaluation_recompute_index(evaluation=evaluation, actor=actor)


def _dimension_code(dimension: SchemeDimension | str, scheme: EvaluationScheme) -> str:
    """A score names its dimension by code (the demo, the services) or as the scheme's row (the API, by id)."""
    if isinstance(dimension, str):
        return dimension
    if dimension.scheme_id != scheme.pk:
        message = _("%(dimension)s is not a dimension of %(scheme)s.")
        raise ValidationError(message, code="foreign_dimension", params={"dimension": dimension, "scheme": scheme})
    return dimension.code


def _set_dimension_scores(*, evaluation: Evaluation, actor, items: list[dict]) -> None:
    dimensions = {dimension.code: dimension for dimension in evaluation.scheme.dimensions.all()}
    items = [{**item, "dimension": _dimension_code(item["dimension"], evaluation.scheme)} for item in items]
    for item in items:
        if item["dimension"] not in dimensions:
            message = _("The scheme has no dimension %(code)s.")
            raise ValidationError(message, code="unknown_dimension", params={"code": item["dimension"]})
    codes = [item["dimension"] for item in items]
    for old in evaluation.dimension_scores.exclude(dimension__code__in=codes):
        DIMENSION_SCORE.delete(instance=old, actor=actor)
    for item in items:
        score = evaluation.dimension_scores.filter(dimension__code=item["dimension"]).first() or DimensionScore()
        data = {"evaluation": evaluation, "dimension": dimensions[item["dimension"]], "score": item["score"]}
        part_write(DIMENSION_SCORE, instance=score, data=data, actor=actor)


def _set_pillar_scores(*, evaluation: Evaluation, actor, items: list[dict]) -> None:
    for old in evaluation.pillar_scores.exclude(pillar__in=[item["pillar"] for item in items]):
        PILLAR_SCORE.delete(instance=old, actor=actor)
    for item in items:
        score = evaluation.pillar_scores.filter(pillar=item["pillar"]).first() or PillarScore()
        part_write(PILLAR_SCORE, instance=score, data={"evaluation": evaluation, **item}, actor=actor)


def evaluation_recompute_index(*, evaluation: Evaluation, actor=None) -> Evaluation:
    """Store the index computed from the dimension scores and weights; none while a dimension lacks a score."""
    scheme = EvaluationScheme.objects.get(pk=evaluation.scheme_id)
    dimensions = list(scheme.dimensions.all())
    scores = dict(DimensionScore.objects.filter(evaluation=evaluation).values_list("dimension_id", "score"))
    computed = None
    if dimensions and all(dimension.pk in scores for dimension in dimensions):
        pairs = [(scores[dimension.pk], dimension.weight) for dimension in dimensions]
        computed = index_from_scores(scores=pairs, decimals=scheme.decimals)
    stored = Evaluation.objects.get(pk=evaluation.pk)  # the history records the row as stored, not a stale copy
    if computed != stored.computed_index:
        stored.computed_index, stored._history_user = computed, actor
        stored.save(update_fields=["computed_index", "updated_at"])
    evaluation.computed_index = computed
    return evaluation


def scheme_recompute_indices(*, scheme: EvaluationScheme, actor=None) -> None:
    """Recompute the index of every evaluation under the scheme (after its weights or decimals changed)."""
    for evaluation in scheme.evaluations.all():
        evaluation_recompute_index(evaluation=evaluation, actor=actor)

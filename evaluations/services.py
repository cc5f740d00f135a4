"""Writes of the evaluations app: one writer per model users change (smartcity/services.py), each rule once.

The rules: a scheme's weights add up to 100 and its bands lie inside its scale without overlapping; a score lies
inside its scheme's scale with the scheme's decimals; an evaluation uses the scheme of its own year and changes
status only through `evaluation_submit` and `evaluation_finalise`; an OPD editor writes only their own agency's
follow-ups, as they stand and as they would become. Whatever changes scores or weights recomputes the index.

Every door reaches these writers: the API (RecordViewSet), the admin's forms, inlines, history reverts and bulk
actions (ServiceAdmin), and the demo loader (actor=None). Rules that need a whole set of rows (the weights, the
bands) run on the set where a door writes the set: the scheme writer (API, demo) and the admin's inline formsets,
which call the same functions.
"""

from collections.abc import Iterable
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partnerships.choices import WebhookEvent
from partnerships.webhooks import webhook_emit
from smartcity.services import WholeWriter, Writer, model_delete, model_save, register
from smartcity.tasks import enqueue

from . import evidence, reports  # noqa: F401 (evidence registers its writers on import)
from .choices import EvaluationStage, EvaluationStatus, ExportFormat, ExportStatus
from .models import (
    DimensionScore,
    Evaluation,
    EvaluationPack,
    EvaluationScheme,
    FieldVisit,
    FieldVisitAttachment,
    Finding,
    FollowUpAction,
    PillarScore,
    PublicationAnnouncement,
    ReadinessOverride,
    ReportExport,
    SchemeBand,
    SchemeDimension,
)

# The five dimensions most schemes use; a scheme's own rows (and their weights) are what counts.
DEFAULT_DIMENSIONS = [
    ("baseline", "Baseline", "Baseline"),
    ("output", "Output", "Output"),
    ("outcome", "Outcome", "Outcome"),
    ("impact", "Dampak", "Impact"),
    ("quick-win", "Quick Win", "Quick Win"),
]
HUNDRED = Decimal(100)


def _related(row, name: str):
    """`row.<name>`, or None while the row does not name one yet (a form that left it empty)."""
    if row is None:
        return None
    try:
        return getattr(row, name)
    except ObjectDoesNotExist:
        return None


# --- Rules ----------------------------------------------------------------------------------------
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


def score_validate(*, score: Decimal, scheme: EvaluationScheme, label: str) -> None:
    """Refuse a score outside the scheme's scale, or with more decimal places than the scheme gives."""
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


def evaluation_scheme_validate(*, year: int, scheme: EvaluationScheme) -> None:
    """An evaluation uses the scheme of its own year."""
    if year is not None and year != scheme.year:
        message = _("The scheme is for %(scheme_year)s, the evaluation for %(year)s.")
        params = {"scheme_year": scheme.year, "year": year}
        raise ValidationError({"scheme": ValidationError(message, code="year_mismatch", params=params)})


def scheme_parts_validate(*, scheme: EvaluationScheme, weights: Iterable[Decimal] | None, bands) -> None:
    """The set rules of a scheme as it would become: `weights` of all its dimensions (None: unchanged) add up to
    100; `bands`, (from, to) pairs of all its bands, fit its scale and do not overlap."""
    if weights is not None:
        weights_validate(weights=weights)
    if scheme.scale_min is not None and scheme.scale_max is not None:
        bands_validate(bands=bands, scale_min=scheme.scale_min, scale_max=scheme.scale_max)


def band_rules(*, before, after, many, actor) -> None:
    """A band lies inside its scheme's scale (that bands do not overlap is checked on the whole set)."""
    scheme = _related(after, "scheme")
    if scheme is None or after.lower is None or after.upper is None:
        return
    scheme_parts_validate(scheme=scheme, weights=None, bands=[(after.lower, after.upper)])


def _score_rule(score, scheme, label) -> None:
    try:
        score_validate(score=score, scheme=scheme, label=str(label))
    except ValidationError as error:
        raise ValidationError({"score": error.error_list}) from error


def dimension_score_rules(*, before, after, many, actor) -> None:
    """A dimension score is for a dimension of its evaluation's scheme, inside that scheme's scale."""
    dimension, scheme = _related(after, "dimension"), _related(_related(after, "evaluation"), "scheme")
    if dimension is None or scheme is None or after.score is None:
        return
    if dimension.scheme_id != scheme.pk:
        message = _("%(dimension)s is not a dimension of %(scheme)s.")
        error = ValidationError(message, code="foreign_dimension", params={"dimension": dimension, "scheme": scheme})
        raise ValidationError({"dimension": error})
    _score_rule(after.score, scheme, dimension)


def pillar_score_rules(*, before, after, many, actor) -> None:
    """A pillar score lies inside its evaluation's scheme's scale, with the scheme's decimals."""
    scheme = _related(_related(after, "evaluation"), "scheme")
    if scheme is not None and after.score is not None:
        _score_rule(after.score, scheme, _related(after, "pillar") or "")


def _evaluation_row_rules(after) -> None:
    scheme = _related(after, "scheme")
    if after is not None and scheme is not None:
        evaluation_scheme_validate(year=after.year, scheme=scheme)


def evaluation_rules(*, before, after, many, actor) -> None:
    """An evaluation uses the scheme of its own year; it starts as a draft and its status changes only through
    the workflow steps (`evaluation_submit`, `evaluation_finalise`), never through an edit, import or revert."""
    _evaluation_row_rules(after)
    if after is not None and after.status != (before.status if before is not None else EvaluationStatus.DRAFT):
        message = _("The status changes only by submitting or finalising the evaluation.")
        raise ValidationError({"status": ValidationError(message, code="status_by_workflow")})


# --- Writers ----------------------------------------------------------------------------------------------
@contextmanager
def _errors_under(field: str):
    """Report a nested row's errors under the list that carried it (`dimension_scores`, `pillar_scores`)."""
    try:
        yield
    except ValidationError as error:
        errors = error.error_list if not hasattr(error, "error_dict") else sum(error.error_dict.values(), [])
        raise ValidationError({field: errors}) from error


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


def _slug_candidates(year, stage, kind):
    stage, kind = slugify(stage.replace("_", "-")), slugify(kind.replace("_", "-"))  # stage_2 -> stage-2
    yield f"{year}-{stage}"
    yield f"{year}-{stage}-{kind}"
    number = 2
    while True:
        yield f"{year}-{stage}-{kind}-{number}"
        number += 1


def evaluation_slug(*, year, stage, kind) -> str:
    """The slug of a new evaluation, free among the others: year and stage (2024-stage-2), else with the kind
    (2024-stage-2-national), else numbered. Set once on create: a public address that never moves."""
    taken = set(Evaluation.objects.filter(slug__startswith=f"{year}-").values_list("slug", flat=True))
    return next(slug for slug in _slug_candidates(year, stage, kind) if slug not in taken)


class EvaluationWriter(Writer):
    """An evaluation is written with its scores, when the write gives them ({"dimension": code, "score"} and
    {"pillar": Pillar, "score"} lists replacing the old sets), and its index recomputed, in one transaction.
    A new evaluation gets its slug here (evaluation_slug), whichever door it came through."""

    @transaction.atomic
    def create(self, *, data, actor):
        data = dict(data)
        if data.get("year") and data.get("stage") and data.get("kind"):
            data["slug"] = evaluation_slug(year=data["year"], stage=data["stage"], kind=data["kind"])
        parts = {
            "dimension_scores": data.pop("dimension_scores", None),
            "pillar_scores": data.pop("pillar_scores", None),
        }
        evaluation = super().create(data=data, actor=actor)
        evaluation = evaluation_set_scores(evaluation=evaluation, actor=actor, **parts)
        evaluation_publication_announce(evaluation=evaluation)
        return evaluation

    @transaction.atomic
    def update(self, *, instance, data, actor, read_version=None):
        data = dict(data)
        data.pop("slug", None)  # a public address never moves
        parts = {
            "dimension_scores": data.pop("dimension_scores", None),
            "pillar_scores": data.pop("pillar_scores", None),
        }
        evaluation = super().update(instance=instance, data=data, actor=actor, read_version=read_version)
        evaluation = evaluation_set_scores(evaluation=evaluation, actor=actor, **parts)
        evaluation_publication_announce(evaluation=evaluation)
        return evaluation


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


def evaluation_publication_announce(*, evaluation: Evaluation) -> bool:
    """Tell every partner system that chose `evaluation.published` about an evaluation citizens can now read, by the
    one rule of what is public (`Evaluation.objects.public()`: published, and its publish-from moment come; the
    workflow status is not part of it). Called after every write of an evaluation and by the periodic job for lifted
    embargoes; each evaluation is announced once (PublicationAnnouncement), however often it is published.
    Returns whether it was announced now."""
    row = Evaluation.objects.public().with_index().filter(pk=evaluation.pk).first()
    if row is None:
        return False
    _announcement, created = PublicationAnnouncement.objects.get_or_create(evaluation_id=row.pk)
    if not created:
        return False
    data = {
        "id": row.pk,
        "year": row.year,
        "stage": row.stage,
        "kind": row.kind,
        "status": row.status,  # the workflow step (a draft stage may be published): not whether it is public
        "public": True,
        "publication": row.publication,
        "publish_from": row.publish_from and row.publish_from.isoformat(),
        "index": None if row.headline_index is None else str(row.headline_index),
        "letter_number": row.letter_number,
        "letter_date": row.letter_date and row.letter_date.isoformat(),
    }
    webhook_emit(event_type=WebhookEvent.EVALUATION_PUBLISHED, data=data, event_key=f"evaluation.published/{row.pk}")
    return True


@transaction.atomic
def evaluation_embargoes_announce() -> int:
    """Announce every public evaluation not announced yet: those whose publish-from moment has passed since the last
    run, however long ago that run was (no time window: a job that was away misses nothing)."""
    waiting = Evaluation.objects.public().filter(announcement__isnull=True).values_list("pk", flat=True)
    return sum(evaluation_publication_announce(evaluation=Evaluation(pk=pk)) for pk in waiting)


# One writer per model users change; every door reaches them by writer_for(). Schemes and evaluations are
# official records: the delete permission is the Administrator's alone, and a row still referenced is refused
# (ProtectedError, a 409 in the API): an evaluation's scores, findings and visits go first, deliberately.
SCHEME = register(SchemeWriter(EvaluationScheme))
SCHEME_DIMENSION = register(SchemeDimensionWriter(SchemeDimension))
SCHEME_BAND = register(Writer(SchemeBand, rules=band_rules))
EVALUATION = register(EvaluationWriter(Evaluation, rules=evaluation_rules))
DIMENSION_SCORE = register(DimensionScoreWriter(DimensionScore, rules=dimension_score_rules))
PILLAR_SCORE = register(Writer(PillarScore, rules=pillar_score_rules))
FINDING = register(Writer(Finding))
FOLLOW_UP = register(Writer(FollowUpAction))  # an OPD editor writes only their own agency's: the policy
FIELD_VISIT = register(Writer(FieldVisit))
FIELD_VISIT_ATTACHMENT = register(Writer(FieldVisitAttachment))

evaluation_delete = EVALUATION.delete
finding_delete, follow_up_delete, field_visit_delete = FINDING.delete, FOLLOW_UP.delete, FIELD_VISIT.delete


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
    dimensions = scheme.dimensions.order_by("order", "pk").values("code", "name_id", "name_en", "weight")
    bands = scheme.bands.order_by("lower").values("label_id", "label_en", "lower", "upper")
    copied = ("issuing_body", "scale_min", "scale_max", "decimals", "min_survey_responses", "notes")
    fields = {name: getattr(scheme, name) for name in copied}
    name = scheme.name.replace(str(scheme.year), str(year))  # "Evaluasi 2024" becomes "Evaluasi 2025"
    return scheme_create(actor=actor, name=name, year=year, dimensions=list(dimensions), bands=list(bands), **fields)


def _scheme_set_parts(*, scheme, actor, dimensions: list[dict] | None, bands: list[dict] | None) -> None:
    """Check the scheme's weights and bands as they will be, then write the given dimensions and bands (the
    scheme's permission covers its parts)."""
    weights = [dimension["weight"] for dimension in dimensions] if dimensions is not None else None
    ranges = [(b["lower"], b["upper"]) for b in (bands if bands is not None else scheme.bands.values("lower", "upper"))]
    scheme_parts_validate(scheme=scheme, weights=weights, bands=ranges)
    if dimensions is not None:
        for old in scheme.dimensions.exclude(code__in=[dimension["code"] for dimension in dimensions]):
            model_delete(instance=old, actor=actor, rules=SCHEME_DIMENSION.rules)
        for order, data in enumerate(dimensions, start=1):
            dimension = scheme.dimensions.filter(code=data["code"]).first() or SchemeDimension()
            model_save(instance=dimension, data={"scheme": scheme, "order": order, **data}, actor=actor)
    if bands is not None:
        for old in scheme.bands.all():
            model_delete(instance=old, actor=actor, rules=SCHEME_BAND.rules)
        for data in bands:
            model_save(instance=SchemeBand(), data={"scheme": scheme, **data}, actor=actor, rules=SCHEME_BAND.rules)


def scheme_recompute_indices(*, scheme: EvaluationScheme, actor=None) -> None:
    """Recompute the index of every evaluation under the scheme (after its weights or decimals changed)."""
    for evaluation in scheme.evaluations.all():
        evaluation_recompute_index(evaluation=evaluation, actor=actor)


# --- Evaluations and scores -----------------------------------------------------------------------
def evaluation_create(
    *, actor, scheme: EvaluationScheme, dimension_scores: list[dict] | None = None, pillar_scores=None, **fields
) -> Evaluation:
    """Record one stage of a year's evaluation (a draft), with its scores when given."""
    data = {"scheme": scheme, **fields, "dimension_scores": dimension_scores, "pillar_scores": pillar_scores}
    return EVALUATION.create(data=data, actor=actor)


def evaluation_update(
    *, evaluation: Evaluation, actor, dimension_scores: list[dict] | None = None, pillar_scores=None, **fields
) -> Evaluation:
    """Change an evaluation; scores, when given, replace its old ones."""
    data = {**fields, "dimension_scores": dimension_scores, "pillar_scores": pillar_scores}
    return EVALUATION.update(instance=evaluation, data=data, actor=actor)


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
    writer calls this after checking the actor's permission on the evaluation, which covers its scores."""
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
        model_delete(instance=old, actor=actor, rules=DIMENSION_SCORE.rules)
    for item in items:
        score = evaluation.dimension_scores.filter(dimension__code=item["dimension"]).first() or DimensionScore()
        data = {"evaluation": evaluation, "dimension": dimensions[item["dimension"]], "score": item["score"]}
        model_save(instance=score, data=data, actor=actor, rules=DIMENSION_SCORE.rules)


def _set_pillar_scores(*, evaluation: Evaluation, actor, items: list[dict]) -> None:
    for old in evaluation.pillar_scores.exclude(pillar__in=[item["pillar"] for item in items]):
        model_delete(instance=old, actor=actor, rules=PILLAR_SCORE.rules)
    for item in items:
        score = evaluation.pillar_scores.filter(pillar=item["pillar"]).first() or PillarScore()
        model_save(instance=score, data={"evaluation": evaluation, **item}, actor=actor, rules=PILLAR_SCORE.rules)


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


# --- The evaluation's workflow: draft, submitted, final -------------------------------------------
def _step(*, evaluation: Evaluation, actor, perm: str, source: str, target: str, code: str, message) -> Evaluation:
    """Move the evaluation from `source` to `target` status, checked on the locked row as it stands."""
    if actor is not None and not actor.has_perm(perm):
        raise PermissionDenied(_("You do not have permission to take this step."))

    def rules(*, before, after, many, actor):
        if before.status != source:
            raise ValidationError(message, code=code)
        _evaluation_row_rules(after)

    return model_save(instance=evaluation, data={"status": target}, actor=actor, rules=rules)


def readiness_override_check(*, evaluation: Evaluation, actor) -> None:
    """Only an administrator submits a stage past blocking gaps (asked by evaluation_submit, and by the admin before it
    offers the override form)."""
    if actor is not None and not actor.has_perm("evaluations.add_readinessoverride"):
        raise PermissionDenied(_("Only an administrator may submit a stage past blocking gaps."))


def evaluation_submit(*, evaluation: Evaluation, actor, override_reason: str = "") -> Evaluation:
    """Hand a draft evaluation in for review: it becomes submitted. While readiness shows a blocking gap a stage the
    city hands evidence in for (self-assessment, stage I, stage II) is refused, unless an administrator overrides it
    with a reason, which is kept with the gaps it overrode. The final stage records the ministry's letter: no gate."""
    from .readiness import blocking_gaps  # lazy: readiness reads the models of several apps

    with transaction.atomic():
        gaps = [] if evaluation.stage == EvaluationStage.FINAL else blocking_gaps(evaluation=evaluation)
        if gaps and not override_reason.strip():
            errors = [ValidationError(gap.text, code="blocking_gap") for gap in gaps]
            message = _("Readiness shows %(count)s blocking gaps: close them, or have an administrator override.")
            raise ValidationError({"readiness": [ValidationError(message, params={"count": len(gaps)}), *errors]})
        if gaps:
            readiness_override_check(evaluation=evaluation, actor=actor)
            override = ReadinessOverride(
                evaluation=evaluation,
                reason=override_reason.strip(),
                gaps=[g.as_dict() for g in gaps],
                decided_by=actor,
            )
            override.full_clean()
            override.save()
        return _step(
            evaluation=evaluation,
            actor=actor,
            perm="evaluations.submit_evaluation",
            source=EvaluationStatus.DRAFT,
            target=EvaluationStatus.SUBMITTED,
            code="not_draft",
            message=_("Only a draft evaluation can be submitted."),
        )


def evaluation_finalise(*, evaluation: Evaluation, actor) -> Evaluation:
    """Declare a submitted evaluation final (a final result must give its official letter's number)."""
    return _step(
        evaluation=evaluation,
        actor=actor,
        perm="evaluations.finalise_evaluation",
        source=EvaluationStatus.SUBMITTED,
        target=EvaluationStatus.FINAL,
        code="not_submitted",
        message=_("Only a submitted evaluation can be finalised."),
    )


# --- Findings, follow-ups, field visits -----------------------------------------------------------
def finding_create(*, actor, **fields) -> Finding:
    """Record a strength, weakness or recommendation of an evaluation."""
    return FINDING.create(data=fields, actor=actor)


def finding_update(*, finding: Finding, actor, **fields) -> Finding:
    return FINDING.update(instance=finding, data=fields, actor=actor)


def follow_up_create(*, actor, **fields) -> FollowUpAction:
    """Assign an action on a finding to an agency; OPD editors only to their own agency."""
    return FOLLOW_UP.create(data=fields, actor=actor)


def follow_up_update(*, follow_up: FollowUpAction, actor, **fields) -> FollowUpAction:
    """Report progress on a follow-up; OPD editors only on their own agency's, and cannot hand it to another."""
    return FOLLOW_UP.update(instance=follow_up, data=fields, actor=actor)


def field_visit_create(*, actor, **fields) -> FieldVisit:
    """Record a site or agency the assessors visited."""
    return FIELD_VISIT.create(data=fields, actor=actor)


def field_visit_update(*, field_visit: FieldVisit, actor, **fields) -> FieldVisit:
    return FIELD_VISIT.update(instance=field_visit, data=fields, actor=actor)


def report_export_request(*, actor, year: int, fmt: str) -> ReportExport:
    """Queue a yearly report for `actor`; the file is made in the background (build_report_export)."""
    from .tasks import build_report_export  # lazy: tasks import this module

    export = ReportExport(year=year, format=fmt, requested_by=actor)
    export.full_clean()
    export.save()
    enqueue(build_report_export, export_id=export.pk)
    return export


def report_export_build(*, export: ReportExport) -> ReportExport:
    """Make the yearly report's file (a queued job: see _file_job_build)."""

    def contents():
        title = gettext("Smart city report %(year)s · %(city)s") % {
            "year": export.year,
            "city": settings.PORTAL_CITY_NAME,
        }
        return reports.year_report_sections(year=export.year), title

    return _file_job_build(export, filename=f"report-{export.year}-{export.pk}.{export.format}", contents=contents)


def _file_job_build(job, *, filename: str, contents):
    """Make the file of a queued job (a yearly report, an evaluation pack) from `contents()` -> (sections, title),
    in the portal's language, saving its progress as it goes; a failure is recorded, never lost."""
    if job.status == ExportStatus.DONE:
        return job  # a retried or repeated job does the work once
    job.status, job.progress = ExportStatus.RUNNING, 0
    job.save(update_fields=["status", "progress", "updated_at"])

    def progress(percent: int) -> None:
        job.progress = percent
        job.save(update_fields=["progress", "updated_at"])

    try:
        with translation.override(settings.LANGUAGE_CODE):
            sections, title = contents()
            content = (
                reports.sections_to_xlsx(sections, progress)
                if job.format == ExportFormat.XLSX
                else reports.sections_to_pdf(sections, title, progress)
            )
    except SoftTimeLimitExceeded:  # the task's time is up: a clear word for staff, then the task ends
        job.status, job.error = ExportStatus.FAILED, gettext("Making the file took too long and was stopped.")
        job.save(update_fields=["status", "error", "updated_at"])
        raise
    except Exception as error:  # recorded for staff to see; the worker's log has the trace
        job.status, job.error = ExportStatus.FAILED, str(error)[:500]
        job.save(update_fields=["status", "error", "updated_at"])
        raise
    job.file.save(filename, ContentFile(content), save=False)
    job.status, job.progress = ExportStatus.DONE, 100
    job.save(update_fields=["file", "status", "progress", "updated_at"])
    return job


# --- The evaluation pack --------------------------------------------------------------------------------------------
def evaluation_pack_request(*, actor, evaluation: Evaluation, fmt: str) -> EvaluationPack:
    """Queue the evidence pack of one evaluation stage for `actor`; the file is made in the background."""
    from .tasks import build_evaluation_pack  # lazy: tasks import this module

    if actor is not None and not actor.has_perm("evaluations.add_evaluationpack"):
        raise PermissionDenied(_("You do not have permission to take this step."))
    pack = EvaluationPack(evaluation=evaluation, format=fmt, requested_by=actor)
    pack.full_clean()
    pack.save()
    enqueue(build_evaluation_pack, pack_id=pack.pk)
    return pack


def evaluation_pack_build(*, pack: EvaluationPack) -> EvaluationPack:
    """Make the evaluation pack's file (a queued job: see _file_job_build)."""
    from .pack import pack_filename, pack_sections

    def contents():
        evaluation = Evaluation.objects.with_related().get(pk=pack.evaluation_id)
        title = gettext("Evaluation pack · %(evaluation)s · %(city)s") % {
            "evaluation": evaluation,
            "city": settings.PORTAL_CITY_NAME,
        }
        return pack_sections(evaluation=evaluation), title

    filename = pack_filename(evaluation=pack.evaluation, fmt=pack.format)
    return _file_job_build(pack, filename=filename, contents=contents)


# --- Assessment frameworks, self-assessments, external indices (evaluations/frameworks.py) ----------------
from . import frameworks as _frameworks  # noqa: E402 - the writers below need the rules defined above
from .models import (  # noqa: E402
    ExternalIndex,
    ExternalIndexValue,
    Framework,
    FrameworkAspect,
    FrameworkBand,
    FrameworkDomain,
    FrameworkIndicator,
    FrameworkLevel,
    SelfAssessment,
    SelfAssessmentEvidence,
    SelfAssessmentScore,
)

FRAMEWORK = register(_frameworks.FrameworkWriter(Framework))
FRAMEWORK_DOMAIN = register(Writer(FrameworkDomain))
FRAMEWORK_ASPECT = register(Writer(FrameworkAspect, rules=_frameworks.same_framework))
FRAMEWORK_INDICATOR = register(Writer(FrameworkIndicator, rules=_frameworks.same_framework))
FRAMEWORK_BAND = register(Writer(FrameworkBand, rules=_frameworks.framework_band_rules))
FRAMEWORK_LEVEL = register(Writer(FrameworkLevel, rules=_frameworks.framework_level_rules))
SELF_ASSESSMENT = register(_frameworks.SelfAssessmentWriter(SelfAssessment, rules=_frameworks.self_assessment_rules))
SELF_ASSESSMENT_SCORE = register(Writer(SelfAssessmentScore, rules=_frameworks.score_rules))
SELF_ASSESSMENT_EVIDENCE = register(Writer(SelfAssessmentEvidence))
EXTERNAL_INDEX = register(Writer(ExternalIndex, rules=_frameworks.external_index_rules))
EXTERNAL_INDEX_VALUE = register(Writer(ExternalIndexValue, rules=_frameworks.index_value_rules))

self_assessment_assess = _frameworks.self_assessment_assess
self_assessment_add_evidence = _frameworks.self_assessment_add_evidence
self_assessment_readiness = _frameworks.self_assessment_readiness
# The provincial view's writers (followed portals, snapshots) live with the harvest; importing them registers them.
from . import federation_services  # noqa: E402, F401

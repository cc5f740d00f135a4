"""Writes of the evaluations: one stage of a year's evaluation with its scores, its workflow (draft, submitted,
final) and the announcement once citizens may read it; findings, follow-ups and field visits."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from partnerships.choices import WebhookEvent
from partnerships.webhooks import webhook_emit
from smartcity.services import Writer, model_save, register

from ..choices import EvaluationStage, EvaluationStatus
from ..models import (
    Evaluation,
    EvaluationScheme,
    FieldVisit,
    FieldVisitAttachment,
    Finding,
    FollowUpAction,
    PublicationAnnouncement,
    ReadinessOverride,
)
from ..readiness import blocking_gaps
from .scores import evaluation_set_scores, related_or_none


def evaluation_scheme_validate(*, year: int, scheme: EvaluationScheme) -> None:
    """An evaluation uses the scheme of its own year."""
    if year is not None and year != scheme.year:
        message = _("The scheme is for %(scheme_year)s, the evaluation for %(year)s.")
        params = {"scheme_year": scheme.year, "year": year}
        raise ValidationError({"scheme": ValidationError(message, code="year_mismatch", params=params)})


def _evaluation_row_rules(after) -> None:
    scheme = related_or_none(after, "scheme")
    if after is not None and scheme is not None:
        evaluation_scheme_validate(year=after.year, scheme=scheme)


def evaluation_rules(*, before, after, many, actor) -> None:
    """An evaluation uses the scheme of its own year; it starts as a draft and its status changes only through
    the workflow steps (`evaluation_submit`, `evaluation_finalise`), never through an edit, import or revert."""
    _evaluation_row_rules(after)
    if after is not None and after.status != (before.status if before is not None else EvaluationStatus.DRAFT):
        message = _("The status changes only by submitting or finalising the evaluation.")
        raise ValidationError({"status": ValidationError(message, code="status_by_workflow")})


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


# One writer per model users change (schemes.py and scores.py hold theirs). Schemes and evaluations are
# official records: the delete permission is the Administrator's alone, and a row still referenced is refused
# (ProtectedError, a 409 in the API): an evaluation's scores, findings and visits go first, deliberately.
EVALUATION = register(EvaluationWriter(Evaluation, rules=evaluation_rules))
FINDING = register(Writer(Finding))
FOLLOW_UP = register(Writer(FollowUpAction))  # an OPD editor writes only their own agency's: the policy
FIELD_VISIT = register(Writer(FieldVisit))
FIELD_VISIT_ATTACHMENT = register(Writer(FieldVisitAttachment))

evaluation_delete = EVALUATION.delete
finding_delete, follow_up_delete, field_visit_delete = FINDING.delete, FOLLOW_UP.delete, FIELD_VISIT.delete


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

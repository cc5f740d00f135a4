"""Writes of the self-assessments: the city's levels, the assessors' levels, evidence; the indices follow."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from evaluations.services.scales import HUNDRED, index_from_scores
from smartcity.services import WholeWriter, Writer, model_save, register, related, writer_for

from ..models import (
    Framework,
    FrameworkIndicator,
    SelfAssessment,
    SelfAssessmentEvidence,
    SelfAssessmentScore,
)
from .rules import level_validate


def self_assessment_compute(*, framework: Framework, levels: dict[int, int | None]) -> Decimal | None:
    """The weighted index of {indicator id: level}; None while an indicator lacks a level (or weights are off)."""
    indicators = list(framework.indicators.all())
    if not indicators or any(levels.get(i.pk) is None for i in indicators):
        return None
    if sum((i.weight for i in indicators), Decimal(0)) != HUNDRED:
        return None
    pairs = [(Decimal(levels[i.pk]), i.weight) for i in indicators]
    return index_from_scores(scores=pairs, decimals=framework.decimals)


def self_assessment_recompute(*, assessment: SelfAssessment, actor=None) -> SelfAssessment:
    """Store the self-assessed and assessors' indices from the scores."""
    framework = Framework.objects.get(pk=assessment.framework_id)
    rows = list(SelfAssessmentScore.objects.filter(assessment=assessment).values("indicator_id", "self_level",
                                                                                 "assessor_level"))  # fmt: skip
    self_index = self_assessment_compute(framework=framework, levels={r["indicator_id"]: r["self_level"] for r in rows})
    assessed = {r["indicator_id"]: r["assessor_level"] for r in rows}
    assessor_index = self_assessment_compute(framework=framework, levels=assessed)
    stored = SelfAssessment.objects.get(pk=assessment.pk)
    if (stored.self_index, stored.assessor_index) != (self_index, assessor_index):
        stored.self_index, stored.assessor_index, stored._history_user = self_index, assessor_index, actor
        stored.save(update_fields=["self_index", "assessor_index", "updated_at"])
    assessment.self_index, assessment.assessor_index = self_index, assessor_index
    return assessment


def score_rules(*, before, after, many, actor) -> None:
    """A score is for an indicator of its assessment's framework, with levels on that framework's scale."""
    if after is None:
        return
    assessment, indicator = related(after, "assessment"), related(after, "indicator")
    if assessment is None or indicator is None:
        return
    if indicator.framework_id != assessment.framework_id:
        raise ValidationError({"indicator": _("The indicator is not part of this assessment's framework.")},
                              code="foreign_indicator")  # fmt: skip
    framework = assessment.framework
    for field in ("target_level", "self_level", "assessor_level"):
        level_validate(level=getattr(after, field), framework=framework, field=field)
    if after.subject.strip() and not indicator.named_by_assessee:
        message = _("Only an indicator the city names each year (e.g. a public-service sector) takes a subject.")
        raise ValidationError({"subject": ValidationError(message, code="subject_not_named")})


def _indicators_by_number(assessment: SelfAssessment, items: list[dict]) -> dict:
    numbers = [item["indicator"] for item in items]
    found = {i.number: i for i in FrameworkIndicator.objects.filter(framework=assessment.framework_id,
                                                                      number__in=numbers)}  # fmt: skip
    unknown = sorted(set(numbers) - set(found))
    if unknown:
        message = _("The framework has no indicator %(numbers)s.")
        raise ValidationError({"scores": message % {"numbers": ", ".join(map(str, unknown))}}, code="unknown_indicator")
    return found


def _set_scores(*, assessment: SelfAssessment, actor, items: list[dict], fields: tuple[str, ...]) -> None:
    """Write `fields` of the given indicators' scores (by indicator number), creating missing scores."""
    indicators = _indicators_by_number(assessment, items)
    for item in items:
        indicator = indicators[item["indicator"]]
        score = assessment.scores.filter(indicator=indicator).first() or SelfAssessmentScore()
        data = {"assessment": assessment, "indicator": indicator, **{f: item[f] for f in fields if f in item}}
        try:
            model_save(instance=score, data=data, actor=actor, rules=score_rules)
        except ValidationError as error:
            detail = error.message_dict if hasattr(error, "error_dict") else {"scores": error.messages}
            messages = [f"{indicator.number}: {m}" for values in detail.values() for m in values]
            raise ValidationError({"scores": messages}, code="bad_score") from error


def self_assessment_rules(*, before, after, many, actor) -> None:
    """A scored self-assessment keeps its framework: its scores are for that framework's indicators."""
    if before is not None and after is not None and before.framework_id != after.framework_id:
        if SelfAssessmentScore.objects.filter(assessment=before).exists():
            message = _("A self-assessment with scores keeps its framework.")
            raise ValidationError({"framework": ValidationError(message, code="framework_fixed")})


SELF_FIELDS = ("target_level", "self_level", "justification", "subject")
ASSESSOR_FIELDS = ("assessor_level", "assessor_note")


class SelfAssessmentWriter(WholeWriter):
    """A self-assessment is written with its scores ({indicator: number, target_level, self_level,
    justification}), when given, and its indices recomputed, in one transaction."""

    parts = ("scores",)

    def write_parts(self, *, row, actor, scores):
        if scores is not None:
            _set_scores(assessment=row, actor=actor, items=scores, fields=SELF_FIELDS)

    def after_write(self, *, before, after, actor):  # smartcity.services.Writer's hook (issue 24, item 3)
        return self_assessment_recompute(assessment=after, actor=actor) if after is not None else None


def self_assessment_create(*, data: dict, actor) -> SelfAssessment:
    return SELF_ASSESSMENT.create(data=data, actor=actor)


def self_assessment_update(*, assessment: SelfAssessment, data: dict, actor) -> SelfAssessment:
    return SELF_ASSESSMENT.update(instance=assessment, data=data, actor=actor)


@transaction.atomic
def self_assessment_assess(*, assessment: SelfAssessment, actor, scores: list[dict]) -> SelfAssessment:
    """The external assessors record their levels (and notes) for the given indicators; the index follows."""
    if actor is not None and not actor.has_perm("frameworks.assess_selfassessment"):
        raise PermissionDenied(_("You do not have permission to take this step."))
    assessment = SelfAssessment._base_manager.select_for_update().get(pk=assessment.pk)
    _set_scores(assessment=assessment, actor=actor, items=scores, fields=ASSESSOR_FIELDS)
    return self_assessment_recompute(assessment=assessment, actor=actor)


@transaction.atomic
def self_assessment_add_evidence(*, assessment: SelfAssessment, actor, indicator: int, file, caption: str = ""):
    """Attach a supporting document to one indicator of the self-assessment (its score is made if missing)."""
    writer_for(SelfAssessmentScore).require_perm(actor, "change")
    _set_scores(assessment=assessment, actor=actor, items=[{"indicator": indicator}], fields=())
    score = assessment.scores.get(indicator__number=indicator)
    return writer_for(SelfAssessmentEvidence).create(data={"score": score, "file": file, "caption": caption},
                                                     actor=actor)  # fmt: skip


# What an indicator of a self-assessment may lack, as `self_assessment_readiness` names it (and the API documents).
SELF_ASSESSMENT_MISSING = ("self_level", "justification", "evidence", "subject")


def self_assessment_readiness(*, assessment: SelfAssessment) -> list[dict]:
    """The framework's indicators still lacking a self-assessed level, a justification or evidence."""
    scores = {s.indicator_id: s for s in assessment.scores.all()}
    gaps = []
    for indicator in assessment.framework.indicators.all():
        score = scores.get(indicator.pk)
        missing = []
        if score is None or score.self_level is None:
            missing.append("self_level")
        if score is None or not score.justification.strip():
            missing.append("justification")
        if score is None or not score.evidence.all():
            missing.append("evidence")
        if indicator.named_by_assessee and (score is None or not score.subject.strip()):
            missing.append("subject")
        if missing:
            gaps.append({"indicator": indicator.number, "name": indicator.name, "missing": missing})
    return gaps


SELF_ASSESSMENT = register(SelfAssessmentWriter(SelfAssessment, rules=self_assessment_rules))
SELF_ASSESSMENT_SCORE = register(Writer(SelfAssessmentScore, rules=score_rules))
SELF_ASSESSMENT_EVIDENCE = register(Writer(SelfAssessmentEvidence))

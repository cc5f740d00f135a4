"""Writes of the assessment frameworks, self-assessments and external indices (registered in services.py).

The rules: a framework's indicator weights add up to 100 and its bands lie inside its level scale without
overlapping; a level lies on the framework's scale; an external index's value lies inside its scale with its
decimals. The indices use the evaluation scores' Decimal rules (`index_from_scores`, half up).
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from smartcity.services import WholeWriter, model_delete, model_save, related

from .models import (
    ExternalIndex,
    Framework,
    FrameworkAspect,
    FrameworkBand,
    FrameworkDomain,
    FrameworkIndicator,
    SelfAssessment,
    SelfAssessmentEvidence,
    SelfAssessmentScore,
)

HUNDRED = Decimal(100)


def framework_weights_validate(*, weights) -> None:
    """Refuse indicator weights that do not add up to exactly 100."""
    from .services import weights_validate

    try:
        weights_validate(weights=weights)
    except ValidationError as error:
        message = _("The indicator weights add up to %(total)s; they must add up to 100.")
        total = format(sum((Decimal(w) for w in weights), Decimal(0)).normalize(), "f")
        raise ValidationError(message, code="weights_sum", params={"total": total}) from error


def framework_parts_validate(*, framework: Framework, weights, bands) -> None:
    """The set rules of a framework as it would become: `weights` (None: unchanged) add up to 100; `bands`
    (from, to) fit the level scale and do not overlap."""
    from .services import bands_validate

    if weights is not None:
        framework_weights_validate(weights=weights)
    bands_validate(bands=bands, scale_min=Decimal(framework.level_min), scale_max=Decimal(framework.level_max))


def level_validate(*, level, framework: Framework, field: str) -> None:
    if level is not None and not framework.level_min <= level <= framework.level_max:
        message = _("Level %(level)s is outside the scale %(min)s–%(max)s.")
        params = {"level": level, "min": framework.level_min, "max": framework.level_max}
        raise ValidationError({field: ValidationError(message, code="level_outside_scale", params=params)})


def same_framework(*, before, after, many, actor) -> None:
    """A domain, aspect or indicator belongs to one framework: an aspect's domain and an indicator's aspect too."""
    if after is None:
        return
    parent = related(after, "domain") if isinstance(after, FrameworkAspect) else related(after, "aspect")
    if parent is not None and parent.framework_id != after.framework_id:
        raise ValidationError(_("The parent belongs to another framework."), code="foreign_parent")


def framework_band_rules(*, before, after, many, actor) -> None:
    framework = related(after, "framework") if after is not None else None
    if framework is not None and after.lower is not None and after.upper is not None:
        framework_parts_validate(framework=framework, weights=None, bands=[(after.lower, after.upper)])


class FrameworkWriter(WholeWriter):
    """A framework is written with its structure ({domains: [{code, name_id, aspects: [{code, name_id,
    indicators: [{number, name_id, weight}]}]}]}) and bands, when the write gives them, as one whole."""

    parts = ("domains", "bands")

    def write_parts(self, *, row, actor, domains, bands):
        framework_set_parts(framework=row, actor=actor, domains=domains, bands=bands)

    def update(self, *, instance, data, actor, read_version=None):
        with transaction.atomic():
            framework = super().update(instance=instance, data=data, actor=actor, read_version=read_version)
            for assessment in framework.assessments.all():
                self_assessment_recompute(assessment=assessment, actor=actor)
            return framework


def framework_set_parts(*, framework: Framework, actor, domains: list[dict] | None, bands: list[dict] | None):
    """Check the weights and bands as they will be, then replace the structure and bands given."""
    weights = None
    if domains is not None:
        weights = [i["weight"] for d in domains for a in d.get("aspects", []) for i in a.get("indicators", [])]
    ranges = [(b["lower"], b["upper"]) for b in (bands if bands is not None else framework.bands.values())]
    framework_parts_validate(framework=framework, weights=weights, bands=ranges)
    if domains is not None:
        _framework_set_structure(framework=framework, actor=actor, domains=domains)
    if bands is not None:
        for old in framework.bands.all():
            model_delete(instance=old, actor=actor)
        for band in bands:
            model_save(instance=FrameworkBand(), data={"framework": framework, **band}, actor=actor)


def _framework_set_structure(*, framework: Framework, actor, domains: list[dict]) -> None:
    """Upsert domains, aspects and indicators by code and number; those not named are removed (an indicator
    already scored in a self-assessment is protected: a 409)."""
    numbers = [i["number"] for d in domains for a in d.get("aspects", []) for i in a.get("indicators", [])]
    if len(numbers) != len(set(numbers)):
        raise ValidationError({"domains": _("Each indicator number appears once.")}, code="duplicate_number")
    for old in framework.indicators.exclude(number__in=numbers):
        model_delete(instance=old, actor=actor)
    aspect_codes = [a["code"] for d in domains for a in d.get("aspects", [])]
    for old in framework.aspects.exclude(code__in=aspect_codes):
        model_delete(instance=old, actor=actor)
    for old in framework.domains.exclude(code__in=[d["code"] for d in domains]):
        model_delete(instance=old, actor=actor)
    for d_order, domain_data in enumerate(domains, start=1):
        domain_fields = {k: v for k, v in domain_data.items() if k != "aspects"}
        domain = framework.domains.filter(code=domain_data["code"]).first() or FrameworkDomain()
        domain = model_save(instance=domain, data={"framework": framework, "order": d_order, **domain_fields},
                            actor=actor)  # fmt: skip
        for a_order, aspect_data in enumerate(domain_data.get("aspects", []), start=1):
            aspect_fields = {k: v for k, v in aspect_data.items() if k != "indicators"}
            aspect = framework.aspects.filter(code=aspect_data["code"]).first() or FrameworkAspect()
            data = {"framework": framework, "domain": domain, "order": a_order, **aspect_fields}
            aspect = model_save(instance=aspect, data=data, actor=actor, rules=same_framework)
            for indicator_data in aspect_data.get("indicators", []):
                indicator = framework.indicators.filter(number=indicator_data["number"]).first()
                data = {"framework": framework, "aspect": aspect, **indicator_data}
                model_save(instance=indicator or FrameworkIndicator(), data=data, actor=actor, rules=same_framework)


# --- Self-assessments ---------------------------------------------------------------------------------------
def self_assessment_compute(*, framework: Framework, levels: dict[int, int | None]) -> Decimal | None:
    """The weighted index of {indicator id: level}; None while an indicator lacks a level (or weights are off)."""
    from .services import index_from_scores

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


SELF_FIELDS = ("target_level", "self_level", "justification")
ASSESSOR_FIELDS = ("assessor_level", "assessor_note")


class SelfAssessmentWriter(WholeWriter):
    """A self-assessment is written with its scores ({indicator: number, target_level, self_level,
    justification}), when given, and its indices recomputed, in one transaction."""

    parts = ("scores",)

    def write_parts(self, *, row, actor, scores):
        if scores is not None:
            _set_scores(assessment=row, actor=actor, items=scores, fields=SELF_FIELDS)

    def after_write(self, *, row, actor):
        return self_assessment_recompute(assessment=row, actor=actor)


@transaction.atomic
def self_assessment_assess(*, assessment: SelfAssessment, actor, scores: list[dict]) -> SelfAssessment:
    """The external assessors record their levels (and notes) for the given indicators; the index follows."""
    if actor is not None and not actor.has_perm("evaluations.assess_selfassessment"):
        raise PermissionDenied(_("You do not have permission to take this step."))
    assessment = SelfAssessment._base_manager.select_for_update().get(pk=assessment.pk)
    _set_scores(assessment=assessment, actor=actor, items=scores, fields=ASSESSOR_FIELDS)
    return self_assessment_recompute(assessment=assessment, actor=actor)


@transaction.atomic
def self_assessment_add_evidence(*, assessment: SelfAssessment, actor, indicator: int, file, caption: str = ""):
    """Attach a supporting document to one indicator of the self-assessment (its score is made if missing)."""
    from smartcity.services import writer_for

    writer_for(SelfAssessmentScore).require_perm(actor, "change")
    _set_scores(assessment=assessment, actor=actor, items=[{"indicator": indicator}], fields=())
    score = assessment.scores.get(indicator__number=indicator)
    return writer_for(SelfAssessmentEvidence).create(data={"score": score, "file": file, "caption": caption},
                                                     actor=actor)  # fmt: skip


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
        if missing:
            gaps.append({"indicator": indicator.number, "name": indicator.name, "missing": missing})
    return gaps


# --- External indices -----------------------------------------------------------------------------------------
def index_value_rules(*, before, after, many, actor) -> None:
    """A value lies inside its index's scale, with the index's decimals (the evaluation scores' rule)."""
    from .services import score_validate

    index = related(after, "index") if after is not None else None
    if index is None or after.value is None:
        return
    try:
        score_validate(score=after.value, scheme=index, label=str(index))
    except ValidationError as error:
        raise ValidationError({"value": error.error_list}) from error


def external_index_rules(*, before, after, many, actor) -> None:
    """Changing an index's scale or decimals must keep every recorded value valid."""
    from .services import score_validate

    if after is None or after.pk is None or after.scale_max is None:
        return
    for value in ExternalIndex.objects.get(pk=after.pk).values.all():
        try:
            score_validate(score=value.value, scheme=after, label=str(value.year))
        except ValidationError as error:
            raise ValidationError({"scale_max": error.error_list}) from error


# --- Loading a framework from its data file ---------------------------------------------------------------------
FRAMEWORK_FILES = {"spbe-2020": "spbe-2020.json"}


def framework_load(*, data: dict, actor) -> Framework:
    """Create or update the framework a data file describes (keys starting with "_" are notes), by its slug,
    through the framework's writer: the same rules as the admin and the API (weights add up to 100, ...)."""
    from smartcity.services import writer_for

    fields = {key: value for key, value in data.items() if not key.startswith("_")}
    existing = Framework.objects.filter(slug=fields.get("slug")).first()
    writer = writer_for(Framework)
    if existing is None:
        return writer.create(data=fields, actor=actor)
    fields.pop("slug")
    return writer.update(instance=existing, data=fields, actor=actor)


def framework_file(name: str) -> dict:
    """A framework's data file shipped with the portal (evaluations/data/)."""
    import json
    from pathlib import Path

    return json.loads((Path(__file__).parent / "data" / FRAMEWORK_FILES[name]).read_text(encoding="utf-8"))

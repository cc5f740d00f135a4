"""Writes of the assessment frameworks, self-assessments and external indices (registered in services.py).

The rules: a framework's indicator weights add up to 100 and its bands lie inside its level scale without
overlapping; its named levels and an indicator's criteria per level lie on that scale; a level lies on the
framework's scale; only an indicator the assessee names each year takes a named subject. An external index's edition
has a score inside its scale with its decimals, or, for a level rating, a level; a band only where the publisher gives
bands. The indices use the evaluation scores' Decimal rules (`index_from_scores`, half up). A framework file (the
shipped SPBE one, or the official text of a successor such as the Indeks Pemerintah Digital) is checked as the API
checks a framework and loaded whole, or not at all.
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
    FrameworkLevel,
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


class FrameworkWriter(WholeWriter):
    """A framework is written with its structure ({domains: [{code, name_id, aspects: [{code, name_id,
    indicators: [{number, name_id, weight}]}]}]}) and bands, when the write gives them, as one whole."""

    parts = ("domains", "bands", "levels")

    def write_parts(self, *, row, actor, domains, bands, levels):
        framework_set_parts(framework=row, actor=actor, domains=domains, bands=bands)
        if levels is not None:
            framework_set_levels(framework=row, actor=actor, levels=levels)

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


def framework_set_levels(*, framework: Framework, actor, levels: list[dict]) -> None:
    """Replace the framework's named levels: one name per level of the scale, at most."""
    numbers = [level["level"] for level in levels]
    if len(numbers) != len(set(numbers)):
        raise ValidationError({"levels": _("Each level is named once.")}, code="duplicate_level")
    for old in framework.levels.all():
        model_delete(instance=old, actor=actor)
    for level in levels:
        model_save(instance=FrameworkLevel(), data={"framework": framework, **level}, actor=actor,
                   rules=framework_level_rules)  # fmt: skip


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


# --- External indices -----------------------------------------------------------------------------------------
def edition_validate(*, edition, index: ExternalIndex) -> None:
    """An edition of a score index has a score inside the scale with the index's decimals and no level; one of a
    level rating has a level on its scale and no score; a band only where the publisher gives bands."""
    from .services import score_validate

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
    if (edition.band_id or edition.band_en) and not index.publishes_bands:
        message = _("%(index)s publishes no bands: leave the band empty.")
        raise ValidationError({"band_id": ValidationError(message, code="no_bands", params={"index": str(index)})})


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


# --- Loading a framework from its data file ---------------------------------------------------------------------
FRAMEWORK_FILES = {"spbe-2020": "spbe-2020.json"}
FRAMEWORK_FILE_MAX_BYTES = 2 * 1024 * 1024


def _flatten(errors, prefix="") -> list[str]:
    """DRF's nested error detail as lines naming the place: "domains.0.aspects.1.indicators.2.weight: …"."""
    if isinstance(errors, dict):
        return [line for key, value in errors.items() for line in _flatten(value, f"{prefix}{key}.")]
    if isinstance(errors, list) and errors and all(isinstance(e, str) for e in errors):
        return [f"{prefix.rstrip('.')}: {e}" if prefix else str(e) for e in errors]
    if isinstance(errors, list):
        return [line for i, value in enumerate(errors) for line in _flatten(value, f"{prefix}{i}.") if value]
    return [f"{prefix.rstrip('.')}: {errors}"]


def framework_data_validate(*, data, existing: Framework | None) -> dict:
    """A framework file's content checked as the API checks a framework (shape, types, unknown fields); returns
    the data ready for the writer. Keys starting with "_" are notes and are dropped."""
    from rest_framework import exceptions

    from smartcity.api.views import writable_data

    from .api.framework_serializers import FrameworkSerializer

    if not isinstance(data, dict):
        raise ValidationError(_("A framework file holds one JSON object."), code="not_an_object")
    fields = {key: value for key, value in data.items() if not str(key).startswith("_")}
    serializer = FrameworkSerializer(instance=existing, data=fields)
    try:
        checked = writable_data(serializer, fields)  # a read-only field is refused unless sent as it is
        if checked is not fields:
            serializer = FrameworkSerializer(instance=existing, data=checked)
        serializer.is_valid(raise_exception=True)
    except exceptions.ValidationError as error:
        raise ValidationError(_flatten(error.detail), code="bad_file") from error
    return dict(serializer.validated_data)


@transaction.atomic
def framework_load(*, data: dict, actor, keep_publication: bool = False) -> Framework:
    """Create or update the framework a data file describes, by its slug, all or nothing: the file is checked as the
    API checks a framework, then written through the framework's writer (weights add up to 100, ...). With
    `keep_publication` (an upload in the admin) the file cannot publish: a new framework starts as a draft and a
    known one keeps its publication, for staff to check it before citizens see it."""
    from smartcity.services import writer_for

    slug = data.get("slug") if isinstance(data, dict) else None
    existing = Framework.objects.filter(slug=slug).first() if isinstance(slug, str) else None
    fields = framework_data_validate(data=data, existing=existing)
    if keep_publication:
        fields.pop("publication", None)
        fields.pop("publish_from", None)
    writer = writer_for(Framework)
    if existing is None:
        return writer.create(data=fields, actor=actor)
    fields.pop("slug", None)
    return writer.update(instance=existing, data=fields, actor=actor)


def framework_file_read(*, content: bytes) -> dict:
    """The JSON object of an uploaded framework file, or a ValidationError saying why it cannot be read."""
    import json

    if len(content) > FRAMEWORK_FILE_MAX_BYTES:
        raise ValidationError(_("The file is larger than 2 MB."), code="too_large")
    try:
        return json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ValidationError(_("The file is not JSON in UTF-8: %(error)s"), code="not_json",
                              params={"error": str(error)[:200]}) from error  # fmt: skip


def framework_file(name: str) -> dict:
    """A framework's data file shipped with the portal (evaluations/data/)."""
    import json
    from pathlib import Path

    return json.loads((Path(__file__).parent / "data" / FRAMEWORK_FILES[name]).read_text(encoding="utf-8"))

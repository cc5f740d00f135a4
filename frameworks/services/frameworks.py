"""Writes of a framework's structure (domains, aspects, indicators, levels, bands) and loading it from a data file."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from smartcity.services import WholeWriter, Writer, model_delete, model_save, register, writer_for

from ..models import (
    Framework,
    FrameworkAspect,
    FrameworkBand,
    FrameworkDomain,
    FrameworkIndicator,
    FrameworkLevel,
)
from .assessments import self_assessment_recompute
from .rules import framework_band_rules, framework_level_rules, framework_parts_validate, same_framework


class FrameworkWriter(WholeWriter):
    """A framework is written with its structure ({domains: [{code, name_ind, aspects: [{code, name_ind,
    indicators: [{number, name_ind, weight}]}]}]}) and bands, when the write gives them, as one whole."""

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


FRAMEWORK = register(FrameworkWriter(Framework))
FRAMEWORK_DOMAIN = register(Writer(FrameworkDomain))
FRAMEWORK_ASPECT = register(Writer(FrameworkAspect, rules=same_framework))
FRAMEWORK_INDICATOR = register(Writer(FrameworkIndicator, rules=same_framework))
FRAMEWORK_BAND = register(Writer(FrameworkBand, rules=framework_band_rules))
FRAMEWORK_LEVEL = register(Writer(FrameworkLevel, rules=framework_level_rules))


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

    from ..api.serializers import FrameworkSerializer

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
    """A framework's data file shipped with the portal (frameworks/data/)."""
    import json
    from pathlib import Path

    data = Path(__file__).resolve().parent.parent / "data"
    return json.loads((data / FRAMEWORK_FILES[name]).read_text(encoding="utf-8"))

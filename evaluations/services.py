"""Writes of the evaluations app. Every rule that spans rows lives here, once: weights add up to 100,
bands do not overlap, scores stay inside the scheme's scale, the index is computed from the scores.

Admin (formset clean, save_related), API and demo loader all call these functions; each service runs in
one transaction, so bad input is refused with a ValidationError and nothing is saved.
"""

import datetime
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from smartcity.notifications import notify
from smartcity.roles import OPD_EDITOR
from smartcity.scoping import MANAGE_ALL_AGENCIES
from smartcity.tasks import enqueue

from . import reports
from .choices import ExportFormat, ExportStatus
from .models import (
    DimensionScore,
    Evaluation,
    EvaluationScheme,
    FieldVisit,
    Finding,
    FollowUpAction,
    FollowUpDigest,
    PillarScore,
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


def agency_check(*, actor, agency) -> None:
    """OPD editors act only for the agencies they belong to; Diskominfo staff for every agency.
    No actor means the system itself (the demo loader, a data migration)."""
    if actor is None or actor.is_superuser or actor.has_perm(MANAGE_ALL_AGENCIES):
        return
    if not agency.members.filter(pk=actor.pk).exists():
        raise PermissionDenied(_("You can only edit the follow-ups of your own agency."))


def _save(obj, *, actor, fields: dict):
    for name, value in fields.items():
        setattr(obj, name, value)
    obj._history_user = actor  # simple-history: who changed it, also outside a request
    obj.full_clean()
    obj.save()
    return obj


# --- Schemes --------------------------------------------------------------------------------------
@transaction.atomic
def scheme_create(*, actor, dimensions: list[dict], bands: list[dict] | None = None, **fields) -> EvaluationScheme:
    """Create a year's scheme with its weighted dimensions and its bands."""
    scheme = _save(EvaluationScheme(), actor=actor, fields=fields)
    _scheme_set_parts(scheme=scheme, actor=actor, dimensions=dimensions, bands=bands or [])
    return scheme


@transaction.atomic
def scheme_update(
    *, scheme: EvaluationScheme, actor, dimensions: list[dict] | None = None, bands: list[dict] | None = None, **fields
) -> EvaluationScheme:
    """Change a scheme; dimensions and bands, when given, replace the old ones and the indices are recomputed."""
    _save(scheme, actor=actor, fields=fields)
    _scheme_set_parts(scheme=scheme, actor=actor, dimensions=dimensions, bands=bands)
    scheme_recompute_indices(scheme=scheme)
    return scheme


def _scheme_set_parts(*, scheme, actor, dimensions: list[dict] | None, bands: list[dict] | None) -> None:
    """Check the scheme's weights and bands as they will be, then write the given dimensions and bands."""
    weights = [d["weight"] for d in (dimensions if dimensions is not None else scheme.dimensions.values("weight"))]
    weights_validate(weights=weights)
    ranges = [(b["lower"], b["upper"]) for b in (bands if bands is not None else scheme.bands.values("lower", "upper"))]
    bands_validate(bands=ranges, scale_min=scheme.scale_min, scale_max=scheme.scale_max)
    if dimensions is not None:
        scheme.dimensions.exclude(code__in=[dimension["code"] for dimension in dimensions]).delete()
        for order, data in enumerate(dimensions, start=1):
            dimension = scheme.dimensions.filter(code=data["code"]).first() or SchemeDimension(scheme=scheme)
            _save(dimension, actor=actor, fields={"order": order, **data})
    if bands is not None:
        scheme.bands.all().delete()
        for data in bands:
            _save(SchemeBand(scheme=scheme), actor=actor, fields=data)


def scheme_recompute_indices(*, scheme: EvaluationScheme) -> None:
    """Recompute the index of every evaluation under the scheme (after its weights or decimals changed)."""
    for evaluation in scheme.evaluations.all():
        evaluation_recompute_index(evaluation=evaluation)


# --- Evaluations and scores -----------------------------------------------------------------------
@transaction.atomic
def evaluation_create(
    *, actor, scheme: EvaluationScheme, dimension_scores: list[dict] | None = None, pillar_scores=None, **fields
) -> Evaluation:
    """Record one stage of a year's evaluation, with its scores when given."""
    evaluation_scheme_validate(year=fields.get("year"), scheme=scheme)
    evaluation = _save(Evaluation(), actor=actor, fields={"scheme": scheme, **fields})
    return evaluation_set_scores(
        evaluation=evaluation, actor=actor, dimension_scores=dimension_scores, pillar_scores=pillar_scores
    )


@transaction.atomic
def evaluation_update(
    *, evaluation: Evaluation, actor, dimension_scores: list[dict] | None = None, pillar_scores=None, **fields
) -> Evaluation:
    """Change an evaluation; scores, when given, replace its old ones."""
    evaluation_scheme_validate(year=fields.get("year", evaluation.year), scheme=fields.get("scheme", evaluation.scheme))
    _save(evaluation, actor=actor, fields=fields)
    return evaluation_set_scores(
        evaluation=evaluation, actor=actor, dimension_scores=dimension_scores, pillar_scores=pillar_scores
    )


@transaction.atomic
def evaluation_set_scores(
    *,
    evaluation: Evaluation,
    actor,
    dimension_scores: list[dict] | None = None,
    pillar_scores: list[dict] | None = None,
) -> Evaluation:
    """Replace the given score sets ({"dimension": code, "score"} and {"pillar": Pillar, "score"}), then
    recompute the index. One score outside the scale refuses the whole call."""
    if dimension_scores is not None:
        _set_dimension_scores(evaluation=evaluation, actor=actor, items=dimension_scores)
    if pillar_scores is not None:
        _set_pillar_scores(evaluation=evaluation, actor=actor, items=pillar_scores)
    return evaluation_recompute_index(evaluation=evaluation)


def _set_dimension_scores(*, evaluation: Evaluation, actor, items: list[dict]) -> None:
    scheme = evaluation.scheme
    dimensions = {dimension.code: dimension for dimension in scheme.dimensions.all()}
    for item in items:
        if item["dimension"] not in dimensions:
            message = _("The scheme has no dimension %(code)s.")
            error = ValidationError(message, code="unknown_dimension", params={"code": item["dimension"]})
            raise ValidationError({"dimension_scores": error})
        _score_check(score=item["score"], scheme=scheme, field="dimension_scores", label=dimensions[item["dimension"]])
    codes = [item["dimension"] for item in items]
    evaluation.dimension_scores.exclude(dimension__code__in=codes).delete()
    for item in items:
        score = evaluation.dimension_scores.filter(dimension__code=item["dimension"]).first()
        fields = {"dimension": dimensions[item["dimension"]], "score": item["score"]}
        _save(score or DimensionScore(evaluation=evaluation), actor=actor, fields=fields)


def _set_pillar_scores(*, evaluation: Evaluation, actor, items: list[dict]) -> None:
    for item in items:
        _score_check(score=item["score"], scheme=evaluation.scheme, field="pillar_scores", label=item["pillar"])
    evaluation.pillar_scores.exclude(pillar__in=[item["pillar"] for item in items]).delete()
    for item in items:
        score = evaluation.pillar_scores.filter(pillar=item["pillar"]).first()
        _save(score or PillarScore(evaluation=evaluation), actor=actor, fields=item)


def _score_check(*, score, scheme, field: str, label) -> None:
    try:
        score_validate(score=score, scheme=scheme, label=str(label))
    except ValidationError as error:
        raise ValidationError({field: error.error_list}) from error


def evaluation_recompute_index(*, evaluation: Evaluation) -> Evaluation:
    """Store the index computed from the dimension scores and weights; none while a dimension lacks a score."""
    scheme = evaluation.scheme
    dimensions = list(scheme.dimensions.all())
    scores = {score.dimension_id: score.score for score in evaluation.dimension_scores.all()}
    computed = None
    if dimensions and all(dimension.pk in scores for dimension in dimensions):
        pairs = [(scores[dimension.pk], dimension.weight) for dimension in dimensions]
        computed = index_from_scores(scores=pairs, decimals=scheme.decimals)
    if computed != evaluation.computed_index:
        evaluation.computed_index = computed
        evaluation.save(update_fields=["computed_index", "updated_at"])
    return evaluation


# --- Findings, follow-ups, field visits -----------------------------------------------------------
@transaction.atomic
def finding_create(*, actor, **fields) -> Finding:
    """Record a strength, weakness or recommendation of an evaluation."""
    return _save(Finding(), actor=actor, fields=fields)


@transaction.atomic
def finding_update(*, finding: Finding, actor, **fields) -> Finding:
    return _save(finding, actor=actor, fields=fields)


@transaction.atomic
def follow_up_create(*, actor, **fields) -> FollowUpAction:
    """Assign an action on a finding to an agency; OPD editors only to their own agency."""
    agency_check(actor=actor, agency=fields["owner_agency"])
    return _save(FollowUpAction(), actor=actor, fields=fields)


@transaction.atomic
def follow_up_update(*, follow_up: FollowUpAction, actor, **fields) -> FollowUpAction:
    """Report progress on a follow-up; OPD editors only on their own agency's, and cannot hand it to another."""
    agency_check(actor=actor, agency=follow_up.owner_agency)
    if "owner_agency" in fields:
        agency_check(actor=actor, agency=fields["owner_agency"])
    return _save(follow_up, actor=actor, fields=fields)


@transaction.atomic
def field_visit_create(*, actor, **fields) -> FieldVisit:
    """Record a site or agency the assessors visited."""
    return _save(FieldVisit(), actor=actor, fields=fields)


@transaction.atomic
def field_visit_update(*, field_visit: FieldVisit, actor, **fields) -> FieldVisit:
    return _save(field_visit, actor=actor, fields=fields)


def follow_up_digests_send(*, today: datetime.date) -> int:
    """Mail each agency's editors the list of its overdue follow-up actions, at most once a day."""
    overdue = FollowUpAction.objects.overdue(on=today).with_related().order_by("due_on")
    by_agency: dict[int, list[FollowUpAction]] = {}
    for action in overdue:
        by_agency.setdefault(action.owner_agency_id, []).append(action)
    return sum(_follow_up_digest_send(actions=actions, today=today) for actions in by_agency.values())


@transaction.atomic
def _follow_up_digest_send(*, actions: list[FollowUpAction], today: datetime.date) -> int:
    """Claim the (agency, day) row, then mail; a failed mail rolls the claim back for a retry."""
    agency = actions[0].owner_agency
    digest, created = FollowUpDigest.objects.get_or_create(agency=agency, day=today, defaults={"actions": len(actions)})
    if not created:
        return 0
    editors = agency.members.filter(is_active=True, groups__name=OPD_EDITOR).exclude(email="")
    digest.recipients = notify(
        recipients=list(editors.values_list("email", flat=True)),
        subject_template="evaluations/email/follow_up_digest_subject.txt",
        body_template="evaluations/email/follow_up_digest_body.txt",
        context={"agency": agency, "actions": actions, "today": today, "site_name": settings.PORTAL_CITY_NAME},
    )
    digest.save(update_fields=["recipients"])
    return 1


def report_export_request(*, actor, year: int, fmt: str) -> ReportExport:
    """Queue a yearly report for `actor`; the file is made in the background (build_report_export)."""
    from .tasks import build_report_export  # lazy: tasks import this module

    export = ReportExport(year=year, format=fmt, requested_by=actor)
    export.full_clean()
    export.save()
    enqueue(build_report_export, export_id=export.pk)
    return export


def report_export_build(*, export: ReportExport) -> ReportExport:
    """Make the report's file, saving its progress as it goes; a failure is recorded, never lost."""
    if export.status == ExportStatus.DONE:
        return export  # a retried or repeated job does the work once
    export.status, export.progress = ExportStatus.RUNNING, 0
    export.save(update_fields=["status", "progress", "updated_at"])

    def progress(percent: int) -> None:
        export.progress = percent
        export.save(update_fields=["progress", "updated_at"])

    try:
        with translation.override(settings.LANGUAGE_CODE):
            sections = reports.year_report_sections(year=export.year)
            title = gettext("Smart city report %(year)s · %(city)s") % {
                "year": export.year,
                "city": settings.PORTAL_CITY_NAME,
            }
            content = (
                reports.sections_to_xlsx(sections, progress)
                if export.format == ExportFormat.XLSX
                else reports.sections_to_pdf(sections, title, progress)
            )
    except Exception as error:  # recorded for staff to see; the worker's log has the trace
        export.status, export.error = ExportStatus.FAILED, str(error)[:500]
        export.save(update_fields=["status", "error", "updated_at"])
        raise
    export.file.save(f"report-{export.year}-{export.pk}.{export.format}", ContentFile(content), save=False)
    export.status, export.progress = ExportStatus.DONE, 100
    export.save(update_fields=["file", "status", "progress", "updated_at"])
    return export

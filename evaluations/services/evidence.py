"""Writes of the evaluation's evidence (issue 14): the output register, the citizen survey and its responses, the
assessors' clarification requests and their answers. One writer per model, registered here and imported by
evaluations/services.py, so `writer_for()` finds them from every door (API, admin, import, demo loader).

The rules: a decree's members are written with it, as one whole, and each has a name; only a decree forms a body;
a surveyed program belongs to the sub-dimension's pillar; every answer lies on the survey's Likert scale and names
an item of the survey; a clarification's dimension is one of its evaluation's scheme; an OPD editor answers only
their own agency's requests, and a closed request takes no answer; a request's status moves only by answering and
closing it.
"""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcity.services import WholeWriter, Writer, model_delete, model_save, register, related

from ..choices import ClarificationStatus, InstrumentBody
from ..models import (
    BodyMember,
    ClarificationAnswer,
    ClarificationRequest,
    LegalInstrument,
    Survey,
    SurveyAnswer,
    SurveyItem,
    SurveyResponse,
    SurveyTarget,
)


@contextmanager
def errors_under(field: str, index: int | None = None):
    """Report a nested row's errors under the list that carried it (`members`, `answers`)."""
    try:
        yield
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            detail = {
                name: [str(message) for e in errors for message in e.messages]
                for name, errors in error.error_dict.items()
            }
            raise ValidationError(
                {
                    field: [
                        ValidationError(
                            _("Row %(row)s: %(errors)s"), params={"row": (index or 0) + 1, "errors": detail}
                        )
                    ]
                }
            ) from error
        raise ValidationError({field: error.error_list}) from error


# --- The output register --------------------------------------------------------------------------------------------
def instrument_rules(*, before, after, many, actor) -> None:
    """Only a decree forms a body (checked by the row's own clean); nothing here beyond the model permission."""


def member_rules(*, before, after, many, actor) -> None:
    """Members belong to a decree that forms a body."""
    instrument = related(after, "instrument") if after is not None else None
    if instrument is not None and instrument.forms_body == InstrumentBody.NONE:
        message = _("Only a decree that forms a body (a council or a team) lists members.")
        raise ValidationError({"instrument": ValidationError(message, code="no_body")})


class LegalInstrumentWriter(WholeWriter):
    """A regulation or decree is written with its members, when the write gives them, as one whole: the old list
    is replaced, and one member without a name refuses the whole write."""

    parts = ("members",)

    def write_parts(self, *, row, actor, members):
        self._set_members(row, members, actor)

    def _set_members(self, instrument, members, actor):
        if members is None:
            return instrument
        for old in instrument.members.all():
            model_delete(instance=old, actor=actor, rules=BODY_MEMBER.rules)
        for order, item in enumerate(members, start=1):
            with errors_under("members", order - 1):
                data = {"order": order, **item, "instrument": instrument}
                model_save(instance=BodyMember(), data=data, actor=actor, rules=BODY_MEMBER.rules)
        return instrument


# --- The citizen survey ---------------------------------------------------------------------------------------------
def survey_target_rules(*, before, after, many, actor) -> None:
    """A surveyed program belongs to the sub-dimension's pillar; a surveyed service too, when it names a pillar."""
    if after is None:
        return
    sub = related(after, "sub_dimension")
    for name in ("program", "service"):
        subject = related(after, name)
        if sub is not None and subject is not None and subject.pillar_id not in (None, sub.pillar_id):
            message = _("%(subject)s is not in the pillar of %(sub)s.")
            raise ValidationError(
                {name: ValidationError(message, code="other_pillar", params={"subject": subject, "sub": sub})}
            )


class SurveyTargetWriter(Writer):
    """The surveyed row's owning agency defaults to the program's lead agency or the service's owner."""

    def create(self, *, data, actor):
        data = dict(data)
        if not data.get("owner_agency"):
            subject = data.get("program") or data.get("service")
            data["owner_agency"] = getattr(subject, "lead_agency", None) or getattr(subject, "owner_agency", None)
        return super().create(data=data, actor=actor)


class SurveyWriter(WholeWriter):
    """A survey is written with its Likert items, when the write gives them ({code, text_ind, text_en}): items of the
    given codes are kept (their answers too) and changed, others removed, new ones added."""

    parts = ("items",)

    def write_parts(self, *, row, actor, items):
        self._set_items(row, items, actor)

    def _set_items(self, survey, items, actor):
        if items is None:
            return survey
        for old in survey.items.exclude(code__in=[item["code"] for item in items]):
            model_delete(instance=old, actor=actor)
        for order, item in enumerate(items, start=1):
            with errors_under("items", order - 1):
                row = survey.items.filter(code=item["code"]).first() or SurveyItem()
                model_save(instance=row, data={"order": order, **item, "survey": survey}, actor=actor)
        return survey


def answers_validate(*, survey: Survey, answers: dict) -> dict:
    """{item code: value} checked against the survey: every code names one of its items, every value is a whole
    number on its Likert scale, and at least one item is answered. Returns {SurveyItem: int}."""
    items = {item.code: item for item in survey.items.all()}
    if not answers:
        raise ValidationError({"answers": ValidationError(_("Give at least one answer."), code="no_answers")})
    errors, checked = [], {}
    for code, value in answers.items():
        if code not in items:
            errors.append(
                ValidationError(_("The survey has no item %(code)s."), code="unknown_item", params={"code": code})
            )
            continue
        number = _whole(value)
        if number is None or not survey.scale_min <= number <= survey.scale_max:
            message = _("%(code)s: «%(value)s» is not on the scale %(min)s–%(max)s.")
            params = {"code": code, "value": value, "min": survey.scale_min, "max": survey.scale_max}
            errors.append(ValidationError(message, code="off_scale", params=params))
            continue
        checked[items[code]] = number
    if errors:
        raise ValidationError({"answers": errors})
    return checked


def _whole(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.isdigit() else None


class SurveyResponseWriter(Writer):
    """A response is written with its answers ({item code: value}), checked on the survey's scale, as one whole."""

    @transaction.atomic
    def create(self, *, data, actor):
        self.require_perm(actor, "add")  # before the answers are read: no permission, no detail about them
        data = dict(data)
        answers = data.pop("answers", None) or {}
        target = data.get("target")
        checked = answers_validate(survey=target.survey, answers=answers) if target is not None else {}
        if actor is not None and getattr(actor, "pk", None):
            data.setdefault("entered_by", actor)
        response = super().create(data=data, actor=actor)
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(response=response, item=item, value=v) for item, v in checked.items()
        )
        return response

    @transaction.atomic
    def update(self, *, instance, data, actor, read_version=None):
        data = dict(data)
        answers = data.pop("answers", None)
        response = super().update(instance=instance, data=data, actor=actor, read_version=read_version)
        if answers is not None:
            checked = answers_validate(survey=response.target.survey, answers=answers)
            response.answers.all().delete()
            SurveyAnswer.objects.bulk_create(
                SurveyAnswer(response=response, item=i, value=v) for i, v in checked.items()
            )
        return response


# --- Clarification requests -----------------------------------------------------------------------------------------
def clarification_rules(*, before, after, many, actor) -> None:
    """The dimension is one of the evaluation's scheme; the status moves only by answering and closing."""
    if after is None:
        return
    dimension, evaluation = related(after, "dimension"), related(after, "evaluation")
    if dimension is not None and evaluation is not None and dimension.scheme_id != evaluation.scheme_id:
        message = _("%(dimension)s is not a dimension of this evaluation's scheme.")
        raise ValidationError(
            {"dimension": ValidationError(message, code="foreign_dimension", params={"dimension": dimension})}
        )
    if after.status != (before.status if before is not None else ClarificationStatus.OPEN):
        message = _("The status changes only by answering or closing the request.")
        raise ValidationError({"status": ValidationError(message, code="status_by_workflow")})


class ClarificationWriter(Writer):
    def create(self, *, data, actor):
        if actor is not None and getattr(actor, "pk", None):
            data = {**data, "asked_by": actor}
        return super().create(data=data, actor=actor)


def answer_rules(*, before, after, many, actor) -> None:
    """A closed request takes no answer (only the owning agency answers, Diskominfo for any: the policy)."""
    request = related(after if after is not None else before, "request")
    if request is None:
        return
    if after is not None and request.status == ClarificationStatus.CLOSED:
        message = _("This request is closed: it takes no more answers.")
        raise ValidationError({"request": ValidationError(message, code="closed")})


class ClarificationAnswerWriter(Writer):
    """An answer marks its open request answered, in the same transaction."""

    @transaction.atomic
    def create(self, *, data, actor):
        if actor is not None and getattr(actor, "pk", None):
            data = {**data, "answered_by": actor}
        answer = super().create(data=data, actor=actor)
        request = ClarificationRequest.objects.get(pk=answer.request_id)
        if request.status == ClarificationStatus.OPEN:
            _set_status(request, ClarificationStatus.ANSWERED, actor)
        return answer


def _set_status(request: ClarificationRequest, status: str, actor, closed_on=None) -> ClarificationRequest:
    return model_save(instance=request, data={"status": status, "closed_on": closed_on}, actor=actor)


def clarification_answer_check(*, request: ClarificationRequest, actor) -> None:
    """May `actor` answer `request` now? Raises PermissionDenied or ValidationError, as the answer itself would: the
    admin asks it before it shows the answer form, so the form is shown exactly to those the service lets in."""
    if actor is not None and not actor.has_perm("evaluations.answer_clarificationrequest"):
        raise PermissionDenied(_("You do not have permission to take this step."))
    CLARIFICATION_ANSWER.require_perm(actor, "add")
    answer_rules(before=None, after=ClarificationAnswer(request=request), many={}, actor=actor)


def clarification_answer(*, request: ClarificationRequest, actor, text: str, file=None) -> ClarificationAnswer:
    """The owning agency answers a request, with a file of evidence when given."""
    clarification_answer_check(request=request, actor=actor)
    data = {"request": request, "text": text, **({"file": file} if file else {})}
    return CLARIFICATION_ANSWER.create(data=data, actor=actor)


def clarification_request_create(*, data: dict, actor) -> ClarificationRequest:
    """An assessor's question to the agency that owns the evidence."""
    return CLARIFICATION.create(data=data, actor=actor)


def survey_response_create(*, data: dict, actor) -> SurveyResponse:
    """One respondent's answers (the public survey page, the demo city); the writer checks each is on the scale."""
    return SURVEY_RESPONSE.create(data=data, actor=actor)


def clarification_close_check(*, request: ClarificationRequest, actor) -> None:
    """May `actor` close `request` as it stands? Raises PermissionDenied or ValidationError (asked by the admin too)."""
    if actor is not None and not actor.has_perm("evaluations.change_clarificationrequest"):
        raise PermissionDenied(_("You do not have permission to take this step."))
    if request.status == ClarificationStatus.CLOSED:
        raise ValidationError(_("This request is already closed."), code="closed")


@transaction.atomic
def clarification_close(*, request: ClarificationRequest, actor) -> ClarificationRequest:
    """The assessor closes a request (answered or not): it leaves readiness and the digests."""
    clarification_close_check(request=request, actor=actor)
    current = ClarificationRequest.objects.select_for_update().get(pk=request.pk)
    clarification_close_check(request=current, actor=actor)  # the locked row as it stands now
    return _set_status(current, ClarificationStatus.CLOSED, actor, closed_on=timezone.localdate())


def allowed(check, **kwargs) -> bool:
    """Whether a `*_check` lets the step through: what a page asks before it offers the step."""
    try:
        check(**kwargs)
    except (PermissionDenied, ValidationError):
        return False
    return True


LEGAL_INSTRUMENT = register(LegalInstrumentWriter(LegalInstrument, rules=instrument_rules))
BODY_MEMBER = register(Writer(BodyMember, rules=member_rules))
SURVEY = register(SurveyWriter(Survey))
SURVEY_ITEM = register(Writer(SurveyItem))
SURVEY_TARGET = register(SurveyTargetWriter(SurveyTarget, rules=survey_target_rules))
SURVEY_RESPONSE = register(SurveyResponseWriter(SurveyResponse))
CLARIFICATION = register(ClarificationWriter(ClarificationRequest, rules=clarification_rules))
CLARIFICATION_ANSWER = register(ClarificationAnswerWriter(ClarificationAnswer, rules=answer_rules))


# --- Importing survey responses -------------------------------------------------------------------------------------
IMPORT_FORMATS = {".csv": "csv", ".xlsx": "xlsx"}


def survey_file_read(*, name: str, content: bytes):
    """A CSV or XLSX file as a tablib Dataset, read within the import limits by the shared reader; anything
    unreadable or over a limit is a ValidationError on `file`."""
    from django.conf import settings

    from smartcity.spreadsheets import SpreadsheetRefusedError, read_table

    fmt = IMPORT_FORMATS.get(("." + name.rsplit(".", 1)[-1].lower()) if "." in name else "")
    if fmt is None:
        raise ValidationError({"file": ValidationError(_("Give a .csv or .xlsx file."), code="format")})
    if len(content) > settings.IMPORT_MAX_BYTES:
        message = _("This file is larger than the %(limit)s bytes an import takes at once; split it.")
        raise ValidationError(
            {"file": ValidationError(message, code="too_large", params={"limit": settings.IMPORT_MAX_BYTES})}
        )
    try:
        dataset = read_table(content, fmt)
    except SpreadsheetRefusedError as refused:
        raise ValidationError({"file": ValidationError(refused.message, code=refused.code)}) from None
    if not dataset.headers or len(dataset) == 0:
        raise ValidationError({"file": ValidationError(_("The file has no rows under a header."), code="empty")})
    return dataset


def survey_responses_import(*, target: SurveyTarget, name: str, content: bytes, actor, dry_run: bool) -> int:
    """Import one surveyed program's responses from a file, all or nothing: every row is checked first (a dry
    run), and one bad row refuses the whole file with every row's errors. Returns the number of rows."""
    from smartcity.resources import ImportFileError

    from ..resources import SurveyResponseResource

    if actor is not None and not actor.has_perm("evaluations.add_surveyresponse"):
        raise PermissionDenied(_("You do not have permission to take this step."))
    dataset = survey_file_read(name=name, content=content)
    for final in [True] if dry_run else [True, False]:
        resource = SurveyResponseResource(target=target)
        try:
            result = resource.import_data(
                dataset, dry_run=final, use_transactions=True, rollback_on_validation_errors=True, user=actor
            )
        except ImportFileError as error:
            raise ValidationError({"file": ValidationError(str(error), code="columns")}) from error
        _raise_row_errors(result)
    return len(dataset)


def _raise_row_errors(result) -> None:
    problems = [str(error.error) for error in result.base_errors]
    problems += [f"{number}: {error.error}" for number, errors in result.row_errors() for error in errors]
    for row in result.invalid_rows:
        messages = "; ".join(f"{field}: {' '.join(map(str, errors))}" for field, errors in row.error_dict.items())
        problems.append(_("Row %(row)s: %(errors)s") % {"row": row.number, "errors": messages})
    if problems:
        raise ValidationError({"file": problems[:50]}, code="rows")

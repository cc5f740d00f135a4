"""Writes of the pillars app: one writer per model (smartcity/services.py), holding the model's rules once.
The API, the admin's forms, inlines, history and bulk actions, the import and the commands all write through them."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartcity import cache as public_cache
from smartcity import scoping
from smartcity.choices import Publication
from smartcity.roles import ROLES
from smartcity.services import Rule, Writer, model_save, register, related, upsert
from smartcity.spreadsheets import SpreadsheetRefusedError, read_csv

from . import rules
from .choices import Approval, FeedbackStatus
from .models import (
    Activity,
    Agency,
    BudgetLine,
    DigitalService,
    District,
    Feedback,
    Indicator,
    IndicatorTarget,
    InfrastructureAsset,
    Masterplan,
    Measurement,
    Milestone,
    Pillar,
    Program,
    StaffIdentity,
    SubDimension,
    Village,
)
from .models.area import DISTRICT_CODE, VILLAGE_CODE
from .progress import program_progress_refresh


def _owned_by(owner) -> Rule:
    """A rule: the actor may edit for the agency that owns the row, as it stands and as it would become."""

    def rule(*, before, after, many, actor):
        for row in (before, after):
            if row is not None:
                scoping.require_agency(actor, owner(row))

    return rule


def _through(parent: str, agency: str):
    return lambda row: related(related(row, parent), agency) if related(row, parent) is not None else None


_diskominfo_only = _owned_by(lambda row: None)
_program_owner = _owned_by(_through("program", "lead_agency"))
_indicator_owner = _owned_by(_through("indicator", "owner_agency"))
_owner_agency = _owned_by(lambda row: related(row, "owner_agency"))
_lead_agency = _owned_by(lambda row: related(row, "lead_agency"))


def program_rules(*, before, after, many, actor) -> None:
    """An OPD editor writes only their own agency's programs; sub-dimensions belong to the program's pillar."""
    _lead_agency(before=before, after=after, many=many, actor=actor)
    if after is not None and "sub_dimensions" in many and related(after, "pillar") is not None:
        rules.sub_dimensions_belong_to_pillar(after.pillar, many["sub_dimensions"])
    if before is not None and after is not None and after.progress != before.progress and before.activities.exists():
        message = _("This program's progress rolls up from its activities: report progress on the activities.")
        raise ValidationError({"progress": ValidationError(message, code="rolled_up")})


def activity_rules(*, before, after, many, actor) -> None:
    """Only the owning agency (OPD) plans and reports an activity, as it stands and as it would become: another
    agency's report is refused as bad input naming the owner (Diskominfo writes for every agency)."""
    for row in (before, after):
        agency = related(row, "owner_agency") if row is not None else None
        if row is not None and agency is not None and not scoping.can_edit_for(actor, agency):
            message = _("This activity belongs to %(agency)s: only that agency plans and reports it.")
            error = ValidationError(message, code="not_owner", params={"agency": agency})
            raise ValidationError({"owner_agency": error})


class ActivityWriter(Writer):
    """Every write of an activity rolls its program's progress up again, whichever door it came through."""

    @transaction.atomic
    def create(self, *, data, actor):
        activity = super().create(data=data, actor=actor)
        program_progress_refresh(program_id=activity.program_id, actor=actor)
        return activity

    @transaction.atomic
    def update(self, *, instance, data, actor, read_version=None):
        old_program = instance.program_id
        activity = super().update(instance=instance, data=data, actor=actor, read_version=read_version)
        for program_id in {old_program, activity.program_id}:
            program_progress_refresh(program_id=program_id, actor=actor)
        return activity

    @transaction.atomic
    def delete(self, *, instance, actor):
        program_id = instance.program_id
        super().delete(instance=instance, actor=actor)
        program_progress_refresh(program_id=program_id, actor=actor)


def measurement_rules(*, before, after, many, actor) -> None:
    """Measurements belong to the indicator's agency and are never dated in the future."""
    _indicator_owner(before=before, after=after, many=many, actor=actor)
    if after is not None:
        rules.not_in_the_future(after.measured_on, "measured_on")


def metadata_complete(indicator: Indicator) -> None:
    """Refuse an indicator whose MS-Ind metadata is incomplete, naming each empty field."""
    missing = indicator.missing_metadata
    if missing:
        message = _("Fill in the indicator's metadata first: this field is required before publication.")
        raise ValidationError({name: ValidationError(message, code="metadata_missing") for name in missing})


def indicator_rules(*, before, after, many, actor) -> None:
    """The producing agency's editors write its indicators; the walidata's approval changes only through its own
    steps; an indicator is published only once approved, with its metadata complete."""
    _owner_agency(before=before, after=after, many=many, actor=actor)
    if after is None:
        return
    was = before.approval if before is not None else Approval.DRAFT
    if actor is not None and after.approval != was:
        message = _("The approval changes only by submitting, approving or sending the indicator back.")
        raise ValidationError({"approval": ValidationError(message, code="approval_by_workflow")})
    if after.publication != Publication.PUBLISHED:
        return
    becomes_public = before is None or before.publication != Publication.PUBLISHED
    if becomes_public and after.approval != Approval.APPROVED:
        message = _("Only an indicator the walidata (Diskominfo) has approved can be published.")
        raise ValidationError({"publication": ValidationError(message, code="not_approved")})
    touched = before is None or any(getattr(before, f) != getattr(after, f) for f in Indicator.METADATA_FIELDS)
    if becomes_public or touched:
        metadata_complete(after)


class MeasurementWriter(Writer):
    """A measurement also refreshes its indicator's stale mark, whichever door it came through."""

    def create(self, *, data, actor):
        return self._refreshed(super().create(data=data, actor=actor))

    def update(self, *, instance, data, actor, read_version=None):
        return self._refreshed(super().update(instance=instance, data=data, actor=actor, read_version=read_version))

    def delete(self, *, instance, actor):
        indicator_id = instance.indicator_id
        super().delete(instance=instance, actor=actor)
        indicators_flag_stale(today=timezone.localdate(), indicators=Indicator.objects.filter(pk=indicator_id))

    def _refreshed(self, measurement):
        indicators_flag_stale(
            today=timezone.localdate(), indicators=Indicator.objects.filter(pk=measurement.indicator_id)
        )
        return measurement


# --- citizen feedback ----------------------------------------------------------------------------------------------
CITIZEN_FIELDS = ("program", "service", "message", "name", "contact", "lapor_reference")


def _feedback_agency(row):
    subject = related(row, "program") or related(row, "service")
    if subject is None:
        return None
    return related(subject, "lead_agency") if isinstance(subject, Program) else related(subject, "owner_agency")


def feedback_rules(*, before, after, many, actor) -> None:
    """The owning agency moderates (a program's lead agency, a service's owner agency); a citizen's words are never
    edited, and a moderated message does not go back to waiting."""
    _owned_by(_feedback_agency)(before=before, after=after, many=many, actor=actor)
    if after is None:
        return
    if before is None:
        if after.status != FeedbackStatus.PENDING or after.reply:
            raise ValidationError(_("New feedback waits for moderation, without a reply."), code="not_pending")
        return
    changed = [name for name in CITIZEN_FIELDS if getattr(before, name) != getattr(after, name)]
    if changed:
        raise ValidationError(
            {
                name: ValidationError(_("What the citizen wrote is not edited."), code="citizen_field")
                for name in changed
            }
        )
    if before.status != FeedbackStatus.PENDING and after.status == FeedbackStatus.PENDING:
        raise ValidationError({"status": _("Moderated feedback does not go back to waiting.")}, code="back_to_pending")


class FeedbackWriter(Writer):
    """Moderation records who published, rejected or answered, and when, whichever door it came through."""

    def update(self, *, instance, data, actor, read_version=None):
        moderated = any(name in data and data[name] != getattr(instance, name) for name in ("status", "reply"))
        if moderated:
            data = {**data, "moderated_at": timezone.now(), "moderated_by": actor}
        return super().update(instance=instance, data=data, actor=actor, read_version=read_version)


# One writer per model staff change; every door (API, admin, import, commands) reaches them by writer_for().
MASTERPLAN = register(Writer(Masterplan, rules=_diskominfo_only))
PROGRAM = register(Writer(Program, rules=program_rules))
ACTIVITY = register(ActivityWriter(Activity, rules=activity_rules))
MILESTONE = register(Writer(Milestone, rules=_program_owner))
BUDGET_LINE = register(Writer(BudgetLine, rules=_program_owner))
INDICATOR = register(Writer(Indicator, rules=indicator_rules))
INDICATOR_TARGET = register(Writer(IndicatorTarget, rules=_indicator_owner))
MEASUREMENT = register(MeasurementWriter(Measurement, rules=measurement_rules))
DIGITAL_SERVICE = register(Writer(DigitalService, rules=_owner_agency))
INFRASTRUCTURE_ASSET = register(Writer(InfrastructureAsset, rules=_diskominfo_only))
# Reference data: the pillars and sub-dimensions are reworded, never added or removed (the admin offers no add or
# delete); agencies are kept by Diskominfo.
PILLAR = register(Writer(Pillar, rules=_diskominfo_only, deletable=False))
SUB_DIMENSION = register(Writer(SubDimension, rules=_diskominfo_only, deletable=False))
AGENCY = register(Writer(Agency, rules=_diskominfo_only))
DISTRICT = register(Writer(District, rules=_diskominfo_only))
VILLAGE = register(Writer(Village, rules=_diskominfo_only))
# Citizens write feedback through `feedback_submit` (no staff creates it: nobody holds add_feedback); the owning
# agency moderates it through this writer (API, admin form and bulk actions).
FEEDBACK = register(FeedbackWriter(Feedback, rules=feedback_rules))

program_create, program_update, program_delete = PROGRAM.create, PROGRAM.update, PROGRAM.delete
measurement_create, measurement_update, measurement_delete = MEASUREMENT.create, MEASUREMENT.update, MEASUREMENT.delete


def indicators_flag_stale(*, today: datetime.date, indicators=None) -> int:
    """Mark indicators whose latest measurement is older than their frequency allows as stale since
    `today`, and clear the mark of those measured in time. Idempotent; returns how many changed."""
    indicators = indicators if indicators is not None else Indicator.objects.all()
    stale = indicators.stale(on=today).values("pk")
    changed = indicators.filter(pk__in=stale, stale_since__isnull=True).update(stale_since=today)
    changed += indicators.exclude(pk__in=stale).filter(stale_since__isnull=False).update(stale_since=None)
    if changed:
        public_cache.invalidate()  # queryset updates send no signals
    return changed


# --- The walidata's approval (Satu Data Indonesia): producer submits, walidata approves or sends back ----------
@dataclass(frozen=True)
class ApprovalStep:
    """Who may take a step of the walidata's approval, and from which approval states: the one rule each step's
    service checks on the locked row, and each door asks before it offers the step (`indicator_step_open`)."""

    perm: str
    sources: tuple[str, ...]
    code: str
    message: str
    producer: bool = False  # only the producing agency's editors (Diskominfo for any)


APPROVAL_STEPS = {
    "submit": ApprovalStep(
        "pillars.submit_indicator",
        (Approval.DRAFT, Approval.SENT_BACK),
        "not_draft",
        gettext_lazy("Only a draft or sent-back indicator can be submitted."),
        producer=True,
    ),
    "approve": ApprovalStep(
        "pillars.approve_indicator",
        (Approval.SUBMITTED,),
        "not_submitted",
        gettext_lazy("Only a submitted indicator can be approved."),
    ),
    "send_back": ApprovalStep(
        "pillars.approve_indicator",
        (Approval.SUBMITTED, Approval.APPROVED),
        "not_submitted",
        gettext_lazy("Only a submitted or approved indicator can be sent back."),
    ),
}


def _step_check(step: ApprovalStep, indicator: Indicator, actor) -> None:
    if actor is not None and not actor.has_perm(step.perm):
        raise PermissionDenied(_("You do not have permission to take this step."))
    if step.producer:
        scoping.require_agency(actor, indicator.owner_agency)
    if indicator.approval not in step.sources:
        raise ValidationError(step.message, code=step.code)


def indicator_step_open(*, indicator: Indicator, step: str, actor) -> bool:
    """May `actor` take `step` on the indicator as it stands? The doors offer a step only when it is open."""
    try:
        _step_check(APPROVAL_STEPS[step], indicator, actor)
    except (PermissionDenied, ValidationError):
        return False
    return True


def _approval_step(*, indicator: Indicator, actor, step: str, data: dict) -> Indicator:
    """Move the indicator's approval, checked on the locked row as it stands (the permission first: someone who may
    not take the step learns nothing about the input)."""
    rule = APPROVAL_STEPS[step]
    if actor is not None and not actor.has_perm(rule.perm):
        raise PermissionDenied(_("You do not have permission to take this step."))
    if step == "send_back" and not data["approval_note"]:
        raise ValidationError({"note": ValidationError(_("Say what the producer should change."), code="required")})

    def rules(*, before, after, many, actor):
        _step_check(rule, before, actor)
        if data["approval"] != Approval.SENT_BACK:
            metadata_complete(after)

    return model_save(instance=indicator, data=data, actor=actor, rules=rules)


def indicator_submit(*, indicator: Indicator, actor) -> Indicator:
    """The producing agency hands the indicator and its metadata to the walidata for checking (again, after it
    was sent back: the walidata's note stays until the next decision)."""
    return _approval_step(indicator=indicator, actor=actor, step="submit", data={"approval": Approval.SUBMITTED})


def indicator_approve(*, indicator: Indicator, actor) -> Indicator:
    """The walidata approves a submitted indicator: from then on it may be published."""
    data = {"approval": Approval.APPROVED, "approval_note": "", "approved_at": timezone.now()}
    return _approval_step(indicator=indicator, actor=actor, step="approve", data=data)


def indicator_send_back(*, indicator: Indicator, actor, note: str) -> Indicator:
    """The walidata returns a submitted (or approved) indicator to its producer with the reason; it leaves every
    public surface until it is approved again."""
    data = {"approval": Approval.SENT_BACK, "approval_note": (note or "").strip(), "approved_at": None}
    return _approval_step(indicator=indicator, actor=actor, step="send_back", data=data)


# --- Areas: districts and villages from the office's file ----------------------------------------------------
AREA_COLUMNS = ("code", "name")
AREA_OPTIONAL_COLUMNS = ("bps_code", "note", "source", "verified")
YES = {"ya", "y", "yes", "true", "1", "benar"}
NO = {"", "tidak", "t", "no", "n", "false", "0", "salah"}


def _area_rows(content: bytes | str) -> list[dict]:
    """The file's rows ({code, name, bps_code, note, source, source_verified, level}), or a ValidationError naming
    every line that is wrong. Only `code` (Kemendagri) and `name` are required."""
    try:
        table = read_csv(content)  # the shared reader: the row limit, NUL bytes, over-long fields
    except SpreadsheetRefusedError as refused:
        raise ValidationError({"file": ValidationError(refused.message, code=refused.code)}) from None
    header = [name.strip().lower() for name in table.headers or []]
    if not set(AREA_COLUMNS) <= set(header):
        message = _(
            "The file needs the columns code and name (and optionally bps_code, note, source and verified), "
            "comma-separated."
        )
        raise ValidationError({"file": message}, code="bad_columns")
    reader = (dict(zip(header, values, strict=True)) for values in table)
    rows, errors, seen = [], [], set()
    for line, raw in enumerate(reader, start=2):
        row = {key.strip().lower(): (value or "").strip() for key, value in raw.items() if key}
        code, name = row.get("code", ""), row.get("name", "")
        level = _code_level(code)
        if level is None or not name or code in seen:
            errors.append(_("Line %(line)s: %(code)s is not a district or village code, lacks a name, or repeats.")
                          % {"line": line, "code": code or "—"})  # fmt: skip
            continue
        verified = row.get("verified", "").lower()
        if verified not in YES | NO:
            errors.append(_("Line %(line)s: verified is “ya” or “tidak”, not %(value)s.")
                          % {"line": line, "value": row.get("verified")})  # fmt: skip
            continue
        seen.add(code)
        rows.append({
            "code": code, "name": name, "level": level, "bps_code": row.get("bps_code", ""),
            "note": row.get("note", ""), "source": row.get("source", ""), "source_verified": verified in YES,
        })  # fmt: skip
    if not rows and not errors:
        errors.append(_("The file holds no area."))
    if errors:
        raise ValidationError({"file": errors}, code="bad_rows")
    return rows


def _code_level(code: str) -> str | None:
    for level, validator in (("district", DISTRICT_CODE), ("village", VILLAGE_CODE)):
        try:
            validator(code)
            return level
        except ValidationError:
            continue
    return None


@transaction.atomic
def areas_load(*, content: bytes | str, actor) -> dict:
    """Load the districts and villages of the office's CSV file (code, name, note): new codes are added, known
    ones renamed. One wrong line refuses the whole file; a village's district must be in the file or known."""
    if actor is not None and not actor.has_perm("pillars.add_district"):
        raise PermissionDenied(_("You do not have permission to change records of this kind."))
    rows = _area_rows(content)
    districts = {row["code"] for row in rows if row["level"] == "district"}
    known = set(District.objects.filter(code__in={r["code"][:8] for r in rows}).values_list("code", flat=True))
    orphans = [row["code"] for row in rows if row["level"] == "village" and row["code"][:8] not in districts | known]
    if orphans:
        message = _("These villages name a district that is neither in the file nor known: %(codes)s.")
        raise ValidationError({"file": message % {"codes": ", ".join(orphans)}}, code="unknown_district")
    counts = {"districts": 0, "villages": 0, "created": 0}
    errors = []
    for row in sorted(rows, key=lambda r: r["code"]):
        fields = {name: row[name] for name in ("name", "bps_code", "note", "source", "source_verified")}
        try:
            with transaction.atomic():
                if row["level"] == "district":
                    created = upsert(District, defaults=fields, actor=actor, code=row["code"])[1]
                else:
                    district = District.objects.get(code=row["code"][:8])
                    defaults = {**fields, "district": district}
                    created = upsert(Village, defaults=defaults, actor=actor, code=row["code"])[1]
        except ValidationError as error:  # a field the model refuses (a BPS code of the wrong shape): name the row
            errors.append(f"{row['code']}: {' '.join(error.messages)}")
            continue
        counts[row["level"] + "s"] += 1
        counts["created"] += created
    if errors:  # one wrong line refuses the whole file: the outer transaction rolls back every row written
        raise ValidationError({"file": errors}, code="bad_rows")
    return counts


def _digest(kind: str, value: str) -> str:
    return salted_hmac(f"pillars.feedback.{kind}", value, algorithm="sha256").hexdigest()


def feedback_normalised(message: str) -> str:
    """The text repeat detection compares: case, spacing and punctuation do not make a message new."""
    return " ".join("".join(ch for ch in message.casefold() if ch.isalnum() or ch.isspace()).split())


def _refuse_repeats(on_subject, message_digest: str, sender_digest: str) -> None:
    now = timezone.now()
    since = now - datetime.timedelta(hours=settings.FEEDBACK_REPEAT_HOURS)
    if on_subject.filter(message_digest=message_digest, created_at__gte=since).exists():
        raise ValidationError(_("This message was already received; it is waiting for moderation."), code="repeat")
    recently = now - datetime.timedelta(minutes=settings.FEEDBACK_SENDER_MINUTES)
    if on_subject.filter(sender_digest=sender_digest, created_at__gte=recently).exists():
        message = _("You sent feedback on this a few minutes ago. Please wait before writing again.")
        raise ValidationError(message, code="repeat_sender")


@transaction.atomic
def feedback_submit(
    *,
    subject: Program | DigitalService,
    message: str,
    sender: str,
    name: str = "",
    contact: str = "",
    lapor_reference: str = "",
) -> Feedback:
    """Hold a citizen's feedback on a published program or service for moderation by its agency. The same text on
    the same record within FEEDBACK_REPEAT_HOURS, or a second message from the same address on it within
    FEEDBACK_SENDER_MINUTES, is refused as a repeat. The address itself is never stored, only a keyed digest."""
    # The record's row lock makes two identical posts arriving together meet one after the other.
    public = type(subject).objects.public().select_for_update(of=("self",)).filter(pk=subject.pk)
    if not list(public.values_list("pk", flat=True)):
        raise ValidationError(_("Feedback is taken on published records only."), code="not_public")
    field = "program" if isinstance(subject, Program) else "service"
    message_digest = _digest("message", f"{field}:{subject.pk}:{feedback_normalised(message)}")
    sender_digest = _digest("sender", sender)
    _refuse_repeats(Feedback.objects.filter(**{field: subject}), message_digest, sender_digest)
    data = {
        field: subject,
        "message": message.strip(),
        "name": name.strip(),
        "contact": contact.strip(),
        "lapor_reference": lapor_reference,
        "message_digest": message_digest,
        "sender_digest": sender_digest,
    }
    return FEEDBACK.create(data=data, actor=None)


@transaction.atomic
def staff_sign_in_apply(*, user, role: str, agency: Agency | None, email: str, first_name: str, last_name: str):
    """Make a person signed in by the city's identity provider what its claims say: staff, of exactly one role
    (other groups are kept) and of exactly the named agency (none when it names none). Run at every sign-in,
    by the system, so a change at the provider follows here the next time."""
    user.email, user.first_name, user.last_name, user.is_staff = email, first_name, last_name, True
    user.save(update_fields=["email", "first_name", "last_name", "is_staff"])
    user.groups.remove(*Group.objects.filter(name__in=ROLES).exclude(name=role))
    user.groups.add(Group.objects.get(name=role))
    user.agencies.set([agency] if agency is not None else [])
    return user


@transaction.atomic
def staff_identity_create(*, subject: str, usernames: list[str]):
    """A new portal account for the identity provider's `subject`, marked as that subject's (StaffIdentity), named
    by the first of `usernames` no account has yet: a local account of that name is never taken over."""
    from django.contrib.auth import get_user_model

    model = get_user_model()
    taken = set(model.objects.filter(username__in=usernames).values_list("username", flat=True))
    username = next(name for name in usernames if name not in taken)
    user = model.objects.create_user(username)  # no usable password: only the provider signs it in
    StaffIdentity.objects.create(user=user, subject=subject)
    return user


@transaction.atomic
def staff_sign_in_refuse(*, user):
    """Take away what a person signed in by the identity provider had here, when the provider's claims no longer
    give a role or an agency this portal knows: staff status, every group and permission, every agency. Run by the
    system at a refused sign-in (a fresh one, or the re-check of an open session)."""
    user.is_staff = False
    user.save(update_fields=["is_staff"])
    user.groups.clear()
    user.user_permissions.clear()
    user.agencies.clear()
    return user

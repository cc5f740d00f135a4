"""Writes of the pillars app: one writer per model (smartcity/services.py), holding the model's rules once.
The API, the admin's forms, inlines, history and bulk actions, the import and the commands all write through them."""

import datetime
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartcity import cache as public_cache
from smartcity.choices import Publication
from smartcity.notifications import staff_invitation_send
from smartcity.policy import policy_of
from smartcity.roles import AGENCY_BOUND_ROLES, ROLES, role_label
from smartcity.services import WholeWriter, Writer, model_save, register, related, upsert
from smartcity.spreadsheets import SpreadsheetRefusedError, read_csv

from . import basemap, rules
from .choices import Approval, FeedbackStatus, Stage
from .models import (
    Activity,
    Agency,
    BaseMap,
    Boundary,
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
    ProgramIndicator,
    StaffIdentity,
    SubDimension,
    Village,
)
from .models.area import DISTRICT_CODE, VILLAGE_CODE
from .progress import program_progress_refresh

# Who owns a row (and so who may write it) is the model's policy (pillars/querysets.py); every writer below checks
# it before its own rules (smartcity/services.py), so no rule here restates an owning agency.


def program_stage_rules(*, before, after, rolled_up: bool = False) -> None:
    """A program's stage and its progress never contradict each other; the stage is stored, and this rule keeps it
    in step on every write, the activity roll-up included (README, "Domain notes"):

    - progress above 0 moves a planned program to in progress; setting "planned" again while it has progress is
      refused (the stage field names why);
    - "completed" needs 100 % and, when it has activities, every one of them done: asking sooner is refused;
    - a roll-up that takes a completed program below that (a new or reopened activity) moves it back to in progress
      and clears its completion date, rather than refusing the agency's report;
    - on hold and cancelled are staff's decisions, whatever the progress.
    """
    if after is None:
        return
    if after.stage == Stage.PLANNED and after.progress > 0:
        if before is not None and before.stage != Stage.PLANNED and not rolled_up:
            message = _("A program with progress is not planned any more: choose in progress, on hold or cancelled.")
            raise ValidationError({"stage": ValidationError(message, code="planned_with_progress")})
        after.stage = Stage.IN_PROGRESS
    if after.stage != Stage.COMPLETED:
        return
    unfinished = after.pk is not None and Activity.objects.filter(program_id=after.pk, progress__lt=100).exists()
    if after.progress >= 100 and not unfinished:
        return
    if rolled_up:
        after.stage, after.completed_on = Stage.IN_PROGRESS, None
        return
    if after.progress < 100:
        return  # Program.clean refuses it, on the progress ("A completed program is at 100 %.")
    message = _("A program is completed only at 100 % progress with every activity done.")
    raise ValidationError({"stage": ValidationError(message, code="not_finished")})


def program_rules(*, before, after, many, actor) -> None:
    """Sub-dimensions belong to the program's pillar; progress rolls up from activities where there are any; the
    stage follows the progress (`program_stage_rules`). Who may write the program is its policy's."""
    if after is not None and "sub_dimensions" in many and related(after, "pillar") is not None:
        rules.sub_dimensions_belong_to_pillar(after.pillar, many["sub_dimensions"])
    if before is not None and after is not None and after.progress != before.progress and before.activities.exists():
        message = _("This program's progress rolls up from its activities: report progress on the activities.")
        raise ValidationError({"progress": ValidationError(message, code="rolled_up")})
    program_stage_rules(before=before, after=after)


def program_indicator_rules(*, before, after, many, actor) -> None:
    """The program's lead agency links its programs to indicators, as the link stands and as it would become. The
    indicator may be any agency's (a program moves figures other agencies produce) but must be one the editor may
    see: a hidden indicator is refused exactly like one that does not exist."""
    indicator = related(after, "indicator") if after is not None else None
    if indicator is None or actor is None:
        return
    if before is not None and before.indicator_id == indicator.pk:
        return
    if not Indicator.objects.visible_to(actor).filter(pk=indicator.pk).exists():
        message = _("There is no indicator with id %(id)s.") % {"id": indicator.pk}
        raise ValidationError({"indicator": ValidationError(message, code="does_not_exist")})


class ProgramWriter(WholeWriter):
    """A program is written with its indicator links when the write names them (the API's nested `indicators`,
    the import's `indicators` column): each link goes through the link writer, with its own rules."""

    parts = ("indicator_links",)

    def write_parts(self, *, row, actor, indicator_links=None) -> None:
        if indicator_links is not None:
            program_indicators_replace(program=row, links=indicator_links, actor=actor)


def _rolled_up_stage(*, before, after, many, actor) -> None:
    program_stage_rules(before=before, after=after, rolled_up=True)


def program_progress_roll_up(*, program: Program, progress: int, actor) -> Program:
    """Store the activities' roll-up as the program's progress (a computed field, with history), with the stage rule
    only: the actor's right was checked on the activity they wrote, which may belong to a supporting agency. Called
    by the activity writer's `after_write` (pillars/progress.py), never by a door."""
    return model_save(instance=program, data={"progress": progress}, actor=actor, rules=_rolled_up_stage)


def program_indicators_replace(*, program: Program, links: list[dict], actor) -> None:
    """Make `links` ({indicator, role, and optionally expected_value, expected_year, note}) the program's indicator
    links: the missing ones removed, the others changed (only the keys given) or added."""
    if any(link.get("indicator") is None for link in links):  # a partial write (PATCH) leaves nothing required
        message = _("Name the indicator of each link.")
        raise ValidationError({"indicators": ValidationError(message, code="required")})
    indicator_ids = [link["indicator"].pk for link in links]
    if len(set(indicator_ids)) != len(indicator_ids):
        message = _("Each indicator is linked to a program only once.")
        raise ValidationError({"indicators": ValidationError(message, code="duplicate_indicator")})
    existing = ProgramIndicator.objects.filter(program=program)  # never a prefetched (stale) list
    try:
        for row in existing.exclude(indicator_id__in=indicator_ids):
            PROGRAM_INDICATOR.delete(instance=row, actor=actor)
        current = {row.indicator_id: row for row in existing.all()}
        for link in links:
            row = current.get(link["indicator"].pk)
            if row is None:
                PROGRAM_INDICATOR.create(data={**link, "program": program}, actor=actor)
            else:
                PROGRAM_INDICATOR.update(instance=row, data=link, actor=actor)
    except ValidationError as error:  # the API names the nested list, not the link row's own field
        raise ValidationError({"indicators": _messages(error)}) from error


def _messages(error: ValidationError) -> list[ValidationError]:
    groups = error.error_dict.values() if hasattr(error, "error_dict") else [error.error_list]
    return [single for group in groups for single in group]


def activity_rules(*, before, after, many, actor) -> None:
    """Only the owning agency (OPD) plans and reports an activity, as it stands and as it would become (the policy's
    owner): another agency's report is refused as bad input naming the owner (Diskominfo writes for every agency)."""
    policy = policy_of(Activity)
    for row in (before, after):
        agency = policy.owner_of(row) if row is not None else None
        if row is not None and not policy.may_change(actor, row):
            message = _("This activity belongs to %(agency)s: only that agency plans and reports it.")
            error = ValidationError(message, code="not_owner", params={"agency": agency})
            raise ValidationError({"owner_agency": error})


class ActivityWriter(Writer):
    """Every write of an activity rolls its program's progress up again (the old program's too, when it moved),
    whichever door it came through."""

    def after_write(self, *, before, after, actor):
        for program_id in sorted({row.program_id for row in (before, after) if row is not None}):
            program_progress_refresh(program_id=program_id, actor=actor)


def measurement_rules(*, before, after, many, actor) -> None:
    """Measurements are never dated in the future (the indicator's agency writes them: the policy)."""
    if after is not None:
        rules.not_in_the_future(after.measured_on, "measured_on")


def _building_blocks(indicator: Indicator, many: dict) -> list:
    """The building blocks the indicator would have: those the write sets, or those it has."""
    if "building_blocks" in many:
        return list(many["building_blocks"])
    return list(indicator.building_blocks.all()) if indicator.pk is not None else []


def metadata_complete(indicator: Indicator, many: dict | None = None) -> None:
    """Refuse an indicator whose MS-Ind metadata is incomplete, naming each empty field (a composite indicator
    also names its building blocks)."""
    message = _("Fill in the indicator's metadata first: this field is required before publication.")
    missing = indicator.missing_metadata
    if indicator.is_composite and not _building_blocks(indicator, many or {}):
        missing.append("building_blocks")
    if missing:
        raise ValidationError({name: ValidationError(message, code="metadata_missing") for name in missing})


def metadata_changes(before: Indicator, after: Indicator, many: dict) -> list[str]:
    """The MS-Ind fields (Indicator.METADATA_FIELDS) this write changes."""
    fields = [name for name in Indicator.METADATA_FIELDS if name != "building_blocks"]
    changed = [name for name in fields if getattr(before, name) != getattr(after, name)]
    if "building_blocks" in many:
        now = set(before.building_blocks.values_list("pk", flat=True))
        if now != {row.pk for row in many["building_blocks"]}:
            changed.append("building_blocks")
    return changed


def building_blocks_valid(after: Indicator, many: dict) -> None:
    """Only a composite indicator lists building blocks, and never itself."""
    blocks = _building_blocks(after, many)
    if blocks and not after.is_composite:
        message = _("Only a composite indicator lists building blocks: tick “composite indicator” or remove them.")
        raise ValidationError({"building_blocks": ValidationError(message, code="not_composite")})
    if after.pk is not None and any(block.pk == after.pk for block in blocks):
        message = _("An indicator is not a building block of itself.")
        raise ValidationError({"building_blocks": ValidationError(message, code="self_block")})


def _back_to_walidata(*, before, after, many, actor) -> None:
    """A person's change to the metadata of an approved indicator takes it back to the walidata: the change is
    kept, the indicator awaits approval again (and leaves every public surface until then), and the note on its
    admin page says who changed what. The system's own loaders (no actor) write as the walidata would."""
    if actor is None or before is None or before.approval != Approval.APPROVED:
        return
    changed = metadata_changes(before, after, many)
    if not changed:
        return
    labels = ", ".join(str(Indicator._meta.get_field(name).verbose_name) for name in changed)
    message = _("%(user)s changed the metadata (%(fields)s) on %(day)s: it awaits the walidata's approval again.")
    after.approval, after.approved_at = Approval.SUBMITTED, None
    after.approval_note = message % {"user": actor.get_username(), "fields": labels, "day": timezone.localdate()}
    after.metadata_changed = changed  # for the writer, which tells both people once the change commits


def indicator_rules(*, before, after, many, actor) -> None:
    """The producing agency's editors write its indicators; the walidata's approval changes only through its own
    steps, or goes back to the walidata when a person changes an approved indicator's metadata; an indicator is
    published only once approved, with its metadata complete. Who may write it is its policy's."""
    if after is None:
        return
    was = before.approval if before is not None else Approval.DRAFT
    if actor is not None and after.approval != was:
        message = _("The approval changes only by submitting, approving or sending the indicator back.")
        raise ValidationError({"approval": ValidationError(message, code="approval_by_workflow")})
    building_blocks_valid(after, many)
    _back_to_walidata(before=before, after=after, many=many, actor=actor)
    if after.publication != Publication.PUBLISHED:
        return
    becomes_public = before is None or before.publication != Publication.PUBLISHED
    if becomes_public and after.approval != Approval.APPROVED:
        message = _("Only an indicator the walidata (Diskominfo) has approved can be published.")
        raise ValidationError({"publication": ValidationError(message, code="not_approved")})
    touched = before is None or bool(metadata_changes(before, after, many))
    if becomes_public or touched:
        metadata_complete(after, many)


class IndicatorWriter(Writer):
    """An approved indicator whose metadata a person changes goes back to the walidata (indicator_rules): once the
    change commits, the walidata and the person who made it are told by e-mail, whichever door it came through."""

    def after_write(self, *, before, after, actor):
        changed = getattr(after, "metadata_changed", None) if before is not None else None
        if changed:
            from smartcity.tasks import enqueue  # a broker that is away never fails the save

            from .tasks import notify_indicator_back_to_walidata

            enqueue(notify_indicator_back_to_walidata, indicator_id=after.pk, actor_id=actor.pk, fields=list(changed))


def indicator_back_to_walidata_notify(*, indicator: Indicator, actor, fields: list[str]) -> int:
    """Tell the walidata (everyone who may approve indicators) and the person who changed an approved indicator's
    metadata that it awaits approval again and is off the public pages until then; returns messages sent."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.urls import reverse

    from smartcity.notifications import notify

    approve = Permission.objects.get(codename="approve_indicator", content_type__app_label="pillars")
    walidata = (
        get_user_model()
        .objects.filter(Q(groups__permissions=approve) | Q(user_permissions=approve) | Q(is_superuser=True))
        .filter(is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    labels = [str(Indicator._meta.get_field(name).verbose_name) for name in fields if name in Indicator.METADATA_FIELDS]
    context = {
        "indicator": indicator,
        "actor": actor,
        "fields": labels,
        "site_name": settings.PORTAL_CITY_NAME,
        "admin_url": settings.PORTAL_BASE_URL + reverse("admin:pillars_indicator_change", args=[indicator.pk]),
    }
    return notify(
        recipients=[*walidata, getattr(actor, "email", "")],
        subject_template="pillars/email/indicator_back_to_walidata_subject.txt",
        body_template="pillars/email/indicator_back_to_walidata_body.txt",
        context=context,
    )


class MeasurementWriter(Writer):
    """A measurement also refreshes its indicator's stale mark (the old indicator's too, when it moved), whichever
    door it came through."""

    def after_write(self, *, before, after, actor):
        ids = {row.indicator_id for row in (before, after) if row is not None}
        indicators_flag_stale(today=timezone.localdate(), indicators=Indicator.objects.filter(pk__in=ids))


# --- citizen feedback ----------------------------------------------------------------------------------------------
CITIZEN_FIELDS = ("program", "service", "message", "name", "contact", "lapor_reference")


def feedback_rules(*, before, after, many, actor) -> None:
    """A citizen's words are never edited, and a moderated message does not go back to waiting (the owning agency
    moderates: the policy)."""
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

    def prepare(self, *, instance, data, actor):
        if instance.pk is None:
            return data
        moderated = any(name in data and data[name] != getattr(instance, name) for name in ("status", "reply"))
        return {**data, "moderated_at": timezone.now(), "moderated_by": actor} if moderated else data


class BaseMapWriter(Writer):
    """The base map's tile type, zoom levels and box are read from the header of each new file, whichever door
    brings it; the file it replaces (or the row's, on delete) leaves the storage once the write commits."""

    def prepare(self, *, instance, data, actor):
        upload = data.get("file")
        if upload is None or isinstance(upload, FieldFile):
            return data
        try:
            header = basemap.upload_header(upload)
        except ValidationError as error:
            raise ValidationError({"file": error.error_list}) from None
        return {**data, **header.as_fields()}

    def after_write(self, *, before, after, actor):
        gone = before.file.name if before is not None and before.file else ""
        if gone and (after is None or after.file.name != gone):
            storage = before.file.storage
            transaction.on_commit(partial(storage.delete, gone))


# One writer per model staff change; every door (API, admin, import, commands) reaches them by writer_for().
MASTERPLAN = register(Writer(Masterplan))
PROGRAM = register(ProgramWriter(Program, rules=program_rules))
PROGRAM_INDICATOR = register(Writer(ProgramIndicator, rules=program_indicator_rules))
ACTIVITY = register(ActivityWriter(Activity, rules=activity_rules, owner_rule=False))  # says the owner itself
MILESTONE = register(Writer(Milestone))
BUDGET_LINE = register(Writer(BudgetLine))
INDICATOR = register(IndicatorWriter(Indicator, rules=indicator_rules))
INDICATOR_TARGET = register(Writer(IndicatorTarget))
MEASUREMENT = register(MeasurementWriter(Measurement, rules=measurement_rules))
DIGITAL_SERVICE = register(Writer(DigitalService))
INFRASTRUCTURE_ASSET = register(Writer(InfrastructureAsset))
# Reference data: the pillars and sub-dimensions are reworded, never added or removed (the admin offers no add or
# delete); agencies are kept by Diskominfo.
PILLAR = register(Writer(Pillar, deletable=False))
SUB_DIMENSION = register(Writer(SubDimension, deletable=False))
AGENCY = register(Writer(Agency))
DISTRICT = register(Writer(District))
VILLAGE = register(Writer(Village))
# Citizens write feedback through `feedback_submit` (no staff creates it: nobody holds add_feedback); the owning
# agency moderates it through this writer (API, admin form and bulk actions).
FEEDBACK = register(FeedbackWriter(Feedback, rules=feedback_rules))

# The map's outlines, uploaded by the office (the admin's GeoJSON form); no agency owns them.
BOUNDARY = register(Writer(Boundary))
# The map's background (at most one), uploaded by the office as a PMTiles file.
BASE_MAP = register(BaseMapWriter(BaseMap))

# `<entity>_<verb>`: the services other modules call (smartcity/services.py, "How a write is spelt").
program_create, program_update, program_delete = PROGRAM.create, PROGRAM.update, PROGRAM.delete
measurement_create, measurement_update, measurement_delete = MEASUREMENT.create, MEASUREMENT.update, MEASUREMENT.delete
feedback_update = FEEDBACK.update
infrastructure_asset_update = INFRASTRUCTURE_ASSET.update
boundary_create, boundary_update, boundary_delete = BOUNDARY.create, BOUNDARY.update, BOUNDARY.delete
base_map_create, base_map_update, base_map_delete = BASE_MAP.create, BASE_MAP.update, BASE_MAP.delete


def indicators_flag_stale(*, today: datetime.date, indicators=None) -> int:
    """Mark indicators whose latest measurement is older than their frequency allows as stale since
    `today`, and clear the mark of those measured in time. Idempotent; returns how many changed."""
    indicators = indicators if indicators is not None else Indicator.objects.all()
    stale = indicators.stale(on=today).values("pk")
    changed = indicators.filter(pk__in=stale, stale_since__isnull=True).update(stale_since=today)
    changed += indicators.exclude(pk__in=stale).filter(stale_since__isnull=False).update(stale_since=None)
    if changed:
        public_cache.invalidate_on_commit()  # queryset updates send no signals
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
        policy_of(Indicator).require(actor, indicator)
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
            metadata_complete(after, many)

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


# --- staff: one form adds a person with their role and agency (issue 22) -----------------------------------------
def _staff_invite_check(*, email: str, role: str, agency: Agency | None, actor) -> None:
    if actor is not None and not actor.has_perm("auth.add_user"):
        raise PermissionDenied(_("Only an administrator adds staff."))
    errors = {}
    users = get_user_model().objects
    if users.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
        errors["email"] = ValidationError(_("Someone already has this e-mail address."), code="duplicate")
    if role not in ROLES:
        errors["role"] = ValidationError(_("Choose one of the roles."), code="invalid_choice")
    elif role in AGENCY_BOUND_ROLES and agency is None:
        message = _("A %(role)s edits only for their own agency: choose the agency.")
        errors["agency"] = ValidationError(message, code="required", params={"role": role_label(role)})
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def staff_invite(*, name: str, email: str, role: str, agency: Agency | None, actor, base_url: str):
    """Add a staff member in one step: the account (signed in by e-mail address, no password yet), the role's group
    and the agency's membership together or not at all; once committed, an e-mail with the link to choose a
    password. Only holders of auth.add_user (the Administrator) may; a refusal changes nothing."""
    email = get_user_model().objects.normalize_email(email.strip()).lower()
    _staff_invite_check(email=email, role=role, agency=agency, actor=actor)
    user = get_user_model()(username=email, email=email, first_name=name.strip()[:150], is_staff=True)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same address, added a moment ago by another administrator
        raise ValidationError({"email": _("Someone already has this e-mail address.")}, code="duplicate") from None
    user.groups.add(Group.objects.get(name=role))
    if agency is not None:
        agency.members.add(user)
    agency_name = agency.name if agency is not None else ""
    send = partial(staff_invitation_send, user=user, role=role, agency_name=agency_name, base_url=base_url)
    transaction.on_commit(send)
    return user


def _invited_role(user) -> str:
    """The role an invitation names: the user's first role group (as prefetched), or "" when they hold none."""
    return next((group.name for group in user.groups.all() if group.name in ROLES), "")


@transaction.atomic
def staff_invitation_resend(*, users, actor, base_url: str) -> list:
    """Send the invitation again to staff members who never chose a password (a lost or expired link), each with a
    fresh set-password link, once the transaction commits. Only who may add staff may; a selection that holds anyone
    who has a password already (they reset it from the sign-in page) or who is no active staff sends nothing."""
    if actor is not None and not actor.has_perm("auth.add_user"):
        raise PermissionDenied(_("Only an administrator adds staff."))
    users = list(users.prefetch_related("groups", "agencies"))
    refused = [user.get_username() for user in users if user.has_usable_password() or not user.is_staff]
    refused += [user.get_username() for user in users if not user.is_active or not user.email]
    if refused:
        message = _("Only active staff who never chose a password are invited again: %(users)s.")
        raise ValidationError(message, code="not_invitable", params={"users": ", ".join(sorted(set(refused)))})
    for user in users:
        agency = next(iter(user.agencies.all()), None)
        send = partial(staff_invitation_send, user=user, role=_invited_role(user),
                       agency_name=agency.name if agency is not None else "", base_url=base_url)  # fmt: skip
        transaction.on_commit(send)
    return users


@transaction.atomic
def staff_identity_create(*, subject: str, usernames: list[str]):
    """A new portal account for the identity provider's `subject`, marked as that subject's (StaffIdentity), named
    by the first of `usernames` no account has yet: a local account of that name is never taken over."""
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

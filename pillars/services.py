"""Writes of the pillars app: one writer per model (smartcity/services.py), holding the model's rules once.
The API, the admin's forms, inlines, history and bulk actions, the import and the commands all write through them."""

import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from smartcity import cache as public_cache
from smartcity import scoping
from smartcity.roles import ROLES
from smartcity.services import Rule, Writer, register, related

from . import rules
from .choices import FREQUENCY_DAYS, FeedbackStatus
from .models import (
    Agency,
    BudgetLine,
    DigitalService,
    Feedback,
    Indicator,
    IndicatorTarget,
    InfrastructureAsset,
    Masterplan,
    Measurement,
    Milestone,
    Pillar,
    Program,
    SubDimension,
)


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


def measurement_rules(*, before, after, many, actor) -> None:
    """Measurements belong to the indicator's agency and are never dated in the future."""
    _indicator_owner(before=before, after=after, many=many, actor=actor)
    if after is not None:
        rules.not_in_the_future(after.measured_on, "measured_on")


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
MILESTONE = register(Writer(Milestone, rules=_program_owner))
BUDGET_LINE = register(Writer(BudgetLine, rules=_program_owner))
INDICATOR = register(Writer(Indicator, rules=_owner_agency))
INDICATOR_TARGET = register(Writer(IndicatorTarget, rules=_indicator_owner))
MEASUREMENT = register(MeasurementWriter(Measurement, rules=measurement_rules))
DIGITAL_SERVICE = register(Writer(DigitalService, rules=_owner_agency))
INFRASTRUCTURE_ASSET = register(Writer(InfrastructureAsset, rules=_diskominfo_only))
# Reference data: the pillars and sub-dimensions are reworded, never added or removed (the admin offers no add or
# delete); agencies are kept by Diskominfo.
PILLAR = register(Writer(Pillar, rules=_diskominfo_only, deletable=False))
SUB_DIMENSION = register(Writer(SubDimension, rules=_diskominfo_only, deletable=False))
AGENCY = register(Writer(Agency, rules=_diskominfo_only))
# Citizens write feedback through `feedback_submit` (no staff creates it: nobody holds add_feedback); the owning
# agency moderates it through this writer (API, admin form and bulk actions).
FEEDBACK = register(FeedbackWriter(Feedback, rules=feedback_rules))

program_create, program_update, program_delete = PROGRAM.create, PROGRAM.update, PROGRAM.delete
measurement_create, measurement_update, measurement_delete = MEASUREMENT.create, MEASUREMENT.update, MEASUREMENT.delete


def indicators_flag_stale(*, today: datetime.date, indicators=None) -> int:
    """Mark indicators whose latest measurement is older than their frequency allows as stale since
    `today`, and clear the mark of those measured in time. Idempotent; returns how many changed."""
    indicators = (indicators if indicators is not None else Indicator.objects.all()).with_latest_measurement()
    changed = 0
    for frequency, days in FREQUENCY_DAYS.items():
        due = today - datetime.timedelta(days=days)
        of_frequency = indicators.filter(frequency=frequency)
        stale = Q(latest_measured_on__isnull=True) | Q(latest_measured_on__lt=due)
        changed += of_frequency.filter(stale, stale_since__isnull=True).update(stale_since=today)
        changed += of_frequency.filter(latest_measured_on__gte=due, stale_since__isnull=False).update(stale_since=None)
    if changed:
        public_cache.invalidate()  # queryset updates send no signals
    return changed


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

"""Writes of the pillars app: one writer per model (smartcity/services.py), holding the model's rules once.
The API, the admin's forms, inlines, history and bulk actions, the import and the commands all write through them."""

import datetime

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcity import cache as public_cache
from smartcity import scoping
from smartcity.roles import ROLES
from smartcity.services import Rule, Writer, register, related

from . import rules
from .choices import FREQUENCY_DAYS
from .models import (
    Activity,
    Agency,
    BudgetLine,
    DigitalService,
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


# One writer per model staff change; every door (API, admin, import, commands) reaches them by writer_for().
MASTERPLAN = register(Writer(Masterplan, rules=_diskominfo_only))
PROGRAM = register(Writer(Program, rules=program_rules))
ACTIVITY = register(ActivityWriter(Activity, rules=activity_rules))
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

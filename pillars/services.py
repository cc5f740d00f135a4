"""Writes of the pillars app: every create, update and delete of a portfolio record goes through
`record_save` and `record_delete`, from the API, the import and the management commands alike."""

import datetime
from collections.abc import Callable

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from smartcity import cache as public_cache

from . import rules
from .choices import FREQUENCY_DAYS
from .models import (
    BudgetLine,
    DigitalService,
    Indicator,
    IndicatorTarget,
    InfrastructureAsset,
    Masterplan,
    Measurement,
    Milestone,
    Program,
)

Rule = Callable[[models.Model, dict, object], None]


@transaction.atomic
def record_save(*, instance: models.Model, actor, data: dict) -> models.Model:
    """Create or update a portfolio record: apply `data` (fields and many-to-many lists), run the model's
    rules (CHECKS), validate and save. The rules also run on the row as it stands, so nobody moves
    another agency's row into their own."""
    checks = CHECKS[type(instance)]
    if instance.pk:
        for check in checks:
            check(instance, {}, actor)
    many = {}
    for name, value in data.items():
        if instance._meta.get_field(name).many_to_many:
            many[name] = list(value)
        else:
            setattr(instance, name, value)
    for check in checks:
        check(instance, many, actor)
    instance.full_clean()
    instance.save()
    for name, values in many.items():
        getattr(instance, name).set(values)
    if isinstance(instance, Measurement):
        indicators_flag_stale(today=timezone.localdate(), indicators=Indicator.objects.filter(pk=instance.indicator_id))
    return instance


@transaction.atomic
def record_delete(*, instance: models.Model, actor) -> None:
    """Delete a portfolio record the actor may edit; one still referenced raises ProtectedError (409)."""
    for check in CHECKS[type(instance)]:
        check(instance, {}, actor)
    instance.delete()


def _lead_agency(program, many, actor):
    rules.require_agency(actor, program.lead_agency if program.lead_agency_id else None)
    if program.pillar_id and "sub_dimensions" in many:
        rules.sub_dimensions_belong_to_pillar(program.pillar, many["sub_dimensions"])


def _program_agency(row, many, actor):
    rules.require_agency(actor, row.program.lead_agency if row.program_id else None)


def _indicator_agency(row, many, actor):
    rules.require_agency(actor, row.indicator.owner_agency if row.indicator_id else None)


def _owner_agency(row, many, actor):
    rules.require_agency(actor, row.owner_agency if row.owner_agency_id else None)


def _measured_in_the_past(row, many, actor):
    rules.not_in_the_future(row.measured_on, "measured_on")


def _diskominfo_only(row, many, actor):
    rules.require_agency(actor, None)


# The rules each portfolio model's writes must pass, beyond its own fields' validation.
CHECKS: dict[type[models.Model], list[Rule]] = {
    Masterplan: [_diskominfo_only],
    Program: [_lead_agency],
    Milestone: [_program_agency],
    BudgetLine: [_program_agency],
    Indicator: [_owner_agency],
    IndicatorTarget: [_indicator_agency],
    Measurement: [_indicator_agency, _measured_in_the_past],
    DigitalService: [_owner_agency],
    InfrastructureAsset: [_diskominfo_only],
}


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

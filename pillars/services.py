"""Writes of the pillars app: every create, update and delete of a portfolio record goes through
`record_save` and `record_delete`, from the API, the import and the management commands alike."""

from collections.abc import Callable

from django.db import models, transaction

from . import rules
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

"""The one write helper every door goes through (HackSoft's `model_update`, with NetBox's one rule per model).

Each app's services module registers a `Writer` per model it lets users change. The API's base viewset, the
admin's `ServiceAdmin` (change forms, inlines, history revert, bulk delete), the CSV/XLSX import and the management
commands look the writer up with `writer_for(model)` and call `create`, `update` or `delete`. Each of those runs
the model's `rules` on the row as it stands (`before`) and as it would become (`after`), under a row lock, then
`full_clean()` and a save of the changed fields only, recording the actor in the history.
"""

import copy
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import ClassVar

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext as _

# rules(*, before, after, many, actor): raise PermissionDenied or ValidationError. `before` is None on create,
# `after` is None on delete; `many` holds the many-to-many values the write would set ({name: [rows]}).
Rule = Callable[..., None]


def no_rules(*, before, after, many, actor) -> None:
    """For models whose writes need nothing beyond model permissions and their own fields' validation."""


def related(row, name: str):
    """`row.<name>`, or None while the row does not name one yet (a form that left it empty): rules read the
    row as it would become, which may still lack a required relation that validation then reports."""
    try:
        return getattr(row, name)
    except ObjectDoesNotExist:
        return None


def row_version(instance: models.Model) -> str:
    """A token that changes whenever any column of the row changes (also through `QuerySet.update()`)."""
    values = "|".join(f"{field.attname}={field.value_to_string(instance)}" for field in instance._meta.concrete_fields)
    return hashlib.sha256(values.encode()).hexdigest()[:20]


def lock(instance: models.Model) -> models.Model:
    """The row as it stands in the database, locked until the transaction ends (a concurrent writer waits). A row
    that a concurrent writer deleted since it was read is gone: a 404, like any missing row."""
    try:
        return type(instance)._base_manager.select_for_update().get(pk=instance.pk)
    except ObjectDoesNotExist:
        raise Http404(_("This record no longer exists.")) from None


def check_version(current: models.Model, read_version: str | None) -> None:
    """Refuse a write based on an older read of the row: nothing is overwritten silently."""
    if read_version is None or read_version == row_version(current):
        return
    last = current.history.select_related("history_user").first() if hasattr(current, "history") else None
    if last is not None and last.history_user is not None:
        message = _("%(user)s changed this record at %(moment)s, after you opened it. Reload it to see the change.")
        params = {
            "user": last.history_user.get_username(),
            "moment": formats.date_format(last.history_date, "DATETIME_FORMAT"),
        }
        message %= params
    else:
        message = _("Someone changed this record after you opened it. Reload it to see the change.")
    raise ValidationError({NON_FIELD_ERRORS: ValidationError(message, code="stale")})


def _apply(instance: models.Model, data: dict) -> tuple[list[str], dict]:
    """Set `data` on `instance`; return the concrete fields that changed and the many-to-many values to set."""
    changed, many = [], {}
    for name, value in data.items():
        field = instance._meta.get_field(name)
        if field.many_to_many:
            many[name] = list(value)
        elif getattr(instance, field.attname if field.is_relation else name) != _raw(field, value):
            setattr(instance, name, value)
            changed.append(field.attname if field.is_relation else name)
        else:
            setattr(instance, name, value)  # same value: keep the object the caller gave (a related row's cache)
    return changed, many


def _raw(field, value):
    return value.pk if field.is_relation and isinstance(value, models.Model) else value


@transaction.atomic
def model_save(*, instance: models.Model, data: dict, actor, rules: Rule = no_rules, read_version=None):
    """Create `instance` or update its row with `data`: rules on the row as it stands and as it would become (they
    may set fields that follow from the change), `full_clean()`, then a save of the changed fields only (two
    writers of different fields both keep theirs)."""
    before = None
    if instance.pk is not None and not instance._state.adding:
        instance = lock(instance)
        check_version(instance, read_version)
        before = copy.deepcopy(instance)
    changed, many = _apply(instance, data)
    rules(before=before, after=instance, many=many, actor=actor)
    if before is not None:  # a rule may complete the row (an indicator's approval going back to the walidata)
        changed += [
            field.attname
            for field in instance._meta.concrete_fields
            if field.attname not in changed and getattr(before, field.attname) != getattr(instance, field.attname)
        ]
    instance.full_clean()
    instance._history_user = actor  # simple-history: who changed it, also outside a request
    if before is None:
        instance.save()
    elif changed or many:
        auto = [field.name for field in instance._meta.concrete_fields if getattr(field, "auto_now", False)]
        instance.save(update_fields=changed + auto)
    for name, values in many.items():
        getattr(instance, name).set(values)
    return instance


@transaction.atomic
def model_delete(*, instance: models.Model, actor, rules: Rule = no_rules) -> None:
    """Delete a row the actor may change; a row still referenced raises ProtectedError (a 409 in the API)."""
    current = lock(instance)
    rules(before=current, after=None, many={}, actor=actor)
    current._history_user = actor
    current.delete()


@dataclass(frozen=True)
class Writer:
    """How one model is written: its rules, and whether rows may be deleted at all. Apps subclass it where a write
    carries more than the row (an MoU's parties, an evaluation's scores) or has steps of its own."""

    model: type[models.Model]
    rules: Rule = no_rules
    deletable: bool = True

    def require_perm(self, actor, action: str) -> None:
        """The model permission, checked here too, so that no door (a history revert, a command) skips it."""
        opts = self.model._meta
        if actor is not None and not actor.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
            raise PermissionDenied(_("You do not have permission to change records of this kind."))

    def create(self, *, data: dict, actor) -> models.Model:
        self.require_perm(actor, "add")
        return model_save(instance=self.model(), data=data, actor=actor, rules=self.rules)

    def update(self, *, instance: models.Model, data: dict, actor, read_version: str | None = None) -> models.Model:
        self.require_perm(actor, "change")
        return model_save(instance=instance, data=data, actor=actor, rules=self.rules, read_version=read_version)

    def delete(self, *, instance: models.Model, actor) -> None:
        if not self.deletable:
            raise ValidationError(_("Records of this kind cannot be deleted."), code="not_deletable")
        self.require_perm(actor, "delete")
        model_delete(instance=instance, actor=actor, rules=self.rules)

    def check(self, *, before, after, many: dict, actor) -> None:
        """The rules alone, for a form that wants to show their errors before anything is saved."""
        self.rules(before=before, after=after, many=many, actor=actor)


class WholeWriter(Writer):
    """A row written with its child sets as one whole, in one transaction: the keys in `parts` are taken out of the
    data, the row is written, then `write_parts(row, actor, **parts)` writes the sets (a part the write does not
    name is None: leave that set as it is) and `after_write(row, actor)` recomputes what depends on them."""

    parts: ClassVar[tuple[str, ...]] = ()

    def write_parts(self, *, row, actor, **parts) -> None:
        raise NotImplementedError

    def after_write(self, *, row, actor):
        return row

    def _split(self, data: dict) -> tuple[dict, dict]:
        fields = dict(data)
        return fields, {name: fields.pop(name, None) for name in self.parts}

    @transaction.atomic
    def create(self, *, data: dict, actor) -> models.Model:
        fields, parts = self._split(data)
        row = super().create(data=fields, actor=actor)
        self.write_parts(row=row, actor=actor, **parts)
        return self.after_write(row=row, actor=actor)

    @transaction.atomic
    def update(self, *, instance: models.Model, data: dict, actor, read_version: str | None = None) -> models.Model:
        fields, parts = self._split(data)
        row = super().update(instance=instance, data=fields, actor=actor, read_version=read_version)
        self.write_parts(row=row, actor=actor, **parts)
        return self.after_write(row=row, actor=actor)


_WRITERS: dict[type[models.Model], Writer] = {}


def register(writer: Writer) -> Writer:
    _WRITERS[writer.model] = writer
    return writer


def writer_for(model: type[models.Model]) -> Writer:
    """The model's registered writer; each app's `services` module registers its own when it is imported."""
    if model not in _WRITERS:
        import_module(f"{apps.get_containing_app_config(model.__module__).name}.services")
    try:
        return _WRITERS[model]
    except KeyError:
        raise LookupError(f"{model._meta.label} has no writer: its app's services module must register one") from None


def upsert(model: type[models.Model], *, defaults: dict, actor=None, **lookup) -> tuple[models.Model, bool]:
    """`update_or_create` through the model's writer, for loaders and seeding commands (the demo city): the row
    matching `lookup` gets `defaults`, or is created with both. Unchanged rows are left as they are."""
    row = model._base_manager.filter(**lookup).first()
    writer = writer_for(model)
    if row is None:
        return writer.create(data={**lookup, **defaults}, actor=actor), True
    return writer.update(instance=row, data=defaults, actor=actor), False

"""The one write helper every door goes through (HackSoft's `model_update`, with NetBox's one rule per model).

Each app's services module (`<app>/services.py`, or the `<app>/services/` package) registers a `Writer` per model
it lets users change; it is the only place writers are registered, so `writer_for(model)` (which imports the model's
app's services module) and `registered_writers()` find every one. Each write runs the model's access policy
(`smartcity/policy.py`: the actor may change the row's owning agency) and its `rules` on the row as it stands
(`before`) and as it would become (`after`), under a row lock, then `full_clean()` and a save of the changed fields
only, recording the actor in the history; then the writer's `write_parts` and `after_write` hooks, in the same
transaction.

How a write is spelt (STYLE.md, "Writes: services"):

- Code that knows the model calls a service of the owning app's services module named `<entity>_<verb>`, with
  keyword-only arguments and `actor`: `program_create(data=..., actor=...)`, `mou_sign(mou=..., ...)`,
  `feedback_update(instance=..., data=..., actor=...)`. Plain create/update/delete services are the writer's own
  methods bound to that name (`program_create = PROGRAM.create`); domain verbs are functions that call the writers.
- Only the doors that serve every model alike (the API's base viewset, `ServiceAdmin`, the import resource,
  `upsert` for loaders) look the writer up with `writer_for(model)`.
- The writer constants (`PROGRAM`, `MOU_PARTY`) are used inside their services module only.
- Nothing else writes a row of a model that has a writer: the few system-maintained fields and rows (a key's
  `last_used_at`, webhook delivery bookkeeping, stale flags, computed indices) are listed, each with its reason, in
  `tests/test_write_registry.py`, whose AST scan fails on any other direct `.save()`, `.update()`, `.delete()` or
  `objects.create()`.
"""

import copy
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import ClassVar

from django.apps import apps
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext as _

from .policy import policy_of

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


def _differing(before: models.Model, after: models.Model) -> list[str]:
    return [f.attname for f in after._meta.concrete_fields if getattr(before, f.attname) != getattr(after, f.attname)]


def _raw(field, value):
    return value.pk if field.is_relation and isinstance(value, models.Model) else value


@transaction.atomic
def model_save(*, instance: models.Model, data: dict, actor, rules: Rule = no_rules, read_version=None):
    """Create `instance` or update its row with `data`: rules on the row as it stands and as it would become,
    `full_clean()`, then a save of the changed fields only (two writers of different fields both keep theirs). A rule
    may set a field the data did not name (a stage that follows the progress): that field is saved too."""
    return _save(instance=instance, data=data, actor=actor, rules=rules, read_version=read_version)[1]


def _save(*, instance: models.Model, data: dict, actor, rules: Rule, read_version=None):
    """`model_save`, answering (the row as it stood, None on create; the row as written)."""
    before = None
    if instance.pk is not None and not instance._state.adding:
        instance = lock(instance)
        check_version(instance, read_version)
        before = copy.deepcopy(instance)
    changed, many = _apply(instance, data)
    rules(before=before, after=instance, many=many, actor=actor)
    if before is not None:  # a rule may complete the row (a program's stage follows its progress): save that too
        changed += [name for name in _differing(before, instance) if name not in changed]
    instance.full_clean()
    instance._history_user = actor  # simple-history: who changed it, also outside a request
    if before is None:
        instance.save()
    elif changed or many:
        auto = [field.name for field in instance._meta.concrete_fields if getattr(field, "auto_now", False)]
        instance.save(update_fields=changed + auto)
    for name, values in many.items():
        getattr(instance, name).set(values)
    return before, instance


@transaction.atomic
def model_delete(*, instance: models.Model, actor, rules: Rule = no_rules) -> models.Model:
    """Delete a row the actor may change; a row still referenced raises ProtectedError (a 409 in the API). Answers
    the row as it stood."""
    current = lock(instance)
    rules(before=current, after=None, many={}, actor=actor)
    current._history_user = actor
    current.delete()
    return current


@dataclass(frozen=True)
class Writer:
    """How one model is written: its rules, whether rows may be deleted at all, the child sets written with the row
    (`parts`) and what is recomputed once it is written (`after_write`). Apps subclass it and override those hooks,
    never `create`/`update`/`delete` themselves, so every write runs the same steps in one transaction:

        permission -> rules on the locked row (before/after) -> full_clean + save -> write_parts -> after_write

    `rules` also runs the agency rule of the model's policy first (the actor may change the row as it stands and
    as it would become), unless `owner_rule=False`: then the model's own rules say it, reading the same policy."""

    model: type[models.Model]
    rules: Rule = no_rules
    deletable: bool = True
    owner_rule: bool = True
    # Keys of the write's data that are not fields but child sets: taken out, then given to `write_parts`.
    parts: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self):
        if self.owner_rule:
            object.__setattr__(self, "rules", _with_owner_rule(self.model, self.rules))

    # --- hooks ---------------------------------------------------------------------------------------------------
    def require_perm(self, actor, action: str) -> None:
        """The model permission, checked here too, so that no door (a history revert, a command) skips it."""
        opts = self.model._meta
        if actor is not None and not actor.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
            raise PermissionDenied(_("You do not have permission to change records of this kind."))

    def prepare(self, *, instance, data: dict, actor) -> dict:
        """The data as written: a writer may complete it from the actor (a report's reporter, a new secret)."""
        return data

    def acting(self, actor) -> tuple[object, Rule]:
        """(who the history names, the rules to run): an actor without a user account (a partner's key) is named
        by no one in the history, while its rules still see it."""
        return actor, self.rules

    def write_parts(self, *, row, actor, **parts) -> None:
        """Write the child sets named in `parts` (a part the write does not name is None: leave that set as it is)."""

    def after_write(self, *, before, after, actor):
        """Recompute what depends on the row, inside the write's transaction, once the row and its parts are
        written: `before` is the row as it stood (None on create), `after` as written (None on delete). Answers the
        row the write returns, or None for `after` itself."""

    # --- the one write path --------------------------------------------------------------------------------------
    @transaction.atomic
    def create(self, *, data: dict, actor) -> models.Model:
        self.require_perm(actor, "add")
        instance = self.model()
        return self._write(instance=instance, data=self.prepare(instance=instance, data=data, actor=actor), actor=actor)

    @transaction.atomic
    def update(self, *, instance: models.Model, data: dict, actor, read_version: str | None = None) -> models.Model:
        self.require_perm(actor, "change")
        data = self.prepare(instance=instance, data=data, actor=actor)
        return self._write(instance=instance, data=data, actor=actor, read_version=read_version)

    @transaction.atomic
    def delete(self, *, instance: models.Model, actor) -> None:
        if not self.deletable:
            raise ValidationError(_("Records of this kind cannot be deleted."), code="not_deletable")
        self.require_perm(actor, "delete")
        history_actor, rules = self.acting(actor)
        before = model_delete(instance=instance, actor=history_actor, rules=rules)
        self.after_write(before=before, after=None, actor=actor)

    def _write(self, *, instance, data: dict, actor, read_version=None) -> models.Model:
        fields = dict(data)
        parts = {name: fields.pop(name, None) for name in self.parts}
        history_actor, rules = self.acting(actor)
        before, row = _save(instance=instance, data=fields, actor=history_actor, rules=rules, read_version=read_version)
        if self.parts:
            self.write_parts(row=row, actor=actor, **parts)
        return self.after_write(before=before, after=row, actor=actor) or row

    def check(self, *, before, after, many: dict, actor) -> None:
        """The rules alone, for a form that wants to show their errors before anything is saved."""
        self.rules(before=before, after=after, many=many, actor=actor)


class WholeWriter(Writer):
    """A row written with its child sets as one whole (`parts` and `write_parts`, see Writer): the name says so
    where a model has parts."""


def _with_owner_rule(model, own: Rule) -> Rule:
    def rules(*, before, after, many, actor):
        policy = policy_of(model)
        if policy is not None:
            policy.rule(before=before, after=after, many=many, actor=actor)
        own(before=before, after=after, many=many, actor=actor)

    rules.__doc__ = own.__doc__
    return rules


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


def registered_writers() -> dict[type[models.Model], Writer]:
    """Every writer of the project: each installed project app's services module imported, then the registry."""
    for config in apps.get_app_configs():
        if config.path.startswith(str(settings.BASE_DIR)):
            try:
                import_module(f"{config.name}.services")
            except ModuleNotFoundError as missing:
                if missing.name != f"{config.name}.services":
                    raise
    return dict(_WRITERS)


def upsert(model: type[models.Model], *, defaults: dict, actor=None, **lookup) -> tuple[models.Model, bool]:
    """`update_or_create` through the model's writer, for loaders and seeding commands (the demo city): the row
    matching `lookup` gets `defaults`, or is created with both. Unchanged rows are left as they are."""
    row = model._base_manager.filter(**lookup).first()
    writer = writer_for(model)
    if row is None:
        return writer.create(data={**lookup, **defaults}, actor=actor), True
    return writer.update(instance=row, data=defaults, actor=actor), False

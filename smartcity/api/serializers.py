"""The API's serializers namespace: DRF's `rest_framework.serializers`, except that `ModelSerializer` builds the
fields it derives from the model once per class instead of once per serializer (issue 27).

DRF's `ModelSerializer.get_fields()` reads the model's metadata and builds every field again for each serializer
made: a list of 50 rows with five relation serializers spends a good part of its time there on every request. The
recipe (field class and arguments) is the same for every instance of a class, so it is kept on the class; each
serializer still gets fresh field objects, because a bound field holds per-request state (its parent, and for
BriefRelatedField the ids the caller may see). Declared fields are copied as DRF's `Field.__deepcopy__` copies
them (a new field from the same arguments), except that a queryset argument is cloned with `.all()` rather than
deep-copied (which cost more than building the fields), and nested fields are copied the same way. A serializer whose
fields depend on the request overrides `get_fields()` and adjusts what `super().get_fields()` returns, as before.

The apps import `from smartcity.api import serializers` where they would import DRF's module: every other name
is DRF's own (module `__getattr__`), except `Serializer`, which gets the deprecated names too.

Deprecated names (issue 24, "Names"): the Indonesian text fields were renamed from `<base>_id` to `<base>_ind`
(`<base>_id` read as the id of a relation `<base>`). For one release (until DEPRECATED_NAMES_REMOVED_IN) every
serializer here answers each `<base>_ind` field under its old name too and accepts the old name on input; the
schema marks the old name deprecated. Sending both names with different values is a 400 naming the old one."""

import copy

from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers as drf

__all__ = [
    "DEPRECATED_NAMES_REMOVED_IN",
    "WITHOUT_DEPRECATED_NAMES",
    "ModelSerializer",
    "Serializer",
    "deprecated_name",
    "new_name",
    "with_deprecated_names",
]

NEW_SUFFIX, OLD_SUFFIX = "_ind", "_id"  # rename_ind: keep
# A serializer context key: true leaves the old names out (the downloads and open-data files have the new ones only).
WITHOUT_DEPRECATED_NAMES = "without_deprecated_names"
DEPRECATED_NAMES_REMOVED_IN = "1.1.0"  # the API version (SPECTACULAR_SETTINGS VERSION) that drops the old names


def deprecated_name(name: str) -> str | None:
    """The old name of a field renamed by issue 24 (`<base>_ind` -> `<base>_id`), None for any other field."""
    return name.removesuffix(NEW_SUFFIX) + OLD_SUFFIX if name.endswith(NEW_SUFFIX) else None


# Each `<base>_ind` field also under its old name `<base>_id`, for one release: the same value on output, an alias on
# input (see the module's docstring). A comment, not a docstring: the schema would take it as every serializer's
# description.
class DeprecatedNamesMixin:
    def get_fields(self):
        fields = super().get_fields()
        if self.context.get(WITHOUT_DEPRECATED_NAMES):
            return fields
        aliases = {old: name for name in fields if (old := deprecated_name(name)) and old not in fields}
        if not aliases:
            return fields
        with_aliases = {}
        for name, field in fields.items():
            with_aliases[name] = field
            if deprecated_name(name) in aliases:
                with_aliases[deprecated_name(name)] = _alias(field, name)
        # The schema (drf-spectacular) reads `deprecate_fields` from the serializer: this instance's own copy.
        annotation = dict(getattr(self, "_spectacular_annotation", {}))
        annotation["deprecate_fields"] = [*annotation.get("deprecate_fields", []), *aliases]
        self._spectacular_annotation = annotation
        return with_aliases

    def to_internal_value(self, data):
        return super().to_internal_value(self._renamed(data))

    def _renamed(self, data):
        """`data` with each old name moved to its new one; a 400 when both are sent with different values."""
        if not hasattr(data, "keys"):
            return data
        sent = [
            (old, new) for old in data.keys() if (new := new_name(old)) and new in self.fields and old in self.fields
        ]
        if not sent:
            return data
        conflicts = {
            old: [format_lazy(_("`{old}` is the deprecated name of `{new}`: send only one of them."), old=old, new=new)]
            for old, new in sent
            if new in data and data[new] != data[old]
        }
        if conflicts:
            raise drf.ValidationError(conflicts)
        renamed = data.copy() if hasattr(data, "getlist") else dict(data)
        for old, new in sent:
            value = renamed.getlist(old) if hasattr(renamed, "getlist") else renamed[old]
            del renamed[old]
            if hasattr(renamed, "setlist"):
                renamed.setlist(new, value)
            else:
                renamed[new] = value
        return renamed


def with_deprecated_names(data: dict) -> dict:
    """`data` (a payload written by hand, such as a webhook's) with each `_ind` key also under its old name."""
    return {**data, **{deprecated_name(key): value for key, value in data.items() if deprecated_name(key)}}


def new_name(name: str) -> str | None:
    """The current name of a field renamed by issue 24 (`<base>_id` -> `<base>_ind`), None for any other name."""
    return name.removesuffix(OLD_SUFFIX) + NEW_SUFFIX if name.endswith(OLD_SUFFIX) else None


def _alias(field: drf.Field, name: str) -> drf.Field:
    """A field under the old name reading (and, before `_renamed` moves it, writing) what `field` does."""
    kwargs = {key: _fresh_argument(value) for key, value in field._kwargs.items()}
    kwargs["source"] = field.source or name
    if not field.read_only:
        kwargs["required"] = False
        kwargs.pop("default", None)
    kwargs["help_text"] = format_lazy(
        _("Deprecated: the old name of `{new}`, still accepted and answered until version {version}."),
        new=name,
        version=DEPRECATED_NAMES_REMOVED_IN,
    )
    return field.__class__(*[_fresh_argument(value) for value in field._args], **kwargs)


# Fields built from a per-class recipe: (name, class, args, kwargs) for model-derived fields, the declared
# field itself (deep-copied per instance) for the others.
class CachedFieldsMixin:
    def get_fields(self):
        cls = type(self)
        recipe = cls.__dict__.get("_fields_recipe")
        if recipe is None:
            recipe = cls._fields_recipe = self._fields_recipe_of(super().get_fields())
        fields = {}
        for name, declared, field_class, args, kwargs in recipe:
            if declared is not None:
                fields[name] = fresh(declared)
            else:  # the arguments copied as for a declared field: no list or queryset shared between requests
                fields[name] = field_class(*args, **{key: _fresh_argument(value) for key, value in kwargs.items()})
        return fields

    def _fields_recipe_of(self, built: dict) -> tuple:
        declared = self._declared_fields
        return tuple(
            (name, declared[name], None, (), {})
            if name in declared
            else (name, None, type(field), field._args, dict(field._kwargs))
            for name, field in built.items()
        )


def fresh(field: drf.Field) -> drf.Field:
    """A new, unbound field made with `field`'s arguments: what DRF's deepcopy of a declared field gives."""
    args = [_fresh_argument(value) for value in field._args]
    kwargs = {key: _fresh_argument(value) for key, value in field._kwargs.items()}
    return field.__class__(*args, **kwargs)


def _fresh_argument(value):
    if isinstance(value, drf.Field):
        return fresh(value)
    if isinstance(value, QuerySet):
        return value.all()  # a clone without results, like QuerySet.__deepcopy__, far cheaper
    if isinstance(value, list | dict | set):
        return copy.copy(value)  # DRF shares validators too; a field keeps its own copy of what it may change
    return value


# DRF's ModelSerializer, its model-derived fields built once per class. No docstring here or on the mixin: the
# schema (drf-spectacular) would take it as the description of every serializer that has none of its own.
class ModelSerializer(DeprecatedNamesMixin, CachedFieldsMixin, drf.ModelSerializer):
    pass


class Serializer(DeprecatedNamesMixin, drf.Serializer):
    pass


def __getattr__(name: str):
    return getattr(drf, name)

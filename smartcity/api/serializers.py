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
is DRF's own (module `__getattr__`)."""

import copy

from django.db.models import QuerySet
from rest_framework import serializers as drf

__all__ = ["ModelSerializer"]


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
class ModelSerializer(CachedFieldsMixin, drf.ModelSerializer):
    pass


def __getattr__(name: str):
    return getattr(drf, name)

"""One relation shape for the whole API: a related record reads as its brief form and is written by its id.

`<Model>BriefSerializer` lives in the owning app's `api/serializers.py` (the same convention as `writer_for`),
so a relation to a partner reads the same on an MoU, a commitment or an asset, and `?brief=1` on any list
answers that same form.

A relation shows only what the caller may view (the related model's policy, `smartcity/policy.py`), on output as
on input: a related row the caller may not view reads as null (to-one) or is left out (to-many), like a row that
does not exist. Deciding costs no query per row: from the row's own loaded columns where they are enough (a
partner's publication), else from one query per relation and response for the ids the whole answer names."""

from functools import cache
from importlib import import_module

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import MANY_RELATION_KWARGS

from smartcity.policy import row_visible, sees_every_row

LARGEST_ID = 2**63 - 1  # PostgreSQL's bigint


@cache
def brief_serializer_for(model):
    """The `<Model>BriefSerializer` of the model's own app."""
    module = import_module(f"{model._meta.app_label}.api.serializers")
    return getattr(module, f"{model.__name__}BriefSerializer")


class BriefRelatedField(serializers.RelatedField):
    """Reads as the related record's brief form; written as its id, bare (`3`) or inside the brief object read
    before (`{"id": 3, ...}`), so a record read can be written back unchanged. Only records the caller may see
    can be named: a hidden one is refused exactly like one that does not exist."""

    def __init__(self, *, model=None, **kwargs):
        # A read-only relation reached through another one (`source="finding.pillar"`) has no queryset to name
        # its model by: `model=` does.
        self.related_model = model
        super().__init__(**kwargs)
        if self.related_model is None:
            self.related_model = self.queryset.model

    default_error_messages = {
        "required": _("This field is required."),
        "does_not_exist": _("There is no record with id {pk_value}."),
        "incorrect_type": _("Give the related record's id, a whole number."),
    }

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS}
        return BriefManyRelatedField(child_relation=cls(*args, **kwargs), **list_kwargs)

    def use_pk_only_optimization(self):
        return False

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if request is not None and hasattr(queryset, "restrict"):
            return queryset.restrict(request.user, "view")
        return queryset

    # --- output: only what the caller may view ----------------------------------------------------------------
    def may_view(self, value) -> bool:
        request = self.context.get("request")
        if request is None or sees_every_row(request.user, self.related_model):
            return True  # no caller (a file built for the public reads public rows only), or nothing hidden
        visible = row_visible(request.user, value)
        if visible is not None:
            return visible
        if not hasattr(self, "_visible_ids") or value.pk not in self._asked_ids:
            self._asked_ids = _named_ids(self) | {value.pk}
            queryset = self.related_model._default_manager.restrict(request.user, "view")
            self._visible_ids = set(queryset.filter(pk__in=self._asked_ids).values_list("pk", flat=True))
        return value.pk in self._visible_ids

    @property
    def brief(self):
        # One serializer per field, not one per related row: a list of 50 rows renders 50 briefs through it.
        if not hasattr(self, "_brief"):
            self._brief = brief_serializer_for(self.related_model)(context=self.context)
        return self._brief

    def to_representation(self, value):
        if not self.may_view(value):
            return None
        return self.brief.to_representation(value)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            data = data.get("id")
        if isinstance(data, bool) or not isinstance(data, (int, str)) or not _is_digits(str(data)):
            self.fail("incorrect_type")
        if int(data) > LARGEST_ID:  # beyond any key the database holds: not a 500 from an out-of-range lookup
            self.fail("does_not_exist", pk_value=data)
        try:
            return self.get_queryset().get(pk=int(data))
        except ObjectDoesNotExist:
            self.fail("does_not_exist", pk_value=data)

    def get_choices(self, cutoff=None):
        """The choices of the browsable API's form: keyed by id, the value the field is written with (DRF keys
        them by `to_representation`, here a brief object, which cannot be a key)."""
        queryset = self.get_queryset()
        if queryset is None:
            return {}
        if cutoff is not None:
            queryset = queryset[:cutoff]
        return {item.pk: self.display_value(item) for item in queryset}

    def display_value(self, instance):
        return str(instance)


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()  # not "٣" or "³", which str.isdigit() also accepts


def _named_ids(field) -> set:
    """The ids of the related rows `field` names across the whole answer being rendered (every row of a list
    page), read from the loaded rows and their prefetch caches: one query then decides them all."""
    chain, node = [], field
    while node.parent is not None:
        chain.append(node)
        node = node.parent
    rows = _as_rows(node.instance)
    for step in reversed(chain):
        if isinstance(step.parent, (serializers.ListSerializer, serializers.ManyRelatedField)):
            continue  # the list's child (or a to-many relation's child) is the rows themselves
        values = []
        for row in rows:
            try:
                values.extend(_as_rows(step.get_attribute(row)))
            except (AttributeError, KeyError, ObjectDoesNotExist, SkipField):
                continue
        rows = values
    return {row.pk for row in rows if isinstance(row, models.Model)}


def _as_rows(value) -> list:
    if value is None:
        return []
    if isinstance(value, models.Manager):
        value = value.all()
    if isinstance(value, (list, tuple, models.QuerySet)):
        return list(value)
    return [value]


class BriefManyRelatedField(serializers.ManyRelatedField):
    """A to-many relation read straight from the prefetch cache when the list prefetched it: building a related
    manager per row only to read the prefetched rows was a sixth of a cold list's time (bench/profile.py)."""

    def get_attribute(self, instance):
        if len(self.source_attrs) == 1:
            prefetched = getattr(instance, "_prefetched_objects_cache", {}).get(self.source_attrs[0])
            if prefetched is not None:
                return prefetched
        return super().get_attribute(instance)

    def to_representation(self, iterable):
        """Only the related rows the caller may view (see BriefRelatedField.may_view)."""
        rows = iterable.all() if isinstance(iterable, models.Manager) else iterable
        return [self.child_relation.to_representation(row) for row in rows if self.child_relation.may_view(row)]


class BriefRelatedFieldExtension(OpenApiSerializerFieldExtension):
    """In the OpenAPI schema a relation reads as `<Model>Brief` and is written as an integer id."""

    target_class = BriefRelatedField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return build_basic_type(OpenApiTypes.INT)
        brief = brief_serializer_for(self.target.related_model)
        return auto_schema.resolve_serializer(brief, direction).ref

"""Filter classes shared by every app's FilterSets."""

import django_filters
from django import forms
from django.db import models
from django.db.models import Q
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .policy import NOBODY, policy_of

# A search reads at most this many words: more would only make a slower query that matches less.
SEARCH_WORDS = 10


class VisibleChoicesMixin:
    """Choices are only the rows the caller may see (`visible_to(request.user)`), so a draft's slug or id answers
    exactly like one that does not exist: a filter never tells that a hidden row is there."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if hasattr(queryset, "visible_to"):
            return queryset.visible_to(getattr(request, "user", None))
        return queryset


class ChoicesField(django_filters.fields.ModelMultipleChoiceField):
    """An empty value (`?pillar=`) filters nothing, as an empty `q` or `ordering` does, instead of being refused as an
    unknown choice (the fuzzer's positive_data_acceptance check found the difference)."""

    def clean(self, value):
        value = [item for item in value or () if item not in ("", None)]
        return super().clean(value) if value else []  # [] is empty to django-filter: no filter, method or not


class ChoicesFilter(VisibleChoicesMixin, django_filters.ModelMultipleChoiceFilter):
    field_class = ChoicesField


# Multiple-choice filters are documented by their item type: drf-spectacular makes the parameter a repeated array.
@extend_schema_field(OpenApiTypes.INT)
class IdsFilter(ChoicesFilter):
    """Rows related to any of the given ids (`?partner_id=3&partner_id=4`)."""


@extend_schema_field(OpenApiTypes.STR)
class SlugsFilter(ChoicesFilter):
    """Rows related to any of the given slugs (`?pillar=economy&pillar=living`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("distinct", True)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 9999})
class YearFilter(django_filters.Filter):
    """A calendar year, 1 to 9999: any other value is refused (400) rather than reaching a date lookup."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


class SearchFilter(django_filters.CharFilter):
    """`q`: rows where every word appears in one of `fields` (any of them), case-insensitively; the API, the admin
    and the public pages search alike. A field across a relation is matched through a subquery, so a row is
    listed once however many of its related rows match."""

    def __init__(self, fields, **kwargs):
        self.fields = tuple(fields)
        kwargs.setdefault("label", _("Search"))
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        for word in (value or "").split()[:SEARCH_WORDS]:
            query = Q()
            for field in self.fields:
                query |= Q(**{f"{field}__icontains": word})
            if any("__" in field for field in self.fields):
                queryset = queryset.filter(pk__in=queryset.model._default_manager.filter(query).values("pk"))
            else:
                queryset = queryset.filter(query)
        return queryset


def public_relations(model):
    """The forward relations of `model` to records that have a visibility rule (`visible_to`), private ones aside:
    the relations a FilterSet offers as `<rel>_id` and, where the related model has a slug, `<rel>`. Reference data
    (pillars, agencies, scope areas) has one too: every row is public (smartcity.models.ReferenceQuerySet)."""
    for field in model._meta.get_fields():
        if not (field.is_relation and field.concrete and (field.many_to_one or field.many_to_many)):
            continue
        if field.name.startswith("_") or not hasattr(field.related_model._default_manager.all(), "visible_to"):
            continue
        if _private(field.related_model):
            continue
        yield field


def _private(model) -> bool:
    """Records only staff ever see, and no partner either (a partner's contacts, API keys): not a filter of a list
    citizens read, even though their policy gives them a `visible_to`."""
    policy = policy_of(model)
    return policy is not None and policy.public is NOBODY and not policy.partner and not policy.parent


def relation_filter_name(field) -> str:
    """`<rel>` of a relation's filters: the field's name, in the singular for a to-many relation (NetBox's way:
    an MoU's `partners` are filtered as `?partner=telkom`, a program's `supporting_agencies` as
    `?supporting_agency=…`)."""
    name = field.name
    if not field.many_to_many:
        return name
    if name.endswith("ies"):
        return f"{name[:-3]}y"
    return name.removesuffix("s")


def has_slug(model) -> bool:
    return any(field.name == "slug" for field in model._meta.concrete_fields)


# Model fields no FilterSet filters by, whatever the model; each FilterSet's `Meta.unfiltered` adds its own.
UNFILTERED_EVERYWHERE = {
    "created_at": "bookkeeping of the portal, not a property of the record",
    "updated_at": "bookkeeping of the portal, not a property of the record",
    "publish_from": "an embargo moment shown on the record; what is not yet public is left out for citizens",
}


def path_target(model, path: str):
    """The model at the end of `path` from `model` (`indicator__pillar` from Measurement: Pillar), and whether the
    path crosses a to-many relation (then a row could match twice, so the filter is distinct)."""
    to_many = False
    for part in path.split("__"):
        field = model._meta.get_field(part)
        to_many = to_many or field.many_to_many or field.one_to_many
        model = field.related_model
    return model, to_many


def relation_filters(name: str, path: str, model, to_many: bool) -> dict[str, django_filters.Filter]:
    """`<name>_id` (ids) and, where `model` has a slug, `<name>` (slugs): the rows related through `path` to any of
    the given `model` rows the caller may see."""
    queryset = model._default_manager.all()
    label = capfirst(model._meta.verbose_name)
    filters = {
        f"{name}_id": IdsFilter(
            field_name=path, queryset=queryset, distinct=to_many, label=format_lazy(_("{} (ID)"), label)
        )
    }
    if has_slug(model):
        filters[name] = SlugsFilter(
            field_name=f"{path}__slug", queryset=queryset, distinct=to_many, label=format_lazy(_("{} (slug)"), label)
        )
    return filters


class BooleanSelect(forms.Select):
    """The raw value reaches the field (NullBooleanSelect reads anything it does not know as "unknown")."""

    def __init__(self, attrs=None):
        super().__init__(attrs, choices=(("", "---------"), ("true", _("Yes")), ("false", _("No"))))


class BooleanField(forms.NullBooleanField):
    """`true` or `false` (any case); empty or absent filters nothing, like every filter. Anything else (`?active=null`,
    `?active=2`) is a 400: django-filter's NullBooleanField reads it as "no filter", so a typo answered the whole
    list (the fuzzer's negative_data_rejection check)."""

    widget = BooleanSelect
    VALUES = {"true": True, "false": False}

    def to_python(self, value):
        if isinstance(value, bool) or value is None:
            return value
        if value == "":
            return None
        try:
            return self.VALUES[str(value).lower()]
        except KeyError:
            raise forms.ValidationError(_("Enter true or false."), code="invalid") from None


class BooleanFilter(django_filters.BooleanFilter):
    field_class = BooleanField


class WholeNumberFilter(django_filters.NumberFilter):
    """A filter on an integer field takes whole numbers only: `?id=0.5` is a 400, not an empty list (the fuzzer's
    negative_data_rejection check; django-filter's NumberFilter reads a decimal)."""

    field_class = forms.IntegerField


INTEGER_FIELDS = (
    models.AutoField,
    models.BigAutoField,
    models.SmallAutoField,
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
)


class FilterSet(django_filters.FilterSet):
    """The base of every FilterSet of the portal, so the API speaks one dialect:

    - `q` searches the model's `search_fields` (the same list the admin's search box uses);
    - every relation to a record with a visibility rule is filterable as `<rel>_id` (ids) and, where the related
      model has a slug, as `<rel>` (slugs), `<rel>` in the singular for a to-many relation; both repeat
      (`?pillar=economy&pillar=living`) and offer only rows the caller may see;
    - `Meta.relations` names relations reached through a path the same way (`{"pillar": "indicator__pillar"}`
      gives a measurement `pillar_id` and `pillar`);
    - a year is always `year`, a `YearFilter`;
    - `Meta.unfiltered` maps each model field left without a filter to the reason (tests/test_filters.py); a
      field in `search_fields` is filtered by `q`.

    A filter declared on the class under one of these names replaces the generated one."""

    FILTER_DEFAULTS = {
        **django_filters.filterset.FILTER_FOR_DBFIELD_DEFAULTS,
        **{field: {"filter_class": WholeNumberFilter} for field in INTEGER_FIELDS},
        models.BooleanField: {"filter_class": BooleanFilter},
    }

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        model = cls._meta.model
        if model is None:
            return filters
        if getattr(model, "search_fields", None) and "q" not in filters:
            filters["q"] = SearchFilter(model.search_fields, field_name="q")
        generated = {}
        for field in public_relations(model):
            name = relation_filter_name(field)
            generated |= relation_filters(name, field.name, field.related_model, to_many=field.many_to_many)
        for name, path in cls.relation_paths().items():
            generated |= relation_filters(name, path, *path_target(model, path))
        for name, generated_filter in generated.items():
            filters.setdefault(name, generated_filter)
        return filters

    @classmethod
    def relation_paths(cls) -> dict[str, str]:
        """`Meta.relations`: filter name to the path of a relation reached through another one."""
        return getattr(getattr(cls, "Meta", None), "relations", {})

    @classmethod
    def unfiltered(cls) -> dict[str, str]:
        """The model's fields deliberately without a filter, with the reason for each."""
        return {**UNFILTERED_EVERYWHERE, **getattr(getattr(cls, "Meta", None), "unfiltered", {})}

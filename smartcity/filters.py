"""Filter classes shared by every app's FilterSets."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field


class VisibleChoicesMixin:
    """Choices are only the rows the caller may see (`visible_to(request.user)`), so a draft's slug or id answers
    exactly like one that does not exist: a filter never tells that a hidden row is there."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if hasattr(queryset, "visible_to"):
            return queryset.visible_to(getattr(request, "user", None))
        return queryset


# Multiple-choice filters are documented by their item type: drf-spectacular makes the parameter a repeated array.
@extend_schema_field(OpenApiTypes.INT)
class IdsFilter(VisibleChoicesMixin, django_filters.ModelMultipleChoiceFilter):
    """Rows related to any of the given ids (`?partner_id=3&partner_id=4`)."""


@extend_schema_field(OpenApiTypes.STR)
class SlugsFilter(VisibleChoicesMixin, django_filters.ModelMultipleChoiceFilter):
    """Rows related to any of the given slugs (`?pillar=economy&pillar=living`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("distinct", True)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class SlugFilter(VisibleChoicesMixin, django_filters.ModelChoiceFilter):
    """Rows related to the given slug."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
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
    """`q`: rows where any of `fields` contains the words, case-insensitively. A field across a to-many relation
    is matched through a subquery, so a row is listed once however many of its related rows match."""

    def __init__(self, fields, **kwargs):
        self.fields = tuple(fields)
        kwargs.setdefault("label", _("Search"))
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        value = (value or "").strip()
        if not value:
            return queryset
        query = Q()
        for field in self.fields:
            query |= Q(**{f"{field}__icontains": value})
        if any("__" in field for field in self.fields):
            return queryset.filter(pk__in=queryset.model._default_manager.filter(query).values("pk"))
        return queryset.filter(query)


def public_relations(model):
    """The forward relations of `model` to records that have a visibility rule (`visible_to`): the relations a
    FilterSet offers as `<rel>_id` and, where the related model has a slug, `<rel>`."""
    for field in model._meta.get_fields():
        if not (field.is_relation and field.concrete and (field.many_to_one or field.many_to_many)):
            continue
        if field.name.startswith("_") or not hasattr(field.related_model._default_manager.all(), "visible_to"):
            continue
        yield field


def has_slug(model) -> bool:
    return any(field.name == "slug" for field in model._meta.concrete_fields)


class FilterSet(django_filters.FilterSet):
    """The base of every FilterSet of the portal, so the API speaks one dialect:

    - `q` searches the model's `search_fields` (the same list the admin's search box uses);
    - every relation to a record with a visibility rule is filterable as `<rel>_id` (ids) and, where the related
      model has a slug, as `<rel>` (slugs); both repeat (`?pillar=economy&pillar=living`) and offer only rows
      the caller may see;
    - a year is always `year`, a `YearFilter`;
    - `Meta.unfiltered` maps each model field left without a filter to the reason (tests/test_filters.py).

    A filter declared on the class under one of these names replaces the generated one."""

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        model = cls._meta.model
        if model is None:
            return filters
        if getattr(model, "search_fields", None) and "q" not in filters:
            filters["q"] = SearchFilter(model.search_fields)
        for field in public_relations(model):
            related = field.related_model
            queryset = related._default_manager.all()
            name = related._meta.verbose_name
            distinct = field.many_to_many
            filters.setdefault(
                f"{field.name}_id",
                IdsFilter(
                    field_name=field.name, queryset=queryset, distinct=distinct, label=format_lazy(_("{} (ID)"), name)
                ),
            )
            if has_slug(related):
                filters.setdefault(
                    field.name,
                    SlugsFilter(field_name=f"{field.name}__slug", queryset=queryset, distinct=distinct, label=name),
                )
        return filters

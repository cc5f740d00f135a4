"""Filter classes shared by every app's FilterSets."""

import django_filters
from django import forms
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

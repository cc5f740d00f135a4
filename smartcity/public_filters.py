"""The base of the public pages' filter forms (each app's `public_filters.py`), apart from the API's FilterSets.

A citizen's form offers a free-text search and only what a citizen filters by: no IDs, slugs, publication or
internal fields; single selects with an "All …" first choice, or checkbox groups, so it works by touch; and
related rows offered (and accepted) only when they are published.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PublicFilterSet(django_filters.FilterSet):
    """`q` searches `search_fields` (every word must match one of them); subclasses add the citizen's filters."""

    search_fields: tuple[str, ...] = ()

    q = django_filters.CharFilter(
        method="search", label=_("Search"), widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"})
    )

    def search(self, queryset, name, value):
        for word in value.split()[:10]:
            query = Q()
            for field in self.search_fields:
                query |= Q(**{f"{field}__icontains": word})
            # through a relation a row could match twice: match on the primary key instead of joining
            queryset = queryset.filter(pk__in=queryset.model.objects.filter(query).values("pk"))
        return queryset


def checkboxes(choices, label) -> django_filters.MultipleChoiceFilter:
    """A group of checkboxes (any of them), which works by touch where a multi-select needs Ctrl-click."""
    return django_filters.MultipleChoiceFilter(choices=choices, label=label, widget=forms.CheckboxSelectMultiple)


def year_filter(label, **kwargs) -> django_filters.NumberFilter:
    widget = forms.NumberInput(attrs={"inputmode": "numeric", "min": 1900, "max": 2100})
    return django_filters.NumberFilter(label=label, min_value=1900, max_value=2100, widget=widget, **kwargs)

"""The base of the public pages' filter forms (each app's `public_filters.py`), apart from the API's FilterSets.

A citizen's form offers a free-text search and only what a citizen filters by: no IDs, slugs, publication or
internal fields; single selects with an "All …" first choice, or checkbox groups, so it works by touch; and
related rows offered (and accepted) only when they are published. It shares the API's filter classes
(smartcity.filters): the search matches words the same way, and a year is a `YearFilter`.
"""

import django_filters
from django import forms

from .filters import SearchFilter, YearFilter

SEARCH_WIDGET = forms.TextInput(attrs={"type": "search", "autocomplete": "off"})


class PublicFilterSet(django_filters.FilterSet):
    """`q` searches `search_fields`, every word in one of them: the fields a citizen sees on the page, which may be
    fewer than the model's (the API's and the admin's), so a search never matches on what the page does not show.
    Subclasses add the citizen's filters."""

    search_fields: tuple[str, ...] = ()

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        if cls.search_fields:
            filters["q"] = SearchFilter(cls.search_fields, field_name="q", widget=SEARCH_WIDGET)
        return filters


def checkboxes(choices, label, **kwargs) -> django_filters.MultipleChoiceFilter:
    """A group of checkboxes (any of them), which works by touch where a multi-select needs Ctrl-click."""
    return django_filters.MultipleChoiceFilter(
        choices=choices, label=label, widget=forms.CheckboxSelectMultiple, **kwargs
    )


def year_filter(label, **kwargs) -> YearFilter:
    widget = forms.NumberInput(attrs={"inputmode": "numeric", "min": 1900, "max": 2100})
    return YearFilter(label=label, min_value=1900, max_value=2100, widget=widget, **kwargs)

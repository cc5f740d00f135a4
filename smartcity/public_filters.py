"""The base of the public pages' filter forms (each app's `public_filters.py`), apart from the API's FilterSets.

A citizen's form offers a free-text search and only what a citizen filters by: no IDs, slugs, publication or
internal fields; single selects with an "All …" first choice, or checkbox groups, so it works by touch; and
related rows offered (and accepted) only when they are published. It shares the API's filter classes
(smartcity.filters): the search matches words the same way, and a year is a `YearFilter`.
"""

import django_filters
from django import forms
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django_filters import fields

from .filters import SearchFilter, YearFilter

SEARCH_WIDGET = forms.TextInput(attrs={"type": "search", "autocomplete": "off"})
_TEMPLATE_CONTEXT = Context()  # what a template prints a value with: autoescape, localisation


class Labelled(str):
    """A choice's label that knows the language it is shown in when that is not the page's (`lang`): a record's
    Indonesian text on an English page. The public selects write it as the option's `lang` (issue 26, item 6)."""

    lang = ""


def labelled(obj, field: str) -> str:
    """`obj.<field>` (a smartcity.models.Translated text) as a choice's label, marked when it falls back."""
    from .templatetags.portal import shown_lang  # the one rule of when a text falls back

    label = Labelled(getattr(obj, field))
    label.lang = shown_lang(obj, field)
    return label


class PlainSelect(forms.Select):
    """Django's `<select>` written in Python: the same markup as its `select.html` and `select_option.html`, without
    rendering two templates per option, which made the filter forms a third of a public list page's time (issue 27;
    tests/test_public_filter_widgets.py holds the two byte for byte equal). Option groups go to Django's templates.
    An option whose label is `Labelled` in another language says so in its `lang`, in both renderings."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        chosen, has_selected, options = self.format_value(value), False, []
        for option_value, option_label in self.choices:
            if isinstance(option_label, list | tuple):
                return super().render(name, value, attrs, renderer)
            option_value = "" if option_value is None else option_value
            selected = not has_selected and str(option_value) in chosen
            has_selected |= selected
            language = getattr(option_label, "lang", "")
            lang = f' lang="{escape(language)}"' if language else ""
            options.append(
                f'\n  <option value="{escape(f"{option_value}")}"{" selected" if selected else ""}{lang}>'
                f"{_printed(option_label)}</option>\n"
            )
        html = f'<select name="{_printed(name)}"{_attributes(attrs)}>{"".join(options)}\n</select>'
        return mark_safe(html)  # noqa: S308 - every name, value and label in it escaped as a template escapes them

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if getattr(label, "lang", ""):
            option["attrs"]["lang"] = label.lang
        return option


def _printed(value) -> str:
    return render_value_in_context(value, _TEMPLATE_CONTEXT)


def _attributes(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html prints them."""
    return "".join(
        f" {_printed(name)}" if value is True else f' {_printed(name)}="{escape(f"{value}")}"'
        for name, value in attrs.items()
        if value is not False
    )


class ListedChoices(fields.ModelChoiceIterator):
    """A model select's choices read as one list: Django's iterator reads them through `QuerySet.iterator()`, a
    server-side cursor on PostgreSQL (DECLARE, FETCH and CLOSE: three round trips, the last two not counted by
    the query-count tests), for a list of a few dozen rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in list(self.queryset):
            yield self.choice(obj)


class ListedModelChoiceField(fields.ModelChoiceField):
    """`label_field`: the Translated field each choice is labelled with (`labelled`), instead of `str(obj)`."""

    iterator = ListedChoices

    def __init__(self, *args, label_field: str = "", **kwargs):
        self.label_field = label_field
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return labelled(obj, self.label_field) if self.label_field else super().label_from_instance(obj)


def plain_select(filter_: django_filters.Filter) -> None:
    """A single select of a public form rendered by PlainSelect, its model choices read by ListedChoices."""
    if not isinstance(filter_, django_filters.ChoiceFilter) or "widget" in filter_.extra:
        return
    filter_.extra["widget"] = PlainSelect
    if filter_.field_class is fields.ModelChoiceField:
        filter_.field_class = ListedModelChoiceField


class PublicFilterSet(django_filters.FilterSet):
    """`q` searches `search_fields`, every word in one of them: the fields a citizen sees on the page, which may be
    fewer than the model's (the API's and the admin's), so a search never matches on what the page does not show.
    Subclasses add the citizen's filters."""

    search_fields: tuple[str, ...] = ()

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        for filter_ in filters.values():
            plain_select(filter_)
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

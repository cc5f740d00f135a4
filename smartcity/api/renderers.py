"""The browsable API's HTML forms, with the API's one relation shape: a relation reads as a brief object but is
written by its id, so its form field is a choice of ids with the current record's id selected."""

from rest_framework import renderers
from rest_framework.relations import ManyRelatedField

from .relations import BriefRelatedField


def form_value(field, value):
    """The id(s) a brief relation's form field holds for `value`, the brief object(s) read; anything else (the
    text a posted form sent back) unchanged."""
    inner = field.child_relation if isinstance(field, ManyRelatedField) else field
    if not isinstance(inner, BriefRelatedField):
        return value
    if isinstance(value, dict):
        return value.get("id")
    if isinstance(value, list):
        return [item.get("id") if isinstance(item, dict) else item for item in value]
    return value


class HTMLFormRenderer(renderers.HTMLFormRenderer):
    def render_field(self, field, parent_style):
        value = form_value(field._field, field.value)
        if value is not field.value:
            field = field.__class__(field._field, value, field.errors, field._prefix)
        return super().render_field(field, parent_style)


def is_extra_action(view) -> bool:
    """A domain verb (`@action`: sign, pack, answer...), which reads its own small input, not the record."""
    return any(hasattr(getattr(view, name, None), "mapping") for name in getattr(view, "action_map", {}).values())


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's browsable API, whose forms name related records by id. A verb's page (GET on a POST-only action
    answers 405 with this page) offers only the raw form, empty: the record's form would post the wrong fields."""

    form_renderer_class = HTMLFormRenderer

    def get_rendered_html_form(self, data, view, method, request):
        if is_extra_action(view):
            return None
        return super().get_rendered_html_form(data, view, method, request)

    def get_raw_data_form(self, data, view, method, request):
        form = super().get_raw_data_form(data, view, method, request)
        if form is not None and is_extra_action(view):
            form.fields["_content"].initial = "{}"
        return form

"""Admin form widgets: rupiah amounts with thousands separators, and sub-dimensions that follow the chosen pillar.

Both only present: the amount reaches the writer as an int, and the rule that a program's sub-dimensions belong
to its pillar stays in the writer (a sub-dimension of another pillar is still refused there).
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.html import format_html, json_script
from django.utils.translation import gettext_lazy as _


class MoneyInput(forms.TextInput):
    """An amount in rupiah shown grouped in the page's language ("750.000.000" in Indonesian, "750,000,000" in
    English); admin_ext/money.js regroups it while it is typed."""

    class Media:
        js = ["admin_ext/money.js"]

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "off", "class": "money-input", **(attrs or {})})

    def format_value(self, value):
        if value is None or value == "":
            return None
        try:
            number = int(value)
        except (TypeError, ValueError):
            return str(value)  # a refused entry is shown back as it was typed
        return formats.number_format(number, decimal_pos=0, use_l10n=True, force_grouping=True)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-thousands"] = formats.get_format("THOUSAND_SEPARATOR")
        return context


class MoneyField(forms.IntegerField):
    """A whole rupiah amount typed with or without the language's thousands separators, spaces or "Rp".

    Separators must group by three ("750.000.000"): "1.5" is refused rather than read as fifteen."""

    widget = MoneyInput

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0\u202f]", "", value)
            if value[:2].lower() == "rp":
                value = value[2:]
            separator = formats.get_format("THOUSAND_SEPARATOR")
            if separator in value:
                if not re.fullmatch(rf"\d{{1,3}}({re.escape(separator)}\d{{3}})+", value):
                    raise ValidationError(
                        _("Write the amount in whole rupiah, e.g. %(example)s."),
                        code="invalid",
                        params={"example": formats.number_format(750000000, use_l10n=True, force_grouping=True)},
                    )
                value = value.replace(separator, "")
        return super().to_python(value)


class PillarSubDimensionSelect(forms.CheckboxSelectMultiple):
    """Checkboxes of sub-dimensions, of which admin_ext/subdimensions.js shows those of the pillar chosen in the
    same form, reading the map {pillar id: [sub-dimension ids]} rendered next to them as JSON."""

    pillar_input = "pillar"  # the name of the pillar <select> in the same form

    class Media:
        js = ["admin_ext/subdimensions.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        pillar_map: dict[str, list[int]] = {}
        for _group, options, _index in context["widget"]["optgroups"]:
            for option in options:
                sub_dimension = option["value"].instance  # the choices' own rows: no further query
                pillar_map.setdefault(str(sub_dimension.pillar_id), []).append(sub_dimension.pk)
        context["widget"]["pillar_map"] = pillar_map
        return context

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        map_id = f"{context['widget']['attrs'].get('id') or name}_pillar_map"
        return format_html(
            '<div class="subdimension-picker" data-pillar-input="{}" data-map-id="{}">'
            '<p class="subdimension-hint" hidden>{}</p>{}{}</div>',
            self.pillar_input,
            map_id,
            _("Choose the pillar first: its sub-dimensions appear here."),
            self._render(self.template_name, context, renderer),
            json_script(context["widget"]["pillar_map"], map_id),
        )

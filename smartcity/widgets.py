"""Admin form widgets: rupiah amounts with thousands separators, decimals in the page's language ("78,5" in
Indonesian, "78.5" in English), and sub-dimensions that follow the chosen pillar.

All only present: the amount reaches the writer as an int, and the rule that a program's sub-dimensions belong
to its pillar stays in the writer (a sub-dimension of another pillar is still refused there).
"""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.html import format_html, json_script
from django.utils.translation import gettext_lazy as _

from .numbers import is_grouped, ungrouped


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
                if not is_grouped(value, separator) or value[0] in "+-":
                    raise ValidationError(
                        _("Write the amount in whole rupiah, e.g. %(example)s."),
                        code="invalid",
                        params={"example": formats.number_format(750000000, use_l10n=True, force_grouping=True)},
                    )
                value = value.replace(separator, "")
        return super().to_python(value)


class DecimalInput(forms.TextInput):
    """A decimal shown in the page's language without trailing zeros ("78,5", not "78,50"); a text box, since a
    browser's number box takes no decimal comma."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, (Decimal, float)) and not isinstance(value, bool):
            number = Decimal(str(value))
            number = number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()
            return formats.number_format(number, use_l10n=True)
        return super().format_value(value)  # a refused entry is shown back as it was typed


class LocaleDecimalField(forms.DecimalField):
    """A decimal typed in the page's language: "78,5" and "1.234,5" in Indonesian, "78.5" and "1,234.5" in English.
    Django's own localization reads the decimal separator (`localize`); `numbers.ungrouped` takes the thousands
    separators out first and refuses what could be read two ways."""

    widget = DecimalInput

    def __init__(self, **kwargs):
        super().__init__(**{**kwargs, "localize": True})

    def to_python(self, value):
        return super().to_python(ungrouped(value) if isinstance(value, str) else value)


class LocaleFloatField(forms.FloatField):
    """A float typed in the page's language, read like LocaleDecimalField."""

    widget = DecimalInput

    def __init__(self, **kwargs):
        super().__init__(**{**kwargs, "localize": True})

    def to_python(self, value):
        return super().to_python(ungrouped(value) if isinstance(value, str) else value)


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

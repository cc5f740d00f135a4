"""Forms of the pillars app that need more than the model's own fields: admin forms and the citizen feedback form."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from smartcity.admin import VersionedModelForm
from smartcity.numbers import format_number

from .models import Boundary
from .models.feedback import LAPOR_REFERENCE, MESSAGE_MAX_CHARS
from .outlines import parse_outline


class BoundaryForm(VersionedModelForm):
    """A map boundary with its outline uploaded as a GeoJSON file: a file that holds no valid area is a form error,
    and nothing is saved. On a change the file may be left out to keep the outline as it is."""

    written_fields = ("geometry",)  # not a form field: the upload's parsed outline, written by the boundary writer

    upload = forms.FileField(
        label=_("GeoJSON file"),
        required=False,
        help_text=_(
            "A .geojson or .json file with a Polygon or MultiPolygon (a Feature or FeatureCollection is fine), "
            "longitude first, in WGS 84 as GeoJSON requires."
        ),
    )

    class Meta:
        model = Boundary
        fields = ["name", "kind", "code", "note"]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None:
            if not self.instance.geometry:
                raise ValidationError(_("Upload the outline as a GeoJSON file."), code="required")
            return None
        self.instance.geometry = self.cleaned_data["geometry"] = parse_outline(upload.read())
        return upload


class FeedbackForm(forms.Form):
    """The public feedback form under a program or service. `homepage` is a honeypot: hidden from people (and from
    assistive technology), filled in only by robots that fill in every field."""

    message = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write a message.")},
    )
    name = forms.CharField(label=_("Your name (optional)"), max_length=120, required=False)
    contact = forms.CharField(
        label=_("E-mail or phone (optional)"),
        max_length=160,
        required=False,
        help_text=_("Only the agency sees your name and contact, to answer you."),
    )
    lapor_reference = forms.CharField(
        label=_("SP4N-LAPOR! tracking ID (optional)"),
        max_length=20,
        required=False,
        help_text=_("If you also reported this on lapor.go.id, e.g. #1916449."),
    )
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["message"].help_text = gettext(
            "At most %(count)s characters. It is shown publicly only after the agency has read it."
        ) % {"count": format_number(MESSAGE_MAX_CHARS)}

    def clean_lapor_reference(self):
        value = self.cleaned_data["lapor_reference"].strip()
        if not value:
            return ""
        found = LAPOR_REFERENCE.match(value)
        if not found:
            raise ValidationError(_("Give the SP4N-LAPOR! tracking ID: 6 to 10 digits, e.g. #1916449."), code="format")
        return found.group(1)

    @property
    def is_robot(self) -> bool:
        return bool(self.cleaned_data.get("homepage"))

"""Admin forms of the pillars app that need more than the model's own fields."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Boundary
from .outlines import parse_outline


class BoundaryForm(forms.ModelForm):
    """A map boundary with its outline uploaded as a GeoJSON file: a file that holds no valid area is a form error,
    and nothing is saved. On a change the file may be left out to keep the outline as it is."""

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
        self.instance.geometry = parse_outline(upload.read())
        return upload

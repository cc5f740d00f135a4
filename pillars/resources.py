"""Import and export of portfolio records as CSV and XLSX (django-import-export).

Every imported row is written by the model's writer (smartcity/resources.py), with the same rules as the API;
the admin runs a dry run first, lists row errors, and imports nothing while any row is bad.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, widgets

from partnerships.models import Partner
from smartcity.resources import ServiceResource

from .choices import LinkRole
from .models import (
    Activity,
    Agency,
    BudgetLine,
    DigitalService,
    District,
    Indicator,
    InfrastructureAsset,
    Measurement,
    Pillar,
    Program,
    SubDimension,
    Village,
)


def slug_field(attribute: str, model, many: bool = False) -> fields.Field:
    widget = (
        widgets.ManyToManyWidget(model, field="slug", separator="|")
        if many
        else widgets.ForeignKeyWidget(model, field="slug")
    )
    return fields.Field(attribute=attribute, column_name=attribute, widget=widget)


class PortfolioResource(ServiceResource):
    class Meta(ServiceResource.Meta):
        abstract = True


class IndicatorLinksWidget(widgets.Widget):
    """A program's indicator links in one cell: `slug:role` pairs separated by `|` (`kelurahan-terhubung:outcome`);
    a pair without a role is an outcome. Reads the links the program's queryset prefetched."""

    separator = "|"
    label = gettext_lazy("Indicators it moves")
    hint = gettext_lazy(
        "indicator slugs with their role (output or outcome), e.g. kelurahan-terhubung:outcome, several separated by |"
    )

    def parse(self, value, actor) -> list[dict]:
        """The links the cell names, each with the indicator row; a ValidationError naming every wrong pair."""
        pairs = [part.strip() for part in str(value or "").split(self.separator) if part.strip()]
        wanted = [
            (slug.strip(), (role.strip() or LinkRole.OUTCOME)) for slug, _sep, role in (p.partition(":") for p in pairs)
        ]
        found = {i.slug: i for i in Indicator.objects.visible_to(actor).filter(slug__in=[slug for slug, _r in wanted])}
        errors = [_("Unknown indicator «%(slug)s».") % {"slug": slug} for slug, _r in wanted if slug not in found]
        errors += [
            _("«%(role)s» is not a role; write output or outcome.") % {"role": role}
            for _s, role in wanted
            if role not in LinkRole.values
        ]
        if errors:
            raise ValidationError(errors, code="bad_links")
        return [{"indicator": found[slug], "role": role} for slug, role in wanted]

    def render(self, value, obj=None, **kwargs) -> str:
        links = obj.indicator_links.all() if obj is not None else []
        return self.separator.join(f"{link.indicator.slug}:{link.role}" for link in links)


class ProgramResource(PortfolioResource):
    pillar = slug_field("pillar", Pillar)
    lead_agency = slug_field("lead_agency", Agency)
    sub_dimensions = slug_field("sub_dimensions", SubDimension, many=True)
    supporting_agencies = slug_field("supporting_agencies", Agency, many=True)
    # The links are written with the program, through the link writer: a file naming an unknown indicator (or one
    # the importer may not see) refuses the whole file; a file without the column leaves the links as they are.
    indicators = fields.Field(column_name="indicators", widget=IndicatorLinksWidget())

    class Meta(PortfolioResource.Meta):
        model = Program
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title_id",
            "title_en",
            "description_id",
            "description_en",
            "pillar",
            "sub_dimensions",
            "lead_agency",
            "supporting_agencies",
            "horizon",
            "stage",
            "progress",
            "completed_on",
            "first_year",
            "last_year",
            "location",
            "latitude",
            "longitude",
            "indicators",
            "publication",
            "publish_from",
        ]

    def dehydrate_indicators(self, program) -> str:
        return self.fields["indicators"].widget.render(None, program)

    def import_instance(self, instance, row, **kwargs):
        """The cells as the base reads them, and the `indicators` cell parsed into links: every error at once."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = dict(error.error_dict)
        if "indicators" in row:
            try:
                instance.pending_indicator_links = self.fields["indicators"].widget.parse(row["indicators"], self.actor)
            except ValidationError as error:
                errors["indicators"] = error.error_list
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """A row whose only change is its links is not unchanged (the base compares the field's managers)."""
        if "indicators" in row and hasattr(instance, "pending_indicator_links"):
            wanted = sorted((link["indicator"].pk, link["role"]) for link in instance.pending_indicator_links)
            current = (
                [] if original.pk is None else sorted(original.indicator_links.values_list("indicator_id", "role"))
            )
            if wanted != [tuple(pair) for pair in current]:
                return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def row_data(self, instance, row) -> dict:
        data = super().row_data(instance, row)
        if "indicators" in row:
            data["indicator_links"] = instance.pending_indicator_links
        return data


class BudgetLineResource(PortfolioResource):
    program = slug_field("program", Program)

    class Meta(PortfolioResource.Meta):
        model = BudgetLine
        import_id_fields = ["program", "year", "source"]
        fields = ["program", "year", "source", "planned_amount", "realised_amount", "smart_city", "note"]


class ActivityResource(PortfolioResource):
    """Activities of the action plan; the row's `id` matches an existing one (empty: a new activity)."""

    program = slug_field("program", Program)
    owner_agency = slug_field("owner_agency", Agency)

    class Meta(PortfolioResource.Meta):
        model = Activity
        fields = ["id", "program", "year", "owner_agency", "title_id", "title_en", "weight", "target", "progress",
                  "note"]  # fmt: skip


class IndicatorResource(PortfolioResource):
    pillar = slug_field("pillar", Pillar)
    owner_agency = slug_field("owner_agency", Agency)
    building_blocks = slug_field("building_blocks", Indicator, many=True)

    class Meta(PortfolioResource.Meta):
        model = Indicator
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "name_id",
            "name_en",
            "pillar",
            "unit",
            "direction",
            "baseline_value",
            "baseline_year",
            "frequency",
            "data_source",
            "owner_agency",
            # Satu Data Indonesia's metadata and the framework codes, exported and imported like the rest
            *Indicator.MS_IND_FIELDS,
            "on_track_from",
            "at_risk_from",
            "iso_theme",
            "iso_number",
            "sdg_target",
            "spbe_indicator",
            "publication",
            "publish_from",
        ]


class MeasurementResource(PortfolioResource):
    indicator = slug_field("indicator", Indicator)

    class Meta(PortfolioResource.Meta):
        model = Measurement
        import_id_fields = ["indicator", "measured_on"]
        fields = ["indicator", "measured_on", "value", "source_note"]


class DigitalServiceResource(PortfolioResource):
    pillar = slug_field("pillar", Pillar)
    owner_agency = slug_field("owner_agency", Agency)

    class Meta(PortfolioResource.Meta):
        model = DigitalService
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "name",
            "description_id",
            "description_en",
            "pillar",
            "owner_agency",
            "audience",
            "status",
            "launched_year",
            "url",
            "platform",
            "origin",
            "origin_city",
            "publication",
            "publish_from",
        ]


class InfrastructureAssetResource(PortfolioResource):
    program = slug_field("program", Program)
    operator = slug_field("operator", Partner)
    # The area links by their Kemendagri codes (13.71.09, 13.71.09.1001): they replaced the free-text kecamatan and
    # kelurahan columns (issue 24).
    district = fields.Field(
        attribute="district", column_name="district", widget=widgets.ForeignKeyWidget(District, "code")
    )
    village = fields.Field(attribute="village", column_name="village", widget=widgets.ForeignKeyWidget(Village, "code"))

    class Meta(PortfolioResource.Meta):
        model = InfrastructureAsset
        fields = [
            "id",
            "kind",
            "name",
            "district",
            "village",
            "latitude",
            "longitude",
            "status",
            "installed_on",
            "operator",
            "funding_source",
            "program",
            "public_view_url",
            "publication",
            "publish_from",
        ]

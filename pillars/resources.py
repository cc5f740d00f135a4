"""Import and export of portfolio records as CSV and XLSX (django-import-export).

Every imported row is written by the model's writer (smartcity/resources.py), with the same rules as the API;
the admin runs a dry run first, lists row errors, and imports nothing while any row is bad.
"""

from import_export import fields, widgets

from partnerships.models import Partner
from smartcity.resources import ServiceResource

from .models import (
    Activity,
    Agency,
    BudgetLine,
    DigitalService,
    Indicator,
    InfrastructureAsset,
    Measurement,
    Pillar,
    Program,
    SubDimension,
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


class ProgramResource(PortfolioResource):
    pillar = slug_field("pillar", Pillar)
    lead_agency = slug_field("lead_agency", Agency)
    sub_dimensions = slug_field("sub_dimensions", SubDimension, many=True)
    supporting_agencies = slug_field("supporting_agencies", Agency, many=True)

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
            "publication",
            "publish_from",
        ]


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

    class Meta(PortfolioResource.Meta):
        model = InfrastructureAsset
        fields = [
            "id",
            "kind",
            "name",
            "kelurahan",
            "kecamatan",
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

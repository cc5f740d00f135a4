"""Import and export of portfolio records as CSV and XLSX (django-import-export).

Every imported row is written by the model's writer (smartcity/resources.py), with the same rules as the API;
the admin runs a dry run first, lists row errors, and imports nothing while any row is bad.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, widgets

from partnerships.models import Partner
from smartcity.resources import ServiceResource, record_columns

from .api.serializers import (
    ActivitySerializer,
    BudgetLineSerializer,
    DigitalServiceSerializer,
    IndicatorSerializer,
    InfrastructureAssetSerializer,
    MeasurementSerializer,
    ProgramSerializer,
)
from .choices import LinkRole
from .models import (
    Activity,
    Agency,
    BudgetLine,
    DigitalService,
    District,
    Indicator,
    InfrastructureAsset,
    Masterplan,
    Measurement,
    Pillar,
    Program,
    SubDimension,
    Village,
)

# Each file's columns are its API serializer's fields (the record's one field list) less these, each with the reason
# it is left out; a model field in neither the serializer nor this list fails tests/test_record_fields.py.
KEYED_BY_SLUG = "rows are matched on the slug; the id is the database's own"
SET_BY_WRITER = "kept by the portal when a row is written, not by the file"
FILE_UPLOAD = "a file upload, attached in the admin or through the API"
LEFT_OUT: dict[type, dict[str, str]] = {
    Program: {"id": KEYED_BY_SLUG, "created_at": SET_BY_WRITER, "updated_at": SET_BY_WRITER},
    BudgetLine: {
        "id": "rows are matched on program, year and source",
        "created_at": SET_BY_WRITER,
        "updated_at": SET_BY_WRITER,
    },
    Activity: {
        "pillar": "read from the activity's program; the API shows it, nothing writes it",
        "evidence": FILE_UPLOAD,
        "created_at": SET_BY_WRITER,
        "updated_at": SET_BY_WRITER,
    },
    Indicator: {
        "id": KEYED_BY_SLUG,
        "is_headline": "the one headline indicator is chosen in the admin (a constraint allows only one)",
        "publicly_accessible": "computed from the MS-Ind access fields",
        "approval": "the walidata approval is its own step (approve / send back), not a cell",
        "approval_note": "written with the walidata's send-back, not by a file",
        "approved_at": "stamped when the walidata approves",
        "targets": "yearly targets are their own records (IndicatorTarget)",
        "latest_value": "computed from the measurements",
        "latest_measured_on": "computed from the measurements",
        "latest_achievement": "computed from the latest measurement and its year's target",
        "stale_since": "set by the nightly staleness check, a system-maintained field",
        "created_at": SET_BY_WRITER,
        "updated_at": SET_BY_WRITER,
    },
    Measurement: {
        "id": "rows are matched on indicator and date",
        "evidence": FILE_UPLOAD,
        "created_at": SET_BY_WRITER,
        "updated_at": SET_BY_WRITER,
    },
    DigitalService: {"id": KEYED_BY_SLUG, "created_at": SET_BY_WRITER, "updated_at": SET_BY_WRITER},
    InfrastructureAsset: {
        "kecamatan": "the API's deprecated read-only name of the district, for one release; the file has district",
        "kelurahan": "the API's deprecated read-only name of the village, for one release; the file has village",
        "created_at": SET_BY_WRITER,
        "updated_at": SET_BY_WRITER,
    },
}


def key_field(attribute: str, model, many: bool = False, key: str = "slug") -> fields.Field:
    """A relation's column, each related row written as its key (the slug, or a code where the model has none)."""
    widget = (
        widgets.ManyToManyWidget(model, field=key, separator="|")
        if many
        else widgets.ForeignKeyWidget(model, field=key)
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
    pillar = key_field("pillar", Pillar)
    lead_agency = key_field("lead_agency", Agency)
    sub_dimensions = key_field("sub_dimensions", SubDimension, many=True)
    supporting_agencies = key_field("supporting_agencies", Agency, many=True)
    masterplan = key_field("masterplan", Masterplan, key="id")  # a masterplan has no slug
    districts = key_field("districts", District, many=True, key="code")  # Kemendagri codes
    # The links are written with the program, through the link writer: a file naming an unknown indicator (or one
    # the importer may not see) refuses the whole file; a file without the column leaves the links as they are.
    indicators = fields.Field(column_name="indicators", widget=IndicatorLinksWidget())

    record_serializer = ProgramSerializer

    class Meta(PortfolioResource.Meta):
        model = Program
        import_id_fields = ["slug"]
        fields = record_columns(ProgramSerializer, LEFT_OUT[Program])

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
    program = key_field("program", Program)

    record_serializer = BudgetLineSerializer

    class Meta(PortfolioResource.Meta):
        model = BudgetLine
        import_id_fields = ["program", "year", "source"]
        fields = record_columns(BudgetLineSerializer, LEFT_OUT[BudgetLine])


class ActivityResource(PortfolioResource):
    """Activities of the action plan; the row's `id` matches an existing one (empty: a new activity)."""

    program = key_field("program", Program)
    owner_agency = key_field("owner_agency", Agency)

    record_serializer = ActivitySerializer

    class Meta(PortfolioResource.Meta):
        model = Activity
        fields = record_columns(ActivitySerializer, LEFT_OUT[Activity])


class IndicatorResource(PortfolioResource):
    pillar = key_field("pillar", Pillar)
    owner_agency = key_field("owner_agency", Agency)
    building_blocks = key_field("building_blocks", Indicator, many=True)

    record_serializer = IndicatorSerializer

    class Meta(PortfolioResource.Meta):
        model = Indicator
        import_id_fields = ["slug"]
        fields = record_columns(IndicatorSerializer, LEFT_OUT[Indicator])


class MeasurementResource(PortfolioResource):
    indicator = key_field("indicator", Indicator)

    record_serializer = MeasurementSerializer

    class Meta(PortfolioResource.Meta):
        model = Measurement
        import_id_fields = ["indicator", "measured_on"]
        fields = record_columns(MeasurementSerializer, LEFT_OUT[Measurement])


class DigitalServiceResource(PortfolioResource):
    pillar = key_field("pillar", Pillar)
    owner_agency = key_field("owner_agency", Agency)

    record_serializer = DigitalServiceSerializer

    class Meta(PortfolioResource.Meta):
        model = DigitalService
        import_id_fields = ["slug"]
        fields = record_columns(DigitalServiceSerializer, LEFT_OUT[DigitalService])


class InfrastructureAssetResource(PortfolioResource):
    program = key_field("program", Program)
    operator = key_field("operator", Partner)
    # The area links by their Kemendagri codes (13.71.09, 13.71.09.1001): they replaced the free-text kecamatan and
    # kelurahan columns (issue 24).
    district = key_field("district", District, key="code")
    village = key_field("village", Village, key="code")

    record_serializer = InfrastructureAssetSerializer

    class Meta(PortfolioResource.Meta):
        model = InfrastructureAsset
        fields = record_columns(InfrastructureAssetSerializer, LEFT_OUT[InfrastructureAsset])

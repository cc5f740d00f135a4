"""Limits of the admin's CSV/XLSX import, so one upload cannot tie up a web worker for minutes.

A file over IMPORT_MAX_BYTES is refused before it is read, a workbook unpacking to more than
IMPORT_MAX_UNZIPPED_BYTES before it is opened, and reading stops past IMPORT_MAX_ROWS (smartcity/spreadsheets.py,
the one reader). All are form errors; bigger imports go through `manage.py import_records`, which has no such
limits and shows a progress bar.

The import page speaks the staff's language: a CSV template to start from (header and one example row), the
columns with their allowed values listed on the page, and our own words for the page and its messages
(django-import-export ships no Indonesian catalogue).
"""

import csv
import io

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.urls import path
from django.utils import timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from import_export import widgets
from import_export.formats import base_formats
from import_export.forms import ImportForm
from import_export.results import RowResult

from smartcity.resources import CHOICES_SHOWN, allowed_values, model_field
from smartcity.spreadsheets import SpreadsheetRefusedError, read_csv, read_xlsx

# Texts of django-import-export that reach our import and export pages from its Python code, listed so that
# `make messages` copies them into our catalogue, where gettext finds them first.
IMPORT_EXPORT_TEXTS = [
    gettext_noop("Import"),
    gettext_noop("Export"),
    gettext_noop("Resource"),
    gettext_noop("Format"),
    gettext_noop("No valid data to import. Ensure your file has the correct headers or data for import."),
    gettext_noop("Export selected %(verbose_name_plural)s"),
]


class LimitedImportForm(ImportForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["import_file"].label = _("File to import")
        self.fields["import_file"].help_text = _("A CSV or XLSX file with the columns listed above.")
        self.fields["format"].label = _("File format")

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise ValidationError(
                _(
                    "This file is %(size)s; the admin imports files up to %(limit)s. Split the file, "
                    "or import it with the import_records command."
                ),
                code="file_too_large",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(settings.IMPORT_MAX_BYTES)},
            )
        return upload


class CSV(base_formats.CSV):
    """The admin's CSV import, read by the shared reader (the row limit, NUL bytes, over-long fields)."""

    def create_dataset(self, in_stream, **kwargs):
        return read_csv(in_stream)


class XLSX(base_formats.XLSX):
    """The admin's XLSX import, read by the shared reader (the unzipped-size cap, streamed, the row limit)."""

    def create_dataset(self, in_stream, **kwargs):
        return read_xlsx(in_stream)


# --- what each column takes, for the page and the template -----------------------------------------------------
def column_hint(field, db_field) -> str:
    widget = field.widget
    if getattr(widget, "hint", None):  # a widget that reads a cell of its own shape says what it takes
        return str(widget.hint)
    if isinstance(widget, widgets.ManyToManyWidget):
        return _("slugs of %(what)s, several separated by %(separator)s") % {
            "what": widget.model._meta.verbose_name_plural,
            "separator": widget.separator,
        }
    if isinstance(widget, widgets.ForeignKeyWidget):
        return _("the slug of a %(what)s") % {"what": widget.model._meta.verbose_name}
    if db_field is not None and db_field.choices:
        return _("one of the values listed")
    if isinstance(widget, (widgets.DateWidget, widgets.DateTimeWidget)):
        return _("a date as year-month-day, e.g. 2025-03-31")
    if isinstance(widget, widgets.IntegerWidget):
        return _("a whole number, without separators")
    if isinstance(widget, (widgets.DecimalWidget, widgets.FloatWidget)):
        return _("a number, e.g. 12.5")
    if db_field is not None and getattr(db_field, "max_length", None):
        return _("text, up to %(count)s characters") % {"count": db_field.max_length}
    return _("text")


def column_guide(resource) -> list[dict]:
    """One entry per column: its name in the file, its name in words, whether it is required, what it takes."""
    model, keys = resource._meta.model, set(resource.get_import_id_fields())
    guide = []
    for field in resource.get_import_fields():
        db_field = model_field(model, field.attribute)
        allowed = allowed_values(field, model)
        required = field.attribute in keys and field.attribute != "id" or (db_field is not None and not db_field.blank)
        guide.append(
            {
                "column": field.column_name,
                "label": capfirst(db_field.verbose_name)
                if db_field is not None
                else str(getattr(field.widget, "label", "") or field.column_name),
                "required": required,
                "hint": column_hint(field, db_field),
                "help": db_field.help_text if db_field is not None else "",
                "allowed": (allowed or [])[:CHOICES_SHOWN],
                "more": bool(allowed) and len(allowed) > CHOICES_SHOWN,
                "example": example_value(field, db_field, allowed),
            }
        )
    return guide


def example_value(field, db_field, allowed) -> str:
    """A value the column would accept, for the template's example row."""
    if db_field is None:
        return ""
    if db_field.has_default() and not callable(db_field.default):
        return str(db_field.default)
    if allowed:
        return allowed[0][0]
    if db_field.blank:
        return ""
    kind = db_field.get_internal_type()
    if kind == "SlugField":
        return slugify(_("example")) + "-1"
    if kind in ("DateField", "DateTimeField"):
        return timezone.localdate().isoformat()
    if "year" in field.attribute:
        return str(timezone.localdate().year)
    if "Integer" in kind or kind in ("DecimalField", "FloatField"):
        return "0"
    return capfirst(db_field.verbose_name)


def template_csv(resource) -> bytes:
    """The header row and one example row, UTF-8 with a byte-order mark so spreadsheet programs read it right."""
    guide = column_guide(resource)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([column["column"] for column in guide])
    writer.writerow([column["example"] for column in guide])
    return ("\ufeff" + out.getvalue()).encode()


class LimitedImportMixin:
    """For an ImportExportMixin admin: the limits above, shown as errors on the import form; a CSV template and
    the columns' guide on the import page; its messages in our words."""

    import_form_class = LimitedImportForm

    def get_import_formats(self):
        return [CSV, XLSX]

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view(self.import_template_view)
        return [path("import/template/", view, name=f"{info[0]}_{info[1]}_import_template"), *super().get_urls()]

    def import_template_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource = self.get_import_resource_classes(request)[0]()
        response = HttpResponse(template_csv(resource), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.opts.model_name}-template.csv"'
        return response

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        resource = self.get_import_resource_classes(None)[0]()
        return {**context, "column_guide": column_guide(resource), "import_keys": resource.get_import_id_fields()}

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SpreadsheetRefusedError):
            form.add_error("import_file", e.message)
        else:
            form.add_error(
                "import_file",
                _("This file could not be read: choose the format it was saved in (CSV or XLSX), with its header row."),
            )

    def add_success_message(self, result, request):
        totals = result.totals
        self.message_user(
            request,
            _("Import finished: %(new)s new, %(updated)s updated, %(deleted)s deleted, %(skipped)s unchanged.")
            % {
                "new": totals[RowResult.IMPORT_TYPE_NEW],
                "updated": totals[RowResult.IMPORT_TYPE_UPDATE],
                "deleted": totals[RowResult.IMPORT_TYPE_DELETE],
                "skipped": totals[RowResult.IMPORT_TYPE_SKIP],
            },
        )

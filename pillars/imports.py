"""Limits of the admin's CSV/XLSX import, so one upload cannot tie up a web worker for minutes.

A file over IMPORT_MAX_BYTES is refused before it is read, and one over IMPORT_MAX_ROWS once it is parsed
(checking every row against the rules is what takes the time). Both are form errors; bigger imports go
through `manage.py import_records`, which has no such limits and shows a progress bar.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from import_export.forms import ImportForm


class TooManyRowsError(ValueError):
    def __init__(self, rows: int):
        super().__init__(
            _(
                "This file has %(rows)s rows; the admin imports up to %(limit)s at once. Split the file, "
                "or import it with the import_records command."
            )
            % {"rows": rows, "limit": settings.IMPORT_MAX_ROWS}
        )


class LimitedImportForm(ImportForm):
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


class RowLimit:
    def create_dataset(self, in_stream, **kwargs):
        dataset = super().create_dataset(in_stream, **kwargs)
        if len(dataset) > settings.IMPORT_MAX_ROWS:
            raise TooManyRowsError(len(dataset))
        return dataset


class CSV(RowLimit, base_formats.CSV):
    pass


class XLSX(RowLimit, base_formats.XLSX):
    pass


class LimitedImportMixin:
    """For an ImportExportMixin admin: the limits above, shown as errors on the import form."""

    import_form_class = LimitedImportForm

    def get_import_formats(self):
        return [CSV, XLSX]

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, TooManyRowsError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

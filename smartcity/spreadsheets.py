"""Spreadsheet-safe output: the one rule every CSV and XLSX the portal writes applies to its cells.

A cell whose text starts with =, +, -, @, a tab or a carriage return is read by spreadsheet programs as a
formula (CSV injection: `=HYPERLINK(...)`, `=cmd|...`). Such a cell gets a leading apostrophe, as OWASP
recommends, so it shows as the text it is. Numbers are numbers, not formulas: a value that is a plain
number ("-12.5") is left alone. django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only
strips a leading "=" (and writes empty cells as "None"), so the admin's exports use SafeCSV and SafeXLSX.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator

import tablib
from django.conf import settings
from django.utils.translation import gettext as _
from import_export.formats import base_formats

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+([.,]\d+)*")


def escape_formula(value):
    """`value`, made inert if a spreadsheet would read it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    return [escape_formula(value) for value in values]


class _Line:
    """A file-like object for csv.writer that hands each written line back instead of storing it."""

    def write(self, line: str) -> str:
        return line


def csv_lines(header: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """CSV text line by line (for a StreamingHttpResponse): a BOM for spreadsheet programs, the header, then
    every row with formula cells escaped."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow(safe_row(row))


def _escape_dataset(dataset) -> None:
    for index, row in enumerate(list(dataset)):
        dataset[index] = safe_row(row)


class SafeCSV(base_formats.CSV):
    """The admin's CSV export, with formula cells escaped."""

    def export_data(self, dataset, **kwargs):
        _escape_dataset(dataset)
        return super().export_data(dataset, **kwargs)


class SafeXLSX(base_formats.XLSX):
    """The admin's XLSX export: openpyxl stores text starting with "=" as a formula unless escaped."""

    def export_data(self, dataset, **kwargs):
        _escape_dataset(dataset)
        return super().export_data(dataset, **kwargs)


# --- Reading: the one reader every CSV/XLSX import goes through (admin imports, the survey import, area files) -------
# A workbook is a zip: 363 KB may declare millions of rows. Its unzipped size is read from the zip's directory (which
# zipfile enforces while reading) and refused over IMPORT_MAX_UNZIPPED_BYTES before openpyxl opens it; then the sheet
# is streamed (read_only) and reading stops at IMPORT_MAX_ROWS + 1 rows. A CSV stops there too, and a NUL byte or a
# field longer than a spreadsheet cell can hold is refused with the line it is on.
MAX_FIELD_CHARS = 32_767  # the most a spreadsheet cell holds (Excel)
MAX_COLUMNS = 256
BLANK_ROW_SLACK = 2  # blank rows are skipped, but count against a budget of this many times the row limit


class SpreadsheetRefusedError(ValueError):
    """A file the import refuses to read, with a message for the person who uploaded it and a code."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


def _too_many_rows() -> SpreadsheetRefusedError:
    limit = settings.IMPORT_MAX_ROWS
    message = _("This file has more than %(limit)s rows; an import takes up to %(limit)s at once. Split it.")
    return SpreadsheetRefusedError(message % {"limit": limit}, "too_many_rows")


def _unreadable(fmt: str) -> SpreadsheetRefusedError:
    return SpreadsheetRefusedError(_("This is not a readable %(format)s file.") % {"format": fmt.upper()}, "unreadable")


def _table(rows: Iterator[list], fmt: str) -> tablib.Dataset:
    """A Dataset of the header and the non-blank rows, cut or padded to the header's width; reading stops as soon
    as the rows pass the limit, so a file declaring millions of rows is never read whole."""
    limit = settings.IMPORT_MAX_ROWS
    header = next(rows, None)
    dataset = tablib.Dataset()
    if header is None:
        return dataset
    header = list(header)
    while header and header[-1] in (None, ""):
        header.pop()
    dataset.headers = [("" if name is None else str(name).strip()) for name in header]
    width, seen = len(header), 0
    for row in rows:
        seen += 1
        if seen > limit * BLANK_ROW_SLACK:
            raise _too_many_rows()
        if all(value in (None, "") for value in row):
            continue
        if len(dataset) >= limit:
            raise _too_many_rows()
        row = list(row)
        if any(value not in (None, "") for value in row[width:]):
            message = _("Row %(row)s has more cells than the header has columns.") % {"row": seen + 1}
            raise SpreadsheetRefusedError(message, "wide_row")
        dataset.append((row + [None if fmt == "xlsx" else ""] * width)[:width])
    return dataset


def _unzipped_size_check(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _unreadable("xlsx") from None
    cap = settings.IMPORT_MAX_UNZIPPED_BYTES
    if size > cap:
        message = _("This workbook unpacks to %(size)s MB, more than the %(limit)s MB an import takes. Split it.")
        params = {"size": size // 2**20, "limit": cap // 2**20}
        raise SpreadsheetRefusedError(message % params, "too_large_unzipped")


def _xlsx_rows(workbook) -> Iterator[list]:
    sheet = workbook.active
    sheet.reset_dimensions()  # read the rows there are: a read-only sheet otherwise stops where <dimension> says
    for row in sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True):
        if row and row[-1] is not None:
            message = _("This sheet has more than %(limit)s columns.") % {"limit": MAX_COLUMNS}
            raise SpreadsheetRefusedError(message, "too_many_columns")
        yield list(row)


def read_xlsx(content: bytes) -> tablib.Dataset:
    """The first sheet of a workbook, refused before it is opened when it unpacks to more than the cap."""
    import openpyxl

    _unzipped_size_check(content)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a malformed workbook: all mean "unreadable"
        raise _unreadable("xlsx") from None
    try:
        return _table(_xlsx_rows(workbook), "xlsx")
    except SpreadsheetRefusedError:
        raise
    except Exception:
        raise _unreadable("xlsx") from None
    finally:
        workbook.close()


def _csv_rows(text: str) -> Iterator[list]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            line = reader.line_num
            if "field larger than field limit" in str(error):
                raise _too_long(line) from None
            message = _("Line %(line)s cannot be read as CSV.") % {"line": line}
            raise SpreadsheetRefusedError(message, "unreadable") from None
        if any(len(value) > MAX_FIELD_CHARS for value in row):
            raise _too_long(reader.line_num)
        yield row


def _too_long(line: int) -> SpreadsheetRefusedError:
    message = _("Line %(line)s holds a field longer than %(limit)s characters.")
    return SpreadsheetRefusedError(message % {"line": line, "limit": MAX_FIELD_CHARS}, "field_too_long")


def read_csv(content: bytes | str) -> tablib.Dataset:
    """A UTF-8 CSV file (a byte-order mark allowed) as a Dataset; a NUL byte or an over-long field is refused."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SpreadsheetRefusedError(_("The file is not UTF-8 text."), "not_utf8") from None
    content = content.removeprefix("\ufeff")
    if "\x00" in content:
        line = content.count("\n", 0, content.index("\x00")) + 1
        message = _("Line %(line)s holds a NUL byte: this is not a text file.") % {"line": line}
        raise SpreadsheetRefusedError(message, "nul_byte")
    return _table(_csv_rows(content), "csv")


def read_table(content: bytes | str, fmt: str) -> tablib.Dataset:
    """A CSV or XLSX upload as a Dataset, within the import limits; SpreadsheetRefusedError says why not."""
    return read_xlsx(content) if fmt == "xlsx" else read_csv(content)

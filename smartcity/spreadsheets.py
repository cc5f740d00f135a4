"""Spreadsheet-safe output: the one rule every CSV and XLSX the portal writes applies to its cells.

A cell whose text starts with =, +, -, @, a tab or a carriage return is read by spreadsheet programs as a
formula (CSV injection: `=HYPERLINK(...)`, `=cmd|...`). Such a cell gets a leading apostrophe, as OWASP
recommends, so it shows as the text it is. Numbers are numbers, not formulas: a value that is a plain
number ("-12.5") is left alone. django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only
strips a leading "=" (and writes empty cells as "None"), so the admin's exports use SafeCSV and SafeXLSX.
"""

import csv
import re
from collections.abc import Iterable, Iterator

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

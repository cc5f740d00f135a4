"""Database functions Django does not ship, for PostgreSQL and for the SQLite of `make run`."""

from django.db.models import DateField, Func, Value


class YearStart(Func):
    """1 January of a year given as an integer expression (a column, an `OuterRef`), as a date.

    `measured_on__gte=YearStart(year), measured_on__lt=YearStart(year + 1)` tests a date column against a year that
    only the database knows as a range an index on the column can serve; `measured_on__year=OuterRef("year")`
    compiles to `EXTRACT(YEAR FROM measured_on) = year`, which no index serves."""

    function = "make_date"
    output_field = DateField()

    def __init__(self, year, **extra):
        super().__init__(year, Value(1), Value(1), **extra)

    def as_sqlite(self, compiler, connection, **extra):
        year, params = compiler.compile(self.source_expressions[0])
        return f"date(printf('%04d-01-01', {year}))", params

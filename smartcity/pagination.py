"""Pages that cost one query: the rows and the total count come back together.

A page of a list needs the rows and how many there are in all. Asked separately, that is two round trips to
the database, and on a busy machine a round trip costs more than either query. `with_total()` folds the
count into the page's own query as an uncorrelated scalar subquery, which PostgreSQL runs once (an InitPlan):
the same count, the same rows, one round trip. A list whose query cannot carry it (DISTINCT, a UNION) or a
page past the end falls back to a separate count. Used by the API's pages (smartcity/api/pagination.py) and
the public list pages (`Paginator`).
"""

from django.core import paginator
from django.core.exceptions import EmptyResultSet
from django.db.models import IntegerField, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.query import ModelIterable

TOTAL = "_total_rows"
BIGINT_MAX = 2**63 - 1  # PostgreSQL's OFFSET and LIMIT are bigints: a larger one is an error, not an empty page


def can_fold(queryset) -> bool:
    if not isinstance(queryset, QuerySet) or queryset._iterable_class is not ModelIterable:  # rows as instances
        return False
    query = queryset.query
    return not (query.distinct or query.combinator or query.is_sliced)


def with_total(queryset) -> QuerySet:
    """`queryset` with every row annotated by the number of rows the whole queryset holds."""
    counted = queryset.order_by().values("pk")
    sql, params = counted.query.sql_with_params()
    count = f"SELECT COUNT(*) FROM ({sql}) AS counted"  # noqa: S608 (Django's own SQL for the queryset, with params)
    return queryset.annotate(**{TOTAL: RawSQL(count, params, IntegerField())})  # noqa: S611


def page_and_total(queryset, start: int, stop: int) -> tuple[list, int | None]:
    """The rows [start:stop] and the total (None when it must be counted apart: nothing on this page)."""
    if not can_fold(queryset):
        return list(queryset[start:stop]), queryset.count()
    try:
        folded = with_total(queryset)
    except EmptyResultSet:  # a filter Django knows matches nothing (an id beyond the column's range): no rows
        return [], 0
    rows = list(folded[start:stop])
    return rows, (getattr(rows[0], TOTAL) if rows else None)


class Paginator(paginator.Paginator):
    """Django's Paginator, whose page costs one query instead of two (the count rides with the rows). A page past
    the end shows the last page, as Django's `get_page` does, however large the number (no row offset past
    PostgreSQL's bigint is ever sent: the number is checked against the count first)."""

    def get_page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        start = (number - 1) * self.per_page
        if (
            1 <= number
            and start + self.per_page <= BIGINT_MAX
            and "count" not in self.__dict__
            and can_fold(self.object_list)
        ):
            rows, total = page_and_total(self.object_list, start, start + self.per_page)
            if total is not None:
                self.__dict__["count"] = total  # the cached_property, filled without a query of its own
                if rows and self.validate_number(number) == number and len(rows) > self.orphans:
                    return self._get_page(rows, number, self)
        return super().get_page(number)

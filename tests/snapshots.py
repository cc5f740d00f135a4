"""What a refused write must leave untouched: the row count of every table of the three apps and of the accounts
(users, their groups and permissions: adding staff writes there), and one row's fields."""

from django.apps import apps
from django.db import connection

TRACKED_APPS = ("pillars", "partnerships", "evaluations", "frameworks", "federation", "auth")


def tracked_tables() -> list[str]:
    """Every table of the three apps and of auth: their models, many-to-many tables and simple-history tables."""
    models = [m for label in TRACKED_APPS for m in apps.get_app_config(label).get_models(include_auto_created=True)]
    return sorted({model._meta.db_table for model in models})


def snapshot(target=None) -> tuple[dict[str, int], dict | None]:
    """The row count of every tracked table (one query), and every field of `target`'s row as stored."""
    tables = tracked_tables()
    with connection.cursor() as cursor:
        # the table names come from our own models, quoted by the backend: nothing here is user input
        counts_sql = ", ".join(f"(SELECT count(*) FROM {connection.ops.quote_name(table)})" for table in tables)  # noqa: S608
        cursor.execute(f"SELECT {counts_sql}")  # noqa: S608
        counts = dict(zip(tables, cursor.fetchone(), strict=True))
    row = type(target).objects.filter(pk=target.pk).values().first() if target is not None else None
    return counts, row


def changed_tables(before: tuple, after: tuple) -> set[str]:
    return {table for table, count in after[0].items() if count != before[0][table]}

"""Many-to-many relations prefetched in one `values()` query on the through table (issue 27).

Django prefetches `prefetch_related("districts")` by building the related manager of every row, an `__in` filter
over the row objects and a queryset clone per row: on a cold API list of 50 programs with three such relations that
was about 40 % of the time (bench/profile.py). Here each relation is one query on the through table, joined to the
related table, reading the source id and the related row's columns (`values_list`); the related rows are made with
`Model.from_db`, one object per related row, and attached to each source row as Django attaches them
(`_prefetched_objects_cache`, which the related manager, `prefetch_related_objects` and the serializers read).
The order is the related model's, as the related manager orders, so the output is the same (tests/test_prefetch.py).

Used by every RestrictedQuerySet (smartcity.policy) for the plain lookups it can answer: a bare many-to-many name
of the model itself, forward or reverse, whose related model's default manager neither filters nor orders by
anything but field names. Every other lookup (nested, `Prefetch` objects, reverse foreign keys) is Django's."""

from collections import defaultdict
from functools import cache

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet

ENABLED = True  # False: every lookup is Django's own (tests compare the two)


def prefetch_many_to_many(instances: list, lookups) -> list:
    """Attach the many-to-many relations named in `lookups` that this module can read to `instances`; the lookups
    left for `prefetch_related_objects`."""
    if not ENABLED or not instances or not isinstance(instances[0], models.Model):
        return list(lookups)
    model, rest = type(instances[0]), []
    for lookup in lookups:
        plan = isinstance(lookup, str) and _plan(model, lookup)
        if plan:
            _attach(instances, lookup, plan)
        else:
            rest.append(lookup)
    return rest


def _plan(model, name: str):
    """(through, source column, target relation, target model, ordering) of the relation `name`, or None."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a property, a nested lookup: Django answers it
        return None
    if not field.many_to_many or not field.auto_created and field.model is not model:
        return None
    if field.auto_created:  # reverse: the relation is declared on the other model
        remote = field.remote_field
        if field.get_accessor_name() != name or remote.related_query_name() != name:
            return None  # the related manager caches under its query name: only when the two agree
        through = remote.remote_field.through
        source, target = remote.m2m_reverse_field_name(), remote.m2m_field_name()
        target_model = field.related_model
    else:
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        target_model = field.related_model
    base = target_model._default_manager.all()
    if base.query.where or base.query.extra or base.query.annotations:
        return None  # a manager that filters: the related manager would apply it
    ordering = list(base.query.order_by or target_model._meta.ordering)
    if not all(isinstance(term, str) and term != "?" for term in ordering):
        return None
    return through, source, target, target_model, ordering, type(base)


def _attach(instances: list, name: str, plan) -> None:
    through, source, target, target_model, ordering, queryset_class = plan
    pending = [row for row in instances if name not in getattr(row, "_prefetched_objects_cache", {})]
    if not pending:
        return
    source_attname = through._meta.get_field(source).attname
    attnames = [field.attname for field in target_model._meta.concrete_fields]
    db = pending[0]._state.db or "default"
    rows = (
        through._base_manager.using(db)
        .filter(**{f"{source_attname}__in": {row.pk for row in pending}})
        .order_by(*(_prefixed(term, target) for term in ordering))
        .values_list(source_attname, *(f"{target}__{attname}" for attname in attnames))
    )
    related, by_source = {}, defaultdict(list)
    pk_index = attnames.index(target_model._meta.pk.attname)
    for source_id, *values in rows:
        obj = related.get(values[pk_index])
        if obj is None:
            obj = related[values[pk_index]] = target_model.from_db(db, attnames, values)
        by_source[source_id].append(obj)
    rows_class = prefetched_rows_class(queryset_class)
    template = _template(rows_class, target_model, db)
    for row in pending:
        cache_of_row = row.__dict__.setdefault("_prefetched_objects_cache", {})
        cache_of_row[name] = _rows(rows_class, template, by_source[row.pk], row, name)


def _prefixed(term: str, relation: str) -> str:
    return f"-{relation}__{term[1:]}" if term.startswith("-") else f"{relation}__{term}"


class PrefetchedRows:
    """One row's prefetched related rows, of the related model's own queryset class (mixed in). Read as Django's
    prefetched queryset reads (its results are set); its query, needed only to filter it further, is the related
    manager's, built when first asked for."""

    @property
    def query(self):
        if self._query is None:
            cache = self._owner._prefetched_objects_cache
            mine = cache.pop(self._relation)
            try:
                self._query = getattr(self._owner, self._relation).all().query
            finally:
                cache[self._relation] = mine
        return super().query

    @query.setter
    def query(self, value):
        self._query = value

    def __reduce__(self):
        """Pickled by the queryset class it was made from (the class made for it has no importable name)."""
        return _restored, (type(self).queryset_class,), self.__getstate__()


def _restored(queryset_class):
    rows_class = prefetched_rows_class(queryset_class)
    return rows_class.__new__(rows_class)


@cache
def prefetched_rows_class(queryset_class: type[QuerySet]) -> type:
    return type(
        f"Prefetched{queryset_class.__name__}", (PrefetchedRows, queryset_class), {"queryset_class": queryset_class}
    )


def _template(rows_class, model, db) -> dict:
    """The attributes of an empty queryset of `model`, copied for each row: cheaper than building a queryset (and
    its SQL query) per row."""
    queryset = rows_class(model=model, using=db)
    queryset._query = None
    queryset._prefetch_done = True
    return dict(queryset.__dict__)


def _rows(rows_class, template: dict, results: list, owner, relation: str):
    queryset = rows_class.__new__(rows_class)
    queryset.__dict__.update(template)
    queryset._result_cache, queryset._owner, queryset._relation = results, owner, relation
    return queryset

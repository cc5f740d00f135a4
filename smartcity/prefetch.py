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
anything but field names. Every other lookup (nested ones, reverse foreign keys named bare) is Django's.

A `Prefetch` of a reverse foreign key with a queryset of its own (`Prefetch("indicator_links", queryset=links)`,
the links a caller may see; issue 27: 18 % of the cold API list) is read as one query too: the queryset itself,
narrowed to the page's rows, its rows attached as Django attaches them (the list under `to_attr`, or the related
manager's cache) without building a related manager and a filtered queryset clone per row. The query is the one
Django runs, so who sees which rows is decided by the same SQL."""

from collections import defaultdict
from functools import cache

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.db.models.fields.reverse_related import ManyToOneRel
from django.db.models.query import ModelIterable

ENABLED = True  # False: every lookup is Django's own (tests compare the two)


def prefetch_many_to_many(instances: list, lookups) -> list:
    """Attach the many-to-many relations named in `lookups`, and the reverse foreign keys prefetched with a queryset
    of their own, that this module can read to `instances`; the lookups left for `prefetch_related_objects`."""
    if not ENABLED or not instances or not isinstance(instances[0], models.Model):
        return list(lookups)
    model, rest = type(instances[0]), []
    for lookup in lookups:
        if isinstance(lookup, str) and (plan := _plan(model, lookup)):
            _attach(instances, lookup, plan)
        elif isinstance(lookup, Prefetch) and (plan := _reverse_plan(model, lookup)):
            _attach_reverse(instances, lookup, plan)
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
    manager's (narrowed by the `Prefetch`'s own query, `_narrowed_by`, as Django narrows it), built when first
    asked for."""

    _narrowed_by = None

    @property
    def query(self):
        if self._query is None:
            cache = self._owner._prefetched_objects_cache
            mine = cache.pop(self._relation)
            try:
                manager = getattr(self._owner, self._relation)
                if self._narrowed_by is None:
                    self._query = manager.all().query
                else:
                    narrowed = self.queryset_class(model=self.model, query=self._narrowed_by.chain(), using=self._db)
                    self._query = manager._apply_rel_filters(narrowed).query
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


def _reverse_plan(model, lookup: Prefetch):
    """(foreign key, queryset) of a `Prefetch` of a reverse foreign key of `model` whose queryset reads model rows
    (any filters, ordering, `select_related`; not sliced, no prefetches of its own), or None."""
    name = lookup.prefetch_through
    try:
        relation = model._meta.get_field(name) if "__" not in name else None
    except FieldDoesNotExist:
        return None
    if not isinstance(relation, ManyToOneRel) or relation.one_to_one or relation.get_accessor_name() != name:
        return None
    foreign_key = relation.field
    if foreign_key.target_field != model._meta.pk or relation.cache_name != name:
        return None
    queryset = lookup.queryset if lookup.queryset is not None else relation.related_model._default_manager.all()
    if (
        queryset.model is not relation.related_model
        or queryset._iterable_class is not ModelIterable
        or queryset._prefetch_related_lookups
        or queryset.query.is_sliced
        or queryset.query.combinator
    ):
        return None
    return foreign_key, queryset


def _attach_reverse(instances: list, lookup: Prefetch, plan) -> None:
    foreign_key, queryset = plan
    name, to_attr = lookup.prefetch_through, lookup.to_attr
    pending = instances if to_attr else [row for row in instances if name not in _cached(row)]
    if not pending:
        return
    db = queryset._db or pending[0]._state.db or "default"
    owners = {row.pk: row for row in pending}
    by_owner = defaultdict(list)
    for obj in queryset.using(db).filter(**{f"{foreign_key.attname}__in": set(owners)}):
        owner = owners[getattr(obj, foreign_key.attname)]
        foreign_key.set_cached_value(obj, owner)  # as Django's prefetch does: `link.program` asks nothing
        by_owner[owner.pk].append(obj)
    if to_attr:
        for row in pending:
            setattr(row, to_attr, by_owner[row.pk])
        return
    rows_class = prefetched_rows_class(type(queryset))
    template = _template(rows_class, queryset.model, db) | {"_narrowed_by": queryset.query}
    for row in pending:
        row.__dict__.setdefault("_prefetched_objects_cache", {})[name] = _rows(
            rows_class, template, by_owner[row.pk], row, name
        )


def _cached(row) -> dict:
    return getattr(row, "_prefetched_objects_cache", {})

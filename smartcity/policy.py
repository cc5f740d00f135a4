"""Who may see and who may change a model's rows, declared once per model and read by every door.

Each app declares a `Policy` on its model's queryset (`policy = Policy(owner="lead_agency", public=PUBLISHED)`).
`RestrictedQuerySet.restrict(user, action)` (NetBox's name) answers the rows `user` may `view`, `change` or
`delete`; the writer checks the owner on the row as it stands and as it would become (`Policy.rule`); the admin
lists `restrict(user, "view" | "change")` and narrows the choices of the owner's relation (`owner_choices`);
public pages read `public()`; the API reads `restrict(user, "view")`, also for the rows a relation names
(`smartcity/api/relations.py`). The core names no app: an agency is any row with `members`, a partner's caller
any user with a `partner_id`.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import islice

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q, prefetch_related_objects
from django.db.models.query import ModelIterable
from django.utils.translation import gettext as _

from smartcity import scoping
from smartcity.prefetch import prefetch_many_to_many

ACTIONS = ("view", "change", "delete")


@dataclass(frozen=True)
class Public:
    """Which rows citizens see: `rows(queryset)` in SQL, and `row(obj)` from the row's own columns where that is
    enough (None: only the database can tell, e.g. a condition on another table)."""

    rows: Callable[[models.QuerySet], models.QuerySet]
    row: Callable[[models.Model], bool] | None = None


EVERYONE = Public(lambda queryset: queryset.all(), lambda obj: True)
NOBODY = Public(lambda queryset: queryset.none(), lambda obj: False)
PUBLISHED = Public(lambda queryset: queryset.published(), lambda obj: obj.is_public)


@dataclass(frozen=True)
class Policy:
    """One model's access rule.

    - `public`: which rows citizens see (EVERYONE, NOBODY, PUBLISHED or a `Public` of the model's own);
    - `parent`: the path to a parent row: a row is public only while its parent is public too;
    - `owner`: the path (or paths, the first one set wins) to the owning agency. OPD editors change only their own
      agencies' rows; `city_wide=True` instead: only Diskominfo (`manage_all_agencies`) changes the rows;
    - `all_agencies_perm`: a permission whose holders act for every agency on this model (assessors);
    - `staff_view_owned`: holders of the view permission see only their own agencies' rows (feedback), except
      holders of `view_all_perm` (assessors see every clarification request);
    - `partner`: the path to a partner whose API key (a caller with `partner_id`) also sees the row."""

    public: Public = NOBODY
    parent: str = ""
    owner: str | tuple[str, ...] = ()
    city_wide: bool = False
    all_agencies_perm: str = ""
    staff_view_owned: bool = False
    view_all_perm: str = ""
    partner: str = ""

    @property
    def owners(self) -> tuple[str, ...]:
        return (self.owner,) if isinstance(self.owner, str) else tuple(self.owner)

    @property
    def scoped(self) -> bool:
        """Do OPD editors change only some rows of this model?"""
        return self.city_wide or bool(self.owners)

    def acts_for_all(self, user) -> bool:
        if scoping.manages_all_agencies(user):
            return True
        return bool(self.all_agencies_perm) and user.has_perm(self.all_agencies_perm)

    def views_all(self, user) -> bool:
        """Does a holder of the view permission see every row (not only their own agencies')?"""
        if not self.staff_view_owned or self.acts_for_all(user):
            return True
        return bool(self.view_all_perm) and user.has_perm(self.view_all_perm)

    # --- on one row in Python (the writer's rule) ---------------------------------------------------------------
    def owner_of(self, row):
        """The agency owning `row` as it stands or would become (None: a city-wide row, or one not yet named)."""
        for path in self.owners:
            agency = _walk(row, path)
            if agency is not None:
                return agency
        return None

    def may_change(self, actor, row) -> bool:
        if not self.scoped or self.acts_for_all(actor):
            return True
        agency = self.owner_of(row) if self.owners else None
        return agency is not None and agency.members.filter(pk=actor.pk).exists()

    def require(self, actor, row) -> None:
        if not self.may_change(actor, row):
            raise PermissionDenied(_("You may only edit the records of your own agency."))

    def rule(self, *, before, after, many, actor) -> None:
        """The writer's agency rule: the actor may change the row as it stands and as it would become."""
        for row in (before, after):
            if row is not None:
                self.require(actor, row)

    # --- in SQL --------------------------------------------------------------------------------------------------
    def owned_q(self, model, user) -> Q:
        """The rows of `model` owned by one of `user`'s agencies (every row for those who act for all)."""
        if not self.scoped or self.acts_for_all(user):
            return Q()
        condition = Q(pk__in=[])
        if getattr(user, "pk", None) is None:
            return condition  # an anonymous caller or a partner's key belongs to no agency
        for path in self.owners:
            agency_model = model_at(model, path)
            agencies = agency_model._base_manager.filter(members=user).values("pk")
            condition |= _path_q(model, path, f"{path}__in", agencies)
        return condition


def _walk(row, path: str):
    from smartcity.services import related

    for name in path.split("__"):
        if row is None:
            return None
        row = related(row, name)
    return row


def model_at(model, path: str):
    """The model a `__`-path from `model` reaches."""
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


def _single_valued(model, path: str) -> bool:
    for name in path.split("__"):
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return False
        model = field.related_model
    return True


def _path_q(model, path: str, lookup: str, value) -> Q:
    """`Q(lookup=value)`, through a subquery when the path crosses a to-many relation (no duplicated rows)."""
    if _single_valued(model, path):
        return Q(**{lookup: value})
    return Q(pk__in=model._base_manager.filter(**{lookup: value}).values("pk"))


def holds_view_perm(user, model) -> bool:
    """Remembered on the user object (one request's), as Django's ModelBackend remembers a user's permissions:
    a list of 50 rows with relations asks this hundreds of times, and each `has_perm` walks every backend."""
    if user is None:
        return False
    opts = model._meta
    perm = f"{opts.app_label}.view_{opts.model_name}"
    held = user.__dict__.setdefault("_view_perm_cache", {})
    if perm not in held:
        held[perm] = user.has_perm(perm)
    return held[perm]


def policy_of(model) -> Policy | None:
    """The model's declared policy (on its default manager's queryset class), None for a model without one."""
    queryset_class = getattr(model._default_manager, "_queryset_class", None)
    return getattr(queryset_class, "policy", None)


class RestrictedQuerySet(models.QuerySet):
    """A queryset that answers who may see and change its rows from the model's `policy`."""

    policy = Policy()

    def _prefetch_related_objects(self):
        """Plain many-to-many lookups in one `values()` query each (smartcity.prefetch), the others as Django does."""
        _prefetch(self._result_cache, self._prefetch_related_lookups)
        self._prefetch_done = True

    def _iterator(self, use_chunked_fetch, chunk_size):
        """`iterator(chunk_size=…)` (the downloads) prefetches each chunk as a list's rows are prefetched."""
        if not self._prefetch_related_lookups or chunk_size is None:
            yield from super()._iterator(use_chunked_fetch, chunk_size)
            return
        iterator = iter(self._iterable_class(self, chunked_fetch=use_chunked_fetch, chunk_size=chunk_size))
        while results := list(islice(iterator, chunk_size)):
            _prefetch(results, self._prefetch_related_lookups)
            yield from results

    def __init_subclass__(cls, **kwargs):
        """The older spelling (`parent_field`, `agency_field` on the queryset) still declares the policy."""
        super().__init_subclass__(**kwargs)
        if "policy" in cls.__dict__:
            return
        changes = {}
        parent, agency = getattr(cls, "parent_field", ""), getattr(cls, "agency_field", "")
        if parent and ("parent_field" in cls.__dict__ or not cls.policy.parent):
            changes["parent"] = parent
        if agency and not cls.policy.city_wide and ("agency_field" in cls.__dict__ or not cls.policy.owners):
            changes["owner"] = agency
        if changes:
            cls.policy = replace(cls.policy, **changes)

    def public(self):
        """What citizens see (everyone, staff included, on the public pages)."""
        rows = self.policy.public.rows(self)
        if self.policy.parent:
            parent = model_at(self.model, self.policy.parent)
            rows = rows.filter(**{f"{self.policy.parent}__in": parent._default_manager.public().values("pk")})
        return rows

    def restrict(self, user, action: str = "view"):
        """The rows `user` may `view`, `change` or `delete` as far as the rows go (the owning agency); the model
        permission (`change_program`) is each door's own check, as before. No user is the system: it changes every
        row and sees what the public sees."""
        if action == "view":
            return self._viewable(user)
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        return self.filter(self.policy.owned_q(self.model, user))

    def _viewable(self, user):
        policy = self.policy
        if holds_view_perm(user, self.model):
            return self.all() if policy.views_all(user) else self.filter(policy.owned_q(self.model, user))
        partner_id = getattr(user, "partner_id", None)
        if partner_id and policy.partner:
            own = _path_q(self.model, policy.partner, policy.partner, partner_id)
            return self.filter(Q(pk__in=self.public().values("pk")) | own)
        return self.public()

    def with_visible(self, user, *relations: str):
        """Each named to-one relation joined (`select_related`) and read as None where `user` may not view the
        related row, for pages that show a related row's name. Decided from the joined columns where they are
        enough (a partner's publication), else by one query per relation for the whole page: never per row."""
        iterable = type("VisibleRelationsIterable", (_VisibleRelationsIterable,), {"user": user, "names": relations})
        queryset = self.select_related(*relations)
        queryset._iterable_class = iterable
        return queryset

    # The vocabulary the apps spoke before, kept as aliases of the one rule.
    def visible_to(self, user):
        return self.restrict(user, "view")

    def editable_by(self, user):
        return self.restrict(user, "change")


def _prefetch(rows: list, lookups) -> None:
    rest = prefetch_many_to_many(rows, lookups)
    if rest:
        prefetch_related_objects(rows, *rest)


class _VisibleRelationsIterable(ModelIterable):
    user = None
    names: tuple[str, ...] = ()

    def __iter__(self):
        rows = list(super().__iter__())
        for name in self.names:
            _hide_unseen(rows, name, self.user)
        yield from rows


def _hide_unseen(rows, name: str, user) -> None:
    field = rows[0]._meta.get_field(name) if rows else None
    related = [(row, field.get_cached_value(row, None)) for row in rows] if field is not None else []
    related = [(row, value) for row, value in related if value is not None]
    unknown = {value.pk for _row, value in related if row_visible(user, value) is None}
    seen = set()
    if unknown:
        queryset = field.related_model._default_manager.restrict(user, "view")
        seen = set(queryset.filter(pk__in=unknown).values_list("pk", flat=True))
    for row, value in related:
        visible = row_visible(user, value)
        if not (visible or (visible is None and value.pk in seen)):
            field.set_cached_value(row, None)


def visible_value(model, relation: str, user, column: str):
    """An expression for `values()`/`annotate()`: the related row's `column` when `user` may view that row, else
    None (one subquery, not a query per row): a values() list naming a related row's name shows only visible ones."""
    visible = model_at(model, relation)._default_manager.restrict(user, "view").values("pk")
    return models.Case(models.When(**{f"{relation}__in": visible}, then=models.F(f"{relation}__{column}")))


def sees_every_row(user, model) -> bool:
    """Would `restrict(user, "view")` answer every row of `model`? (Then nothing needs checking per row.)"""
    policy = policy_of(model)
    if policy is None:
        return True
    if holds_view_perm(user, model):
        return policy.views_all(user)
    return policy.public is EVERYONE and not policy.parent


def row_visible(user, obj) -> bool | None:
    """May `user` view `obj`, judged from the row's own loaded columns alone? None: only the database can tell."""
    model = type(obj)
    policy = policy_of(model)
    if policy is None or sees_every_row(user, model):
        return True
    if holds_view_perm(user, model) or policy.parent or policy.public.row is None:
        return None
    if policy.public.row(obj):
        return True
    partner_id = getattr(user, "partner_id", None)
    if partner_id and policy.partner:
        return obj.pk == partner_id if policy.partner == "pk" else None
    return False


def owner_choices(model, field_name: str, user):
    """The rows `user` may name in `model.field_name` as the writer's agency rule allows, or None when every row
    will do: a relation on the owner's path narrows to the rows of the user's own agencies (a measurement's
    indicator, a program's lead agency); any other relation (a program's pillar) is not narrowed here."""
    policy = policy_of(model)
    if policy is None or not policy.owners or policy.acts_for_all(user):
        return None
    try:
        field = model._meta.get_field(field_name)
    except FieldDoesNotExist:
        return None
    related_model = field.related_model
    rests = [path.split("__", 1) for path in policy.owners]
    rests = [parts[1] if len(parts) > 1 else "" for parts in rests if parts[0] == field_name]
    if not rests or related_model is None:
        return None
    condition = Q(pk__in=[])
    for rest in rests:
        agencies_of_user = model_at(related_model, rest) if rest else related_model
        agencies = agencies_of_user._base_manager.filter(members=user).values("pk")
        condition |= _path_q(related_model, rest, f"{rest}__in", agencies) if rest else Q(pk__in=agencies)
    return related_model._default_manager.filter(condition)

"""One access policy per model (issue 24): `restrict(user, action)`, the model's writer, its admin (change list,
change permission, choices) and its API agree, for every model whose rows belong to an agency (or to the city),
for an OPD editor of agency A, an OPD editor of agency B, a Diskominfo editor and an anonymous caller. And the
admin's choices list only what the person may use (issue 22): an OPD editor's measurement form offers only their
agency's indicators, and another agency's indicator posted anyway is an invalid choice that saves nothing."""

import importlib

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from evaluations.models import ClarificationRequest, FollowUpAction
from pillars.models import (
    Activity,
    BudgetLine,
    DigitalService,
    Feedback,
    Indicator,
    IndicatorTarget,
    InfrastructureAsset,
    Masterplan,
    Measurement,
    Milestone,
    Program,
)
from smartcity import services as core_services
from smartcity.policy import owner_choices, policy_of
from smartcity.roles import DISKOMINFO_EDITOR, OPD_EDITOR
from smartcity.services import writer_for
from tests.factories import UserFactory
from tests.test_permission_matrix import World

pytestmark = pytest.mark.django_db

ROWS = {  # model: the World's row of one agency's side
    Program: World.program,
    Milestone: World.milestone,
    BudgetLine: World.budget_line,
    Activity: World.activity,
    Indicator: World.indicator,
    IndicatorTarget: World.target,
    Measurement: World.measurement,
    DigitalService: World.service,
    Feedback: World.feedback,
    FollowUpAction: World.follow_up,
    ClarificationRequest: World.clarification,
    InfrastructureAsset: World.asset,  # city-wide: Diskominfo only
    Masterplan: lambda world, side: world.masterplan,
}
ROLES = ("opd_editor_of_a", "opd_editor_of_b", "diskominfo", "anonymous")


class RolledBackError(Exception):
    pass


def _users(world) -> dict:
    users = {"anonymous": AnonymousUser()}
    for name, group, agency in (
        ("opd_editor_of_a", OPD_EDITOR, world.agency_a),
        ("opd_editor_of_b", OPD_EDITOR, world.agency_b),
        ("diskominfo", DISKOMINFO_EDITOR, None),
    ):
        user = UserFactory(is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        if agency is not None:
            agency.members.add(user)
        users[name] = type(user).objects.get(pk=user.pk)  # no permission cache from before the group
    return users


def _writer_accepts(row, user) -> bool:
    """Does the model's writer accept an update of `row` by `user` (changing nothing, then rolled back)?"""
    try:
        with transaction.atomic():
            writer_for(type(row)).update(instance=row, data={}, actor=user)
            raise RolledBackError
    except RolledBackError:
        return True
    except (PermissionDenied, ValidationError, Http404):
        return False


def _api_route(model):
    """(route name, lookup field) of the model's RecordViewSet, or None when it has no API."""
    for app in ("pillars", "partnerships", "evaluations", "frameworks", "federation"):
        urls = importlib.import_module(f"{app}.api.urls")
        for _prefix, viewset, basename in urls.router.registry:
            if getattr(viewset, "queryset", None) is not None and viewset.queryset.model is model:
                return f"{urls.app_name}:{basename}-detail", getattr(viewset, "lookup_field", "pk")
    return None


def _api(model, row, user) -> tuple[bool, bool]:
    """(may the API read `row`?, may it change it?) for `user`."""
    route = _api_route(model)
    client = APIClient()
    if not isinstance(user, AnonymousUser):
        client.force_authenticate(user)
    url = reverse(route[0], args=[getattr(row, route[1])])
    read = client.get(url).status_code == 200
    with transaction.atomic():
        changed = client.patch(url, {}, format="json").status_code == 200
        transaction.set_rollback(True)
    return read, changed


def test_every_registered_writer_has_a_policy():
    for app in ("pillars", "partnerships", "evaluations", "frameworks", "federation"):
        importlib.import_module(f"{app}.services")
    missing = [model._meta.label for model in core_services._WRITERS if policy_of(model) is None]
    assert not missing


@pytest.mark.parametrize("model", list(ROWS), ids=lambda model: model._meta.label)
def test_restrict_the_writer_the_admin_and_the_api_agree(model):
    world = World()
    rows = {side: ROWS[model](world, side) for side in "ab"}
    users = _users(world)
    model_admin = admin.site._registry.get(model)  # milestones and targets are edited in their parent's inlines
    for role in ROLES:
        user = users[role]
        for side, row in rows.items():
            where = f"{role} on {side}'s {model._meta.label}"
            may_view = model.objects.restrict(user, "view").filter(pk=row.pk).exists()
            holds_perm = user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")
            may_change = holds_perm and model.objects.restrict(user, "change").filter(pk=row.pk).exists()
            assert model.objects.visible_to(user).filter(pk=row.pk).exists() == may_view, where  # the aliases
            in_editable = model.objects.editable_by(user).filter(pk=row.pk).exists()
            assert in_editable == model.objects.restrict(user, "change").filter(pk=row.pk).exists(), where
            assert _writer_accepts(row, user) == may_change, where
            if role != "anonymous" and model_admin is not None:
                request = RequestFactory().get("/admin/")
                request.user = user
                assert model_admin.has_change_permission(request, row) == may_change, where
                listed = model_admin.get_queryset(request).filter(pk=row.pk).exists()
                lists_changeable = model_admin.list_scope == "change" and model_admin.has_change_permission(request)
                assert listed == (may_change if lists_changeable else may_view), where
            if _api_route(model) is not None:
                assert _api(model, row, user) == (may_view, may_change), where
    # The roles differ as the policy says: each OPD editor changes only their own agency's rows.
    owned = bool(policy_of(model).owners)
    change = {role: model.objects.restrict(users[role], "change") for role in ROLES}
    assert set(change["diskominfo"].filter(pk__in=[r.pk for r in rows.values()])) == set(rows.values())
    assert set(change["opd_editor_of_a"].filter(pk__in=[r.pk for r in rows.values()])) <= {rows["a"]}
    if policy_of(model).scoped:
        assert not change["anonymous"].exists()
    if owned and change["opd_editor_of_a"].exists():
        assert not change["opd_editor_of_a"].filter(pk=rows["b"].pk).exists()


# --- the admin's choices (issue 22 item 4) --------------------------------------------------------------------------
def _opd_editor(world, side="a"):
    return _users(world)[f"opd_editor_of_{side}"]


def test_an_opd_editors_measurement_form_lists_only_their_agencys_indicators(client):
    world = World()
    own, other = world.indicator("a"), world.indicator("b")
    client.force_login(_opd_editor(world))
    form = client.get(reverse("admin:pillars_measurement_add")).context["adminform"].form
    assert set(form.fields["indicator"].queryset) == {own}
    assert other.pk not in [choice for choice, _label in form.fields["indicator"].choices if choice]


def test_another_agencys_indicator_posted_anyway_is_an_invalid_choice_and_nothing_is_saved(client):
    world = World()
    other = world.indicator("b")
    client.force_login(_opd_editor(world))
    data = {"indicator": other.pk, "measured_on": "2024-01-15", "value": "12", "source_note": "", "row_version": ""}
    response = client.post(reverse("admin:pillars_measurement_add"), data)
    assert response.status_code == 200  # the form again, with its error
    assert "indicator" in response.context["adminform"].form.errors
    assert not Measurement.objects.exists()


def test_choices_follow_the_owner_path_only():
    """A relation on the owner's path narrows (a program's lead agency, a follow-up's agency, a target's indicator);
    reference data (a program's pillar) and a relation the rule does not read (an activity's program) do not."""
    world = World()
    editor = _opd_editor(world)
    world.program("b"), world.indicator("b")
    assert set(owner_choices(Program, "lead_agency", editor)) == {world.agency_a}
    assert set(owner_choices(FollowUpAction, "owner_agency", editor)) == {world.agency_a}
    assert set(owner_choices(IndicatorTarget, "indicator", editor)) == set(
        Indicator.objects.filter(owner_agency=world.agency_a)
    )
    assert set(owner_choices(Milestone, "program", editor)) == set(Program.objects.filter(lead_agency=world.agency_a))
    assert owner_choices(Program, "pillar", editor) is None
    assert owner_choices(Activity, "program", editor) is None
    assert owner_choices(Measurement, "indicator", _users(world)["diskominfo"]) is None


def test_inlines_and_autocomplete_narrow_the_same_way():
    """Inlines share the admin's choice narrowing; the autocomplete of a relation on the owner's path (a
    measurement's indicator) answers only the rows the form accepts."""
    from smartcity.admin import PolicyChoicesMixin, ServiceAdmin, ServiceInlineMixin

    assert issubclass(ServiceInlineMixin, PolicyChoicesMixin) and issubclass(ServiceAdmin, PolicyChoicesMixin)


def test_the_autocomplete_answers_only_the_rows_the_form_accepts(client):
    world = World()
    own, other = world.indicator("a"), world.indicator("b")
    client.force_login(_opd_editor(world))
    query = {"app_label": "pillars", "model_name": "measurement", "field_name": "indicator", "term": ""}
    answer = client.get(reverse("admin:autocomplete"), query)
    assert answer.status_code == 200
    assert {int(item["id"]) for item in answer.json()["results"]} == {own.pk}
    assert other.pk != own.pk

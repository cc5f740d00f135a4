"""One record, described once: each import/export file takes its columns from the record's API serializer, and every
field of the model is in that list or named out, with a reason, in the app's LEFT_OUT (pillars/resources.py)."""

import pytest
from django.contrib import admin
from django.core.management import call_command

from pillars.management.commands.import_records import RESOURCES
from pillars.models import Program
from pillars.resources import LEFT_OUT, ProgramResource
from smartcity.resources import ServiceResource
from smartcity.roles import DISKOMINFO_EDITOR


def registered_resources() -> set[type]:
    """Every resource a door imports through: the admin's import pages and `manage.py import_records`."""
    found = set(RESOURCES.values())
    for model_admin in admin.site._registry.values():
        found.update(getattr(model_admin, "resource_classes", None) or [])
    return {resource for resource in found if issubclass(resource, ServiceResource)}


def model_fields(model) -> list[str]:
    """The fields a row stores: concrete columns and its own many-to-many fields (not reverse relations)."""
    return [
        field.name
        for field in model._meta.get_fields()
        if (field.concrete or field.many_to_many) and not field.auto_created or field is model._meta.pk
    ]


RESOURCES_UNDER_GUARD = sorted(registered_resources(), key=lambda resource: resource.__name__)


def test_the_guard_sees_every_portfolio_import():
    assert {resource.__name__ for resource in RESOURCES_UNDER_GUARD} >= {
        "ProgramResource",
        "IndicatorResource",
        "MeasurementResource",
        "BudgetLineResource",
        "ActivityResource",
        "DigitalServiceResource",
        "InfrastructureAssetResource",
    }


@pytest.mark.parametrize("resource", RESOURCES_UNDER_GUARD, ids=lambda resource: resource.__name__)
def test_every_model_field_is_in_the_record_or_left_out_with_a_reason(resource):
    assert resource.record_serializer is not None, f"{resource.__name__} names no record_serializer"
    model = resource._meta.model
    assert resource.record_serializer.Meta.model is model
    listed, left_out = set(resource.record_serializer.Meta.fields), LEFT_OUT.get(model, {})
    unaccounted = [name for name in model_fields(model) if name not in listed and name not in left_out]
    assert not unaccounted, f"{model.__name__}: add {unaccounted} to its serializer, or to LEFT_OUT with a reason"
    assert all(str(reason).strip() for reason in left_out.values())
    stale = [name for name in left_out if name not in listed and name not in model_fields(model)]
    assert not stale, f"LEFT_OUT[{model.__name__}] names fields that no longer exist: {stale}"


@pytest.mark.parametrize("resource", RESOURCES_UNDER_GUARD, ids=lambda resource: resource.__name__)
def test_the_file_columns_are_the_serializer_fields_less_those_left_out(resource):
    left_out = LEFT_OUT.get(resource._meta.model, {})
    expected = [name for name in resource.record_serializer.Meta.fields if name not in left_out]
    assert [field.column_name for field in resource().get_import_fields()] == expected


@pytest.mark.django_db
def test_a_program_file_carries_its_masterplan_and_districts(tmp_path, make_user):
    """ProgramResource had drifted from the API: no masterplan and no districts columns."""
    from django.contrib.auth.models import Group

    from tests.pillars.factories import AgencyFactory, DistrictFactory, MasterplanFactory

    user = make_user(username="importer")
    user.groups.add(Group.objects.get(name=DISKOMINFO_EDITOR))
    agency, masterplan = AgencyFactory(slug="dishub"), MasterplanFactory()
    DistrictFactory(code="13.71.01"), DistrictFactory(code="13.71.02")
    path = tmp_path / "programs.csv"
    path.write_text(
        "slug,title_ind,pillar,lead_agency,horizon,stage,progress,first_year,last_year,publication,masterplan,districts\n"
        f"parkir,Parkir,living,dishub,short,planned,0,2024,2025,published,{masterplan.pk},13.71.01|13.71.02\n"
    )
    call_command("import_records", "programs", str(path), "--user", "importer", verbosity=0)
    program = Program.objects.get(slug="parkir")
    assert program.masterplan == masterplan and program.lead_agency == agency
    assert sorted(program.districts.values_list("code", flat=True)) == ["13.71.01", "13.71.02"]
    exported = ProgramResource().export(queryset=Program.objects.filter(pk=program.pk)).dict[0]
    assert str(exported["masterplan"]) == str(masterplan.pk)
    assert sorted(exported["districts"].split("|")) == ["13.71.01", "13.71.02"]


# --- the admin: its change form shows the same record -------------------------------------------------------------
def record_admins() -> list:
    """Every registered admin whose model has a record serializer (through its import resource)."""
    models = {resource._meta.model for resource in RESOURCES_UNDER_GUARD}
    return sorted(
        (model_admin for model, model_admin in admin.site._registry.items() if model in models),
        key=lambda model_admin: model_admin.model.__name__,
    )


def shown_in_form(model_admin, request) -> list[str]:
    from django.contrib.admin.utils import flatten_fieldsets

    from smartcity.admin import VERSION_FIELD

    names = flatten_fieldsets(model_admin.get_fieldsets(request)) + list(model_admin.get_readonly_fields(request))
    return [name for name in dict.fromkeys(names) if name != VERSION_FIELD]


@pytest.fixture
def superuser_request(rf, make_user):
    request = rf.get("/admin/")
    request.user = make_user(username="root", is_superuser=True, is_staff=True)
    return request


def test_the_guard_sees_every_portfolio_admin():
    assert {model_admin.model.__name__ for model_admin in record_admins()} >= {
        "Program",
        "Indicator",
        "Measurement",
        "BudgetLine",
        "Activity",
        "DigitalService",
        "InfrastructureAsset",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("model_admin", record_admins(), ids=lambda model_admin: model_admin.model.__name__)
def test_every_model_field_is_in_the_admin_form_or_left_out_with_a_reason(model_admin, superuser_request):
    model, left_out = model_admin.model, model_admin.record_left_out
    shown = shown_in_form(model_admin, superuser_request)
    unaccounted = [name for name in model_fields(model) if name not in shown and name not in left_out]
    assert not unaccounted, f"{type(model_admin).__name__}: show {unaccounted}, or name them in record_left_out"
    assert all(str(reason).strip() for reason in left_out.values())
    record = set(model_admin.resource_classes[0].record_serializer.Meta.fields)
    contradictory = [name for name in left_out if name in shown]
    stale = [name for name in left_out if name not in model_fields(model) and name not in record]
    assert not contradictory, f"{type(model_admin).__name__} shows what it says it leaves out: {contradictory}"
    assert not stale, f"{type(model_admin).__name__}.record_left_out names no field of the record: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model_admin",
    [model_admin for model_admin in record_admins() if not (model_admin.fields or model_admin.fieldsets)],
    ids=lambda model_admin: model_admin.model.__name__,
)
def test_an_admin_without_its_own_layout_shows_the_record_fields_less_those_left_out(model_admin, superuser_request):
    serializer = model_admin.resource_classes[0].record_serializer
    expected = [name for name in serializer.Meta.fields if name not in model_admin.record_left_out]
    assert shown_in_form(model_admin, superuser_request)[: len(expected)] == expected
    form = model_admin.get_form(superuser_request)
    assert [name for name in form.base_fields if name in expected] == expected  # the form itself, in that order

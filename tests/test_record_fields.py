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

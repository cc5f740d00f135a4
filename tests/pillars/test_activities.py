"""Issue 14: the masterplan's action plan. A program's progress rolls up from its activities by weight, in one
place (pillars/progress.py), kept on the program by the activity writer so pages, API and exports agree."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from pillars.models import Activity, Program
from pillars.progress import weighted_progress
from pillars.services import ACTIVITY
from smartcity.roles import OPD_EDITOR
from tests.factories import UserFactory

from .factories import ActivityFactory, AgencyFactory, ProgramFactory


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([(3, 100), (1, 0)], 75),  # the example
        ([(Decimal("0.5"), 50), (Decimal("1.5"), 10)], 20),
        ([(0, 100), (0, 0)], 50),  # no weight above 0: every activity counts the same
        ([(None, 80), (None, 40)], 60),  # missing weights never crash
        ([(0, 100), (2, 0)], 0),  # a zero weight counts for nothing beside a weighted one
        ([(1, None)], 0),
        ([], None),  # nothing to roll up
        ([(1, 33), (1, 34)], 34),  # 33.5 rounds half up
    ],
)
def test_weighted_progress(items, expected):
    assert weighted_progress(items) == expected


@pytest.mark.django_db
def test_the_writer_rolls_the_program_up_on_every_write_and_delete():
    program = ProgramFactory(progress=10)
    untouched = ProgramFactory(progress=40)
    heavy = ACTIVITY.create(data={"program": program, "year": 2024, "owner_agency": program.lead_agency,
                                  "title_ind": "A", "weight": 3, "progress": 100}, actor=None)  # fmt: skip
    assert Program.objects.get(pk=program.pk).progress == 100
    light = ACTIVITY.create(data={"program": program, "year": 2024, "owner_agency": program.lead_agency,
                                  "title_ind": "B", "weight": 1, "progress": 0}, actor=None)  # fmt: skip
    assert Program.objects.get(pk=program.pk).progress == 75
    ACTIVITY.update(instance=heavy, data={"weight": 0}, actor=None)
    assert Program.objects.get(pk=program.pk).progress == 0
    ACTIVITY.delete(instance=light, actor=None)
    assert Program.objects.get(pk=program.pk).progress == 100
    assert Program.objects.get(pk=untouched.pk).progress == 40  # a program without activities keeps its own
    assert program.history.first().progress == 100  # the rollup is in the program's history too


@pytest.mark.django_db
def test_moving_an_activity_rolls_both_programs_up():
    first, second = ProgramFactory(progress=0), ProgramFactory(progress=0)
    ActivityFactory(program=first, progress=20)
    moving = ACTIVITY.create(data={"program": first, "year": 2024, "owner_agency": first.lead_agency,
                                   "title_ind": "Pindah", "progress": 80}, actor=None)  # fmt: skip
    assert Program.objects.get(pk=first.pk).progress == 50
    ACTIVITY.update(instance=moving, data={"program": second}, actor=None)
    assert (Program.objects.get(pk=first.pk).progress, Program.objects.get(pk=second.pk).progress) == (20, 80)


@pytest.mark.django_db
def test_the_program_page_api_and_export_read_the_rolled_up_progress(client):
    from pillars.resources import ProgramResource

    agency = AgencyFactory()
    program = ProgramFactory(lead_agency=agency, progress=5)
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name=OPD_EDITOR))
    agency.members.add(editor)
    api = APIClient()
    api.force_authenticate(editor)
    for weight, progress in ((3, 100), (1, 0)):
        data = {"program": program.pk, "year": 2024, "owner_agency": agency.pk, "title_ind": f"K{weight}",
                "weight": weight, "progress": progress}  # fmt: skip
        assert api.post("/api/v1/activities/", data, format="json").status_code == 201
    assert api.get(f"/api/v1/programs/{program.slug}/").data["progress"] == 75
    assert 'value="75"' in client.get(f"/programs/{program.slug}/").content.decode()
    exported = ProgramResource().export(queryset=Program.objects.filter(pk=program.pk))
    assert str(exported.dict[0]["progress"]) == "75"
    assert Activity.objects.filter(program=program).count() == 2

"""Issue 22, item 6: a program's stage and its progress never contradict each other (pillars.services'
`program_stage_rules`), on every door and every surface: the activity roll-up, the API, the admin form, the public
pages."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from pillars.choices import Stage
from pillars.models import Program
from pillars.services import ACTIVITY, PROGRAM
from smartcity.roles import DISKOMINFO_EDITOR
from tests.factories import UserFactory
from tests.snapshots import snapshot
from tests.test_doors import program_post

from .factories import ActivityFactory, ProgramFactory

pytestmark = pytest.mark.django_db

DONE = datetime.date(2024, 6, 30)


@pytest.fixture
def editor():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=DISKOMINFO_EDITOR))
    return user


def activity(program, progress, **data):
    data = {"program": program, "year": 2024, "owner_agency": program.lead_agency, "title_ind": "K", **data}
    return ACTIVITY.create(data={**data, "progress": progress}, actor=None)


def test_the_roll_up_moves_a_planned_program_to_in_progress():
    program = ProgramFactory(stage=Stage.PLANNED, progress=0)
    activity(program, 0)
    assert Program.objects.get(pk=program.pk).stage == Stage.PLANNED  # nothing done yet: still planned
    activity(program, 80)
    program.refresh_from_db()
    assert (program.stage, program.progress) == (Stage.IN_PROGRESS, 40)
    assert program.history.first().stage == Stage.IN_PROGRESS  # through the writer: the history has it


def test_a_roll_up_below_100_reopens_a_completed_program():
    program = ProgramFactory(stage=Stage.COMPLETED, progress=100, completed_on=DONE)
    ActivityFactory(program=program, progress=100)
    activity(program, 0, title_ind="Tahap baru")
    program.refresh_from_db()
    assert (program.stage, program.progress, program.completed_on) == (Stage.IN_PROGRESS, 50, None)


def test_an_activity_still_open_at_a_rounded_100_percent_reopens_it_too():
    program = ProgramFactory(stage=Stage.COMPLETED, progress=100, completed_on=DONE)
    for _ in range(200):
        ActivityFactory(program=program, progress=100)
    activity(program, 99)  # 100 % rounded, but one activity is not done
    assert Program.objects.get(pk=program.pk).stage == Stage.IN_PROGRESS


def test_completed_is_allowed_at_100_percent_with_every_activity_done(editor):
    program = ProgramFactory(stage=Stage.IN_PROGRESS, progress=0)
    activity(program, 100)
    PROGRAM.update(instance=program, data={"stage": Stage.COMPLETED, "completed_on": DONE}, actor=editor)
    assert Program.objects.get(pk=program.pk).stage == Stage.COMPLETED


def test_completed_below_100_or_with_open_activities_is_a_stage_error_and_changes_nothing(editor):
    below = ProgramFactory(stage=Stage.IN_PROGRESS, progress=60)
    open_activity = ProgramFactory(stage=Stage.IN_PROGRESS, progress=0)
    ActivityFactory(program=open_activity, progress=100)
    ActivityFactory(program=open_activity, progress=99)
    Program.objects.filter(pk=open_activity.pk).update(progress=100)  # a rounded roll-up
    for program, field in ((below, "progress"), (open_activity, "stage")):
        before = snapshot(program)
        with pytest.raises(ValidationError) as refused:
            PROGRAM.update(instance=program, data={"stage": Stage.COMPLETED, "completed_on": DONE}, actor=editor)
        assert list(refused.value.error_dict) == [field]
        assert snapshot(program) == before


def test_a_planned_program_given_progress_moves_to_in_progress_on_any_door(editor):
    created = PROGRAM.create(data={**_program_data(), "progress": 40}, actor=editor)
    assert created.stage == Stage.IN_PROGRESS
    program = ProgramFactory(stage=Stage.PLANNED, progress=0)
    PROGRAM.update(instance=program, data={"progress": 15}, actor=editor)
    assert Program.objects.get(pk=program.pk).stage == Stage.IN_PROGRESS


def test_setting_planned_again_while_there_is_progress_is_refused(editor):
    program = ProgramFactory(stage=Stage.IN_PROGRESS, progress=30)
    api = APIClient()
    api.force_authenticate(editor)
    before = snapshot(program)
    response = api.patch(f"/api/v1/programs/{program.slug}/", {"stage": "planned"}, format="json")
    assert response.status_code == 400 and "stage" in response.data["errors"], response.data
    assert snapshot(program) == before


def test_the_api_refuses_completed_below_100_or_with_an_open_activity(editor):
    program = ProgramFactory(stage=Stage.IN_PROGRESS, progress=30)
    api = APIClient()
    api.force_authenticate(editor)
    completed = {"stage": "completed", "completed_on": "2024-06-30"}
    response = api.patch(f"/api/v1/programs/{program.slug}/", completed, format="json")
    assert response.status_code == 400 and "progress" in response.data["errors"], response.data
    ActivityFactory(program=program, progress=100)
    ActivityFactory(program=program, progress=99)
    Program.objects.filter(pk=program.pk).update(progress=100)  # as a rounded roll-up leaves it
    response = api.patch(f"/api/v1/programs/{program.slug}/", completed, format="json")
    assert response.status_code == 400 and response.data["errors"]["stage"][0].code == "not_finished"


def test_every_surface_shows_the_rolled_up_stage(client, editor):
    program = ProgramFactory(stage=Stage.PLANNED, progress=0, title_ind="Wi-Fi publik")
    activity(program, 40)
    api = APIClient()
    api.force_authenticate(editor)
    assert api.get(f"/api/v1/programs/{program.slug}/").data["stage"] == "in_progress"
    with translation.override("id"):
        detail, listing = reverse("pillars:program-detail", args=[program.slug]), reverse("pillars:program-list")
        change = reverse("admin:pillars_program_change", args=[program.pk])
        changelist = reverse("admin:pillars_program_changelist")
    for page in (detail, listing):
        html = client.get(page).content.decode()
        assert "Berjalan" in html and "Direncanakan</span>" not in html, page
    client.force_login(editor)
    assert '<option value="in_progress" selected>' in client.get(change).content.decode()
    assert "Berjalan" in client.get(changelist).content.decode()


def test_the_admin_form_moves_planned_with_progress_and_refuses_completed_below_100(client, editor):
    program = ProgramFactory(stage=Stage.PLANNED, progress=0)
    client.force_login(editor)
    with translation.override("en"):
        change = reverse("admin:pillars_program_change", args=[program.pk])
    response = client.post(change, program_post(program, client.get(change).content.decode(), progress="40"))
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.stage == Stage.IN_PROGRESS
    before = snapshot(program)
    html = client.get(change).content.decode()
    response = client.post(change, program_post(program, html, stage="completed", completed_on="2024-06-30"))
    errors = response.context["adminform"].form.errors
    assert response.status_code == 200 and "A completed program is at 100 %." in errors["progress"], errors
    assert snapshot(program) == before


def _program_data():
    template = ProgramFactory.build()
    return {
        "slug": "baru",
        "title_ind": "Program baru",
        "pillar": template.pillar,
        "lead_agency": ProgramFactory().lead_agency,
        "first_year": 2024,
        "last_year": 2025,
    }

"""The daily digest (the staff workspace by e-mail): overdue follow-up actions reach the owner agency's editors,
once a day."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from pillars.models import WorkspaceNotice
from pillars.workspace import workspace_digests_send
from smartcity.roles import OPD_EDITOR
from tests.pillars.factories import AgencyFactory

from .factories import FollowUpActionFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 1)


def editor_of(agency, make_user, email):
    user = make_user(email=email, is_staff=True)
    user.groups.add(Group.objects.get(name=OPD_EDITOR))
    agency.members.add(user)
    return user


def test_each_agency_gets_its_own_overdue_actions_once_a_day(make_user):
    dishub, dinkes = AgencyFactory(acronym="Dishub"), AgencyFactory(acronym="Dinkes")
    editor_of(dishub, make_user, "editor@dishub.example")
    editor_of(dinkes, make_user, "editor@dinkes.example")
    FollowUpActionFactory(owner_agency=dishub, title_ind="Pasang CCTV", due_on=TODAY - datetime.timedelta(days=3))
    FollowUpActionFactory(owner_agency=dishub, title_ind="Belum jatuh tempo", due_on=TODAY + datetime.timedelta(days=3))
    FollowUpActionFactory(
        owner_agency=dinkes,
        title_ind="Sudah selesai",
        due_on=TODAY - datetime.timedelta(days=3),
        status="done",
        done_on=TODAY - datetime.timedelta(days=4),
    )
    assert workspace_digests_send(today=TODAY) == 1
    assert workspace_digests_send(today=TODAY) == 0  # a second run the same day sends nothing
    [message] = mail.outbox
    assert message.to == ["editor@dishub.example"] and "Pasang CCTV" in message.body
    assert "Belum jatuh tempo" not in message.body
    assert workspace_digests_send(today=TODAY + datetime.timedelta(days=1)) == 1  # the next day, again
    assert WorkspaceNotice.objects.filter(user__email="editor@dishub.example").count() == 2

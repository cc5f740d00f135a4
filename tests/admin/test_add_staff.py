"""Issue 22, item 3: an administrator adds a staff member in one form ("Add staff"): the account, the role's group and
the agency's membership together (pillars.services.staff_invite), then an e-mail whose link lets the person choose a
password once and sign in. Roles read by their Indonesian names; raw permissions stay with superusers."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pillars.models import Agency
from pillars.services import staff_invitation_resend, staff_invite
from smartcity.roles import ADMINISTRATOR, DISKOMINFO_EDITOR, OPD_EDITOR
from tests.factories import UserFactory
from tests.pillars.factories import AgencyFactory, ProgramFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "Kota-Cerdas-2026!jalan"


def member_of(role, **fields):
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=role))
    return user


def url(name, *args, language="id"):
    with translation.override(language):
        return reverse(name, args=args)


@pytest.fixture
def administrator(client):
    user = member_of(ADMINISTRATOR)
    client.force_login(user)
    return user


@pytest.fixture
def agencies():
    return AgencyFactory(name="Dinas Perhubungan", acronym="Dishub"), AgencyFactory(name="Dinas Kesehatan")


def counts():
    return User.objects.count(), Agency.members.through.objects.count(), User.groups.through.objects.count()


def test_add_staff_is_linked_from_the_index_and_the_user_list(client, administrator):
    add_staff = url("admin:auth_user_add_staff")
    assert add_staff in client.get(url("admin:index")).content.decode()
    assert add_staff in client.get(url("admin:auth_user_changelist")).content.decode()
    html = client.get(add_staff).content.decode()
    for label in ("Administrator", "Editor Diskominfo", "Editor OPD", "Evaluator", "Peninjau"):
        assert f">{label}</option>" in html  # the roles by their Indonesian names
    assert ">OPD editor<" not in html  # the value stays the group's stable internal name


def test_an_administrator_adds_an_opd_editor_who_sets_a_password_and_signs_in(
    client, administrator, agencies, django_capture_on_commit_callbacks
):
    own, other = agencies
    data = {"name": "Rina Putri", "email": "Rina@Dishub.example", "role": OPD_EDITOR, "agency": own.pk}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("admin:auth_user_add_staff"), data)
    assert response.status_code == 302, response.context["form"].errors
    person = User.objects.get(email="rina@dishub.example")
    assert (person.username, person.first_name, person.is_staff, person.has_usable_password()) == (
        "rina@dishub.example", "Rina Putri", True, False,
    )  # fmt: skip
    assert list(person.groups.values_list("name", flat=True)) == [OPD_EDITOR]
    assert list(person.agencies.all()) == [own]

    [message] = mail.outbox
    assert message.to == ["rina@dishub.example"] and "Editor OPD" in message.body and own.name in message.body
    link = re.search(r"http://testserver(/admin/password/set/\S+/)", message.body).group(1)

    person_client = Client()
    form_page = person_client.get(link, follow=True)
    assert form_page.context["validlink"], "the link opens the set-password form"
    set_url = form_page.redirect_chain[-1][0]
    done = person_client.post(set_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302 and done["Location"] == url("password_reset_complete")
    assert not person_client.get(link, follow=True).context["validlink"], "the link works once"

    signed_in = person_client.post(
        url("admin:login"), {"username": "rina@dishub.example", "password": PASSWORD, "next": url("admin:index")}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == url("admin:index")
    assert person_client.get(url("admin:index")).status_code == 200
    mine, theirs = ProgramFactory(lead_agency=own), ProgramFactory(lead_agency=other)
    assert person_client.get(url("admin:pillars_program_change", mine.pk)).status_code == 200
    assert person_client.get(url("admin:pillars_program_change", theirs.pk))["Location"] == url("admin:index")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "Rina", "email": "TAKEN@kota.example", "role": OPD_EDITOR}, "email"),  # another case, same person
        ({"name": "Rina", "email": "rina@kota.example", "role": OPD_EDITOR}, "agency"),
        ({"name": "Rina", "email": "rina@kota.example", "role": "Supreme leader"}, "role"),
        ({"name": "", "email": "bukan-alamat", "role": OPD_EDITOR}, "email"),
    ],
)
def test_bad_input_is_a_form_error_and_creates_nothing(client, administrator, agencies, data, field):
    UserFactory(email="taken@kota.example")
    if field == "email" and "TAKEN" in data["email"]:
        data = {**data, "agency": agencies[0].pk}
    before = counts()
    response = client.post(url("admin:auth_user_add_staff"), data)
    assert response.status_code == 200 and field in response.context["form"].errors
    assert counts() == before and not mail.outbox


def test_the_service_refuses_what_the_form_would_and_who_may_not_add_users(agencies):
    administrator, editor = member_of(ADMINISTRATOR), member_of(DISKOMINFO_EDITOR)
    before = counts()
    with pytest.raises(ValidationError) as refused:
        staff_invite(name="X", email="x@kota.example", role=OPD_EDITOR, agency=None, actor=administrator, base_url="")
    assert refused.value.error_dict["agency"][0].code == "required"
    with pytest.raises(PermissionDenied):
        staff_invite(name="X", email="x@kota.example", role=OPD_EDITOR, agency=agencies[0], actor=editor, base_url="")
    assert counts() == before


def test_only_who_may_add_users_opens_add_staff(client, agencies):
    client.force_login(member_of(DISKOMINFO_EDITOR))
    before = counts()
    data = {"name": "Rina", "email": "rina@kota.example", "role": ADMINISTRATOR}
    assert client.get(url("admin:auth_user_add_staff")).status_code == 403
    assert client.post(url("admin:auth_user_add_staff"), data).status_code == 403
    assert counts() == before
    assert url("admin:auth_user_add_staff") not in client.get(url("admin:index")).content.decode()


def test_the_user_form_shows_roles_by_name_and_raw_permissions_only_to_superusers(client, administrator):
    person = member_of(OPD_EDITOR)
    html = client.get(url("admin:auth_user_change", person.pk)).content.decode()
    assert 'name="groups"' in html and ">Editor OPD</option>" in html
    assert 'name="user_permissions"' not in html and 'name="is_superuser"' not in html
    assert "Can add log entry" not in html and "Dapat menambah" not in html
    # a non-superuser cannot post their way to superuser either: the field is not in the form
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(url("admin:auth_user_change", person.pk)).content.decode()
    assert 'name="user_permissions"' in html and 'name="is_superuser"' in html


def test_an_administrator_cannot_make_a_superuser_or_rename_a_role(client, administrator):
    person = member_of(OPD_EDITOR)
    page = client.get(url("admin:auth_user_change", person.pk))
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in ("username", "email", "last_name")}
    data |= {"is_superuser": "on", "is_staff": "on", "is_active": "on", "groups": [g.pk for g in person.groups.all()]}
    data |= {"date_joined_0": "2024-01-01", "date_joined_1": "08:00:00"}
    data |= {"first_name": "Diubah"}
    response = client.post(url("admin:auth_user_change", person.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert (User.objects.get(pk=person.pk).first_name, User.objects.get(pk=person.pk).is_superuser) == ("Diubah", False)
    role = Group.objects.get(name=OPD_EDITOR)
    html = client.get(url("admin:auth_group_change", role.pk)).content.decode()
    assert 'name="name"' not in html and 'name="permissions"' not in html


def test_with_the_city_provider_the_invitation_says_to_sign_in_there(
    client, agencies, settings, django_capture_on_commit_callbacks
):
    settings.OIDC_ENABLED, settings.OIDC_LOCAL_LOGIN = True, "superusers"  # a password would sign nobody in
    client.force_login(UserFactory(is_staff=True, is_superuser=True))  # the one who still signs in locally
    data = {"name": "Budi", "email": "budi@kota.example", "role": OPD_EDITOR, "agency": agencies[0].pk}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("admin:auth_user_add_staff"), data).status_code == 302
    [message] = mail.outbox
    assert "/password/set/" not in message.body and "Masuk dengan akun kota Anda" in message.body


def test_the_user_list_reads_roles_and_agencies_in_a_constant_number_of_queries(client, administrator, agencies):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url("admin:auth_user_changelist"))
        assert response.status_code == 200 and "Editor OPD" in response.content.decode()
        return len(captured)

    agencies[0].members.add(member_of(OPD_EDITOR))
    one = queries()
    for _ in range(5):
        agencies[1].members.add(member_of(OPD_EDITOR))
    assert queries() == one


def resend(client, *people):
    data = {"action": "resend_invitation", "_selected_action": [person.pk for person in people]}
    return client.post(url("admin:auth_user_changelist"), data, follow=True)


def test_the_invitation_is_sent_again_to_whom_never_chose_a_password_with_a_link_that_works(
    client, administrator, agencies, django_capture_on_commit_callbacks
):
    data = {"name": "Rina Putri", "email": "rina@dishub.example", "role": OPD_EDITOR, "agency": agencies[0].pk}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("admin:auth_user_add_staff"), data)
    person = User.objects.get(email="rina@dishub.example")
    mail.outbox.clear()  # the first invitation was lost
    with django_capture_on_commit_callbacks(execute=True):
        response = resend(client, person)
    assert "Undangan dikirim ulang kepada 1 orang." in response.content.decode()
    [message] = mail.outbox
    assert message.to == [person.email] and "Editor OPD" in message.body and agencies[0].name in message.body
    link = re.search(r"http://testserver(/admin/password/set/\S+/)", message.body).group(1)
    person_client = Client()
    form_page = person_client.get(link, follow=True)
    assert form_page.context["validlink"]
    done = person_client.post(form_page.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302 and User.objects.get(pk=person.pk).check_password(PASSWORD)


def test_the_invitation_is_not_sent_again_to_whom_has_a_password_and_the_selection_sends_nothing(
    client, administrator, django_capture_on_commit_callbacks
):
    invited = member_of(OPD_EDITOR, email="baru@kota.example")
    invited.set_unusable_password()
    invited.save()
    settled = member_of(OPD_EDITOR, email="lama@kota.example")  # the factory's password: they sign in already
    with django_capture_on_commit_callbacks(execute=True):
        response = resend(client, invited, settled)
    html = response.content.decode()
    assert settled.username in html and "tidak pernah memilih kata sandi" in html
    assert mail.outbox == []


def test_only_who_may_add_staff_re_sends_an_invitation(client, django_capture_on_commit_callbacks):
    invited = member_of(OPD_EDITOR, email="baru@kota.example")
    invited.set_unusable_password()
    invited.save()
    with pytest.raises(PermissionDenied):
        editor = member_of(DISKOMINFO_EDITOR)
        staff_invitation_resend(users=User.objects.filter(pk=invited.pk), actor=editor, base_url="")
    client.force_login(member_of(DISKOMINFO_EDITOR))
    with django_capture_on_commit_callbacks(execute=True):
        assert resend(client, invited).status_code == 403  # no user list at all, so no action either
    assert mail.outbox == []

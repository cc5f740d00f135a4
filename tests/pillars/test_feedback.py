"""Citizen feedback on a published program or service: the public form (budget per address, honeypot, repeat
detection), moderation by the owning agency through the writer (API, admin form, bulk actions), the published
reply and counts on the program page, and who may read what (never a pending message or a contact in public)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from pillars.choices import FeedbackStatus
from pillars.models import Feedback
from smartcity.api.serializers import with_deprecated_names
from smartcity.roles import DISKOMINFO_EDITOR, OPD_EDITOR, VIEWER
from tests.factories import UserFactory
from tests.partnerships.factories import PartnerFactory, make_key
from tests.pillars.factories import AgencyFactory, DigitalServiceFactory, FeedbackFactory, ProgramFactory

pytestmark = pytest.mark.django_db

MESSAGE = "Lampu jalan di depan Taman Imam Bonjol mati sejak seminggu. Mohon diperbaiki."


@pytest.fixture
def client():
    return Client(HTTP_SEC_FETCH_SITE="same-origin")  # a browser posting the form from the portal's own page


@pytest.fixture
def program():
    return ProgramFactory(slug="wifi-taman", title_ind="Wi-Fi di taman kota", lead_agency=AgencyFactory(slug="dinas-a"))


def staff(role: str, *agencies):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    for agency in agencies:
        agency.members.add(user)
    return user


def post_feedback(client, program, address="10.0.0.1", **fields):
    data = {
        "message": MESSAGE,
        "name": "Siti Rahma",
        "contact": "0812-3456-7890",
        "lapor_reference": "",
        "homepage": "",
    }
    return client.post(reverse("pillars:program-feedback", args=[program.slug]), data | fields, REMOTE_ADDR=address)


def test_a_citizens_feedback_goes_through_moderation_and_gets_a_published_reply(client, program):
    page = client.get(reverse("pillars:program-detail", args=[program.slug]))
    assert page.status_code == 200 and 'name="message"' in page.content.decode()
    assert "0 pesan yang diterbitkan" in page.content.decode()

    sent = post_feedback(client, program, lapor_reference="#4455667")
    assert sent.status_code == 303 and sent["Location"] == reverse("pillars:program-feedback-sent", args=[program.slug])
    feedback = Feedback.objects.get()
    assert (feedback.status, feedback.lapor_reference, feedback.contact) == ("pending", "4455667", "0812-3456-7890")
    assert "10.0.0.1" not in str(Feedback.objects.values().get())  # the address is never stored, only its digest

    html = client.get(reverse("pillars:program-detail", args=[program.slug])).content.decode()
    assert "Lampu jalan" not in html  # nothing is shown before moderation
    assert "Lampu jalan" not in str(APIClient().get(reverse("pillars-api:feedback-list")).data)

    editor = APIClient()
    editor.force_authenticate(staff(OPD_EDITOR, program.lead_agency))
    url = reverse("pillars-api:feedback-detail", args=[feedback.pk])
    queue = editor.get(reverse("pillars-api:feedback-list"), {"status": "pending"})
    assert [row["contact"] for row in queue.data["results"]] == ["0812-3456-7890"]  # the agency sees the contact
    answer = editor.patch(url, {"status": "published", "reply": "Terima kasih, petugas PJU sudah menggantinya."})
    assert answer.status_code == 200, answer.data
    assert answer.data["moderated_at"] and Feedback.objects.get(pk=feedback.pk).moderated_by is not None
    brief = {"id": program.pk, "slug": program.slug, "title_ind": program.title_ind, "title_en": program.title_en}
    assert answer.data["program"] == with_deprecated_names(brief)
    assert Feedback.history.filter(id=feedback.pk).first().history_user.groups.filter(name=OPD_EDITOR).exists()

    html = client.get(reverse("pillars:program-detail", args=[program.slug])).content.decode()
    assert "Lampu jalan" in html and "petugas PJU sudah menggantinya" in html
    assert "1 pesan yang diterbitkan" in html
    assert "Siti Rahma" not in html and "0812" not in html and "4455667" not in html  # never shown publicly
    public = APIClient().get(reverse("pillars-api:feedback-list")).data["results"]
    assert [row["reply"] for row in public] == ["Terima kasih, petugas PJU sudah menggantinya."]
    assert not {"name", "contact", "lapor_reference"} & set(public[0])


def test_feedback_on_a_service_has_its_own_page(client):
    service = DigitalServiceFactory(slug="e-kios", name="E-Kios Dukcapil")
    url = reverse("pillars:service-feedback", args=[service.slug])
    assert client.get(reverse("pillars:service-list")).content.decode().count(url) == 1
    assert client.post(url, {"message": "Antrean daring sering penuh."}, REMOTE_ADDR="10.0.0.9").status_code == 303
    assert Feedback.objects.get().service == service


@pytest.mark.parametrize(
    ("fields", "status", "error"),
    [
        ({"message": ""}, 400, "Tulis pesan."),
        ({"message": "   "}, 400, "Tulis pesan."),
        ({"message": "a" * 50_000}, 400, "2000"),
        ({"lapor_reference": "LAPOR-12"}, 400, "ID pelacakan SP4N-LAPOR!"),
        ({"name": "x" * 500}, 400, "120"),
    ],
    ids=["empty", "blank", "50 KB", "bad LAPOR ID", "long name"],
)
def test_bad_input_changes_nothing_and_says_why(client, program, fields, status, error):
    response = post_feedback(client, program, **fields)
    assert response.status_code == status
    assert error in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert not Feedback.objects.exists()


def test_the_form_posted_twenty_times_in_a_minute_keeps_one_message(client, program, settings):
    """The same address: the first message is kept; the next ones are repeats (409), then over budget (429)."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "feedback": "5/minute"},
    }
    answers = [post_feedback(client, program, message=f"{MESSAGE} ({n})") for n in range(20)]
    assert [a.status_code for a in answers] == [303] + [409] * 4 + [429] * 15
    assert "beberapa menit yang lalu" in answers[1].content.decode()
    assert "Terlalu banyak pesan" in answers[-1].content.decode() and answers[-1]["Retry-After"]
    assert Feedback.objects.count() == 1
    # another address has its own budget
    assert post_feedback(client, program, address="10.0.0.2", message="Lain lagi").status_code == 303


def test_the_same_text_from_another_address_is_a_repeat(client, program):
    assert post_feedback(client, program, address="10.0.0.1").status_code == 303
    again = post_feedback(client, program, address="10.0.0.2", message=MESSAGE.upper() + "!!")
    assert again.status_code == 409 and "sudah diterima" in again.content.decode()
    assert Feedback.objects.count() == 1


def test_a_robot_filling_the_honeypot_is_thanked_and_forgotten(client, program):
    response = post_feedback(client, program, homepage="http://spam.example")
    assert response.status_code == 303
    assert not Feedback.objects.exists()


def test_a_post_from_another_site_is_refused(client, program):
    response = client.post(
        reverse("pillars:program-feedback", args=[program.slug]),
        {"message": MESSAGE},
        headers={"Sec-Fetch-Site": "cross-site"},
    )
    assert response.status_code == 403 and not Feedback.objects.exists()


def test_no_feedback_on_a_draft_program(client):
    draft = ProgramFactory(publication="draft")
    assert post_feedback(client, draft).status_code == 404
    assert client.get(reverse("pillars:program-feedback", args=[draft.slug])).status_code == 404
    assert not Feedback.objects.exists()


def test_who_reads_what(program):
    other = ProgramFactory(lead_agency=AgencyFactory(slug="dinas-b"))
    own = FeedbackFactory(program=program)
    published = FeedbackFactory(program=other, status=FeedbackStatus.PUBLISHED, reply="Sudah diperbaiki.")
    url = reverse("pillars-api:feedback-list")

    def seen(user=None, **headers):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        rows = client.get(url, **headers).data["results"]
        return {row["id"] for row in rows}, set().union(*(row.keys() for row in rows))

    ids, fields = seen()
    assert ids == {published.pk} and "contact" not in fields
    _, key = make_key(PartnerFactory())
    ids, fields = seen(HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert ids == {published.pk} and "contact" not in fields
    assert seen(staff(VIEWER)) == seen()  # viewers read what citizens read
    ids, fields = seen(staff(OPD_EDITOR, program.lead_agency))
    assert ids == {own.pk} and "contact" in fields  # the agency's own only, with contacts
    assert seen(staff(DISKOMINFO_EDITOR))[0] == {own.pk, published.pk}


def test_moderation_rules_hold_at_every_door(program):
    feedback = FeedbackFactory(program=program)
    editor = APIClient()
    editor.force_authenticate(staff(OPD_EDITOR, program.lead_agency))
    url = reverse("pillars-api:feedback-detail", args=[feedback.pk])
    assert editor.patch(url, {"message": "Diubah"}).status_code == 400  # the citizen's words are read-only
    assert editor.patch(url, {"status": "rejected"}).status_code == 200
    refused = editor.patch(url, {"status": "pending"})
    assert refused.status_code == 400 and "status" in refused.data["errors"]
    assert editor.post(reverse("pillars-api:feedback-list"), {"message": "x"}).status_code == 403
    feedback.refresh_from_db()
    assert (feedback.status, feedback.message.startswith("Wi-Fi")) == ("rejected", True)


def test_admin_bulk_publish_goes_through_the_writer_and_stays_in_the_agency(program):
    own = FeedbackFactory(program=program)
    theirs = FeedbackFactory(program=ProgramFactory(lead_agency=AgencyFactory(slug="dinas-b")))
    client = Client()
    client.force_login(staff(OPD_EDITOR, program.lead_agency))
    changelist = reverse("admin:pillars_feedback_changelist")
    listing = client.get(changelist)
    assert listing.status_code == 200 and own.message in listing.content.decode()
    assert theirs.message not in listing.content.decode()
    data = {"action": "publish_selected", "_selected_action": [own.pk, theirs.pk]}
    assert client.post(changelist, data).status_code == 302
    own.refresh_from_db(), theirs.refresh_from_db()
    assert (own.status, theirs.status) == ("published", "pending")
    assert own.moderated_by is not None and own.history.first().history_user == own.moderated_by
    assert client.get(reverse("admin:pillars_feedback_add")).status_code == 403  # citizens write, staff answer


def test_program_page_queries_do_not_grow_with_feedback(client, program, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("pillars:program-detail", args=[program.slug])).status_code == 200
        return len(captured)

    FeedbackFactory(program=program, status=FeedbackStatus.PUBLISHED, reply="Ya")
    one = queries()
    FeedbackFactory.create_batch(12, program=program, status=FeedbackStatus.PUBLISHED, reply="Ya")
    assert queries() == one


@pytest.mark.parametrize("who", ["anonymous", "diskominfo", "opd"])
def test_the_feedback_list_runs_as_many_queries_for_one_row_as_for_twenty(program, who):
    from tests.api import count_queries

    client = APIClient()
    if who != "anonymous":
        client.force_authenticate(
            staff(DISKOMINFO_EDITOR) if who == "diskominfo" else staff(OPD_EDITOR, program.lead_agency)
        )
    service = DigitalServiceFactory(owner_agency=program.lead_agency)
    url = reverse("pillars-api:feedback-list")
    FeedbackFactory(program=program, status=FeedbackStatus.PUBLISHED, moderated_by=UserFactory())
    count_queries(client, url)  # the first call loads the user's permissions, which later calls reuse
    one = count_queries(client, url)
    FeedbackFactory.create_batch(10, program=program, status=FeedbackStatus.PUBLISHED, moderated_by=UserFactory())
    FeedbackFactory.create_batch(9, program=None, service=service, status=FeedbackStatus.PUBLISHED)
    assert count_queries(client, url) == one


def test_published_feedback_is_public_only_while_its_program_or_service_is():
    """The rule tests the program's or the service's own row (EXISTS on its key): a message stays off the public
    surfaces when its record is a draft or under embargo, whichever of the two it is about."""
    published = {"status": FeedbackStatus.PUBLISHED}
    on_public = FeedbackFactory(**published)
    on_service = FeedbackFactory(program=None, service=DigitalServiceFactory(), **published)
    on_draft = FeedbackFactory(program=ProgramFactory(publication="draft"), **published)
    on_embargoed = FeedbackFactory(program=ProgramFactory(publish_from=timezone.now() + timedelta(days=1)), **published)
    on_draft_service = FeedbackFactory(program=None, service=DigitalServiceFactory(publication="draft"), **published)
    FeedbackFactory()  # about a public program, not moderated yet
    assert set(Feedback.objects.public()) == {on_public, on_service}
    assert {on_draft, on_embargoed, on_draft_service}.isdisjoint(Feedback.objects.public())
    assert list(Feedback.objects.public().filter(program=on_public.program)) == [on_public]

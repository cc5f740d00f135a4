"""MoU expiry reminders: 90, 30 and 7 days before the end, each once, to Diskominfo staff and the contact."""

import datetime
from smtplib import SMTPException

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from partnerships.models import MoUReminder
from partnerships.services import mou_expiry_reminders_send
from smartcity.roles import DISKOMINFO_EDITOR

from .factories import MoUFactory, PartnerContactFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 1)


def mou_ending_in(days: int, **fields):
    fields = {"signed_on": TODAY - datetime.timedelta(days=400), **fields}
    return MoUFactory(
        valid_from=TODAY - datetime.timedelta(days=400), valid_until=TODAY + datetime.timedelta(days=days), **fields
    )


@pytest.fixture
def staff(make_user):
    user = make_user(email="staf@diskominfo.example")
    user.groups.add(Group.objects.get(name=DISKOMINFO_EDITOR))
    return user


@pytest.mark.parametrize(("days_left", "threshold"), [(90, 90), (45, 90), (30, 30), (8, 30), (7, 7), (0, 7)])
def test_the_smallest_reached_threshold_is_sent(staff, days_left, threshold):
    mou_ending_in(days_left)
    assert mou_expiry_reminders_send(today=TODAY) == 1
    assert MoUReminder.objects.get().days_before == threshold
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["staf@diskominfo.example"]


def test_nothing_before_ninety_days_or_after_the_end(staff):
    mou_ending_in(91)
    mou_ending_in(-1)
    assert mou_expiry_reminders_send(today=TODAY) == 0 and not mail.outbox


def test_a_second_run_sends_nothing_twice(staff):
    mou_ending_in(30)
    mou_expiry_reminders_send(today=TODAY)
    assert mou_expiry_reminders_send(today=TODAY) == 0
    assert mou_expiry_reminders_send(today=TODAY + datetime.timedelta(days=1)) == 0  # still the 30-day window
    assert mou_expiry_reminders_send(today=TODAY + datetime.timedelta(days=23)) == 1  # 7 days left now
    assert len(mail.outbox) == 2


def test_an_extended_mou_is_reminded_again(staff):
    mou = mou_ending_in(7)
    mou_expiry_reminders_send(today=TODAY)
    mou.valid_until += datetime.timedelta(days=40)
    mou.save()
    assert mou_expiry_reminders_send(today=TODAY + datetime.timedelta(days=10)) == 1


def test_drafts_and_terminated_mous_get_no_reminder(staff):
    mou_ending_in(7, state="draft", signed_on=None, signed_place="")
    mou_ending_in(7, state="terminated", terminated_on=TODAY - datetime.timedelta(days=1), termination_reason="x")
    assert mou_expiry_reminders_send(today=TODAY) == 0


def test_the_contact_person_is_reminded_too(staff):
    mou = mou_ending_in(30)
    mou.contact = PartnerContactFactory(partner=mou.parties.first().partner, email="mitra@telkom.example")
    mou.save()
    mou_expiry_reminders_send(today=TODAY)
    assert sorted(mail.outbox[0].to) == ["mitra@telkom.example", "staf@diskominfo.example"]
    assert "30" in mail.outbox[0].subject


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise SMTPException("mail server away")


def test_a_failed_mail_leaves_no_claim_so_the_retry_sends_it(staff, settings):
    mou_ending_in(30)
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    with pytest.raises(SMTPException):
        mou_expiry_reminders_send(today=TODAY)
    assert not MoUReminder.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert mou_expiry_reminders_send(today=TODAY) == 1

"""Writes of the partnerships app. The API, the admin's actions, the demo loader and the shell all call these."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcity.notifications import diskominfo_staff_emails, notify

from .choices import MoUState
from .models import Commitment, MoU, MoUParty, MoUReminder, Partner, ProgressReport
from .querysets import partner_id_of


def _apply(instance: models.Model, data: dict) -> models.Model:
    """Set `data` (fields and many-to-many lists) on `instance`, validate, save and set the lists."""
    many = {}
    for name, value in data.items():
        if instance._meta.get_field(name).many_to_many:
            many[name] = list(value)
        else:
            setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    for name, values in many.items():
        getattr(instance, name).set(values)
    return instance


@transaction.atomic
def partner_save(*, partner: Partner, actor, data: dict) -> Partner:
    """Create or update a partner organisation."""
    return _apply(partner, data)


def _parties_replace(*, mou: MoU, parties: list[dict]) -> None:
    """Make `parties` the MoU's parties, refusing to drop a partner that still has commitments under it."""
    if not parties:
        raise ValidationError({"parties": _("An MoU has at least one partner.")}, code="no_parties")
    partner_ids = [party["partner"].pk for party in parties]
    if len(set(partner_ids)) != len(partner_ids):
        raise ValidationError({"parties": _("Each partner is a party only once.")}, code="duplicate_party")
    committed = mou.commitments.exclude(partner_id__in=partner_ids).values_list("partner__name", flat=True)
    if committed:
        raise ValidationError(
            {"parties": _("%(partner)s still has commitments under this MoU.") % {"partner": committed[0]}},
            code="party_has_commitments",
        )
    mou.parties.exclude(partner_id__in=partner_ids).delete()
    for party in parties:
        row = mou.parties.filter(partner=party["partner"]).first() or MoUParty(mou=mou)
        _apply(row, party)


@transaction.atomic
def mou_create(*, actor, parties: list[dict], **data) -> MoU:
    """Record a new MoU, as a draft, with its parties."""
    mou = _apply(MoU(state=MoUState.DRAFT), data)
    _parties_replace(mou=mou, parties=parties)
    return mou


@transaction.atomic
def mou_update(*, mou: MoU, actor, parties: list[dict] | None = None, **data) -> MoU:
    """Change an MoU's fields, and its parties when given."""
    _apply(mou, data)
    if parties is not None:
        _parties_replace(mou=mou, parties=parties)
    return mou


@transaction.atomic
def mou_sign(*, mou: MoU, actor, signed_on: datetime.date, signed_place: str = "", signed_online: bool = False) -> MoU:
    """Record that a draft MoU was signed, on a date and at a place or online."""
    if mou.state != MoUState.DRAFT:
        raise ValidationError(_("Only a draft MoU can be signed."), code="not_draft")
    if not mou.parties.exists():
        raise ValidationError({"parties": _("Add the partners before recording the signing.")}, code="no_parties")
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The signing date cannot be in the future.")}, code="future")
    mou.state, mou.signed_on, mou.signed_place, mou.signed_online = (
        MoUState.SIGNED,
        signed_on,
        signed_place,
        signed_online,
    )
    mou.full_clean()
    mou.save(update_fields=["state", "signed_on", "signed_place", "signed_online", "updated_at"])
    return mou


@transaction.atomic
def mou_terminate(*, mou: MoU, actor, terminated_on: datetime.date, reason: str) -> MoU:
    """End a signed MoU before its validity runs out, with the date and the reason."""
    if mou.state != MoUState.SIGNED:
        raise ValidationError(_("Only a signed MoU can be terminated."), code="not_signed")
    if terminated_on < mou.signed_on:
        raise ValidationError({"terminated_on": _("An MoU cannot end before it was signed.")}, code="before_signing")
    mou.state, mou.terminated_on, mou.termination_reason = MoUState.TERMINATED, terminated_on, reason
    mou.full_clean()
    mou.save(update_fields=["state", "terminated_on", "termination_reason", "updated_at"])
    return mou


@transaction.atomic
def commitment_save(*, commitment: Commitment, actor, data: dict) -> Commitment:
    """Create or update a commitment; its partner must be a party of its MoU."""
    mou, partner = data.get("mou", commitment.mou if commitment.mou_id else None), data.get("partner")
    partner_id = partner.pk if partner else commitment.partner_id
    if mou is not None and not MoUParty.objects.filter(mou=mou, partner_id=partner_id).exists():
        raise ValidationError({"partner": _("The partner is not a party of this MoU.")}, code="not_a_party")
    return _apply(commitment, data)


@transaction.atomic
def progress_report_create(
    *,
    actor,
    commitment: Commitment,
    reported_on: datetime.date,
    quantity_reached: Decimal,
    note: str = "",
    evidence=None,
) -> ProgressReport:
    """Record how far a commitment has come; a partner's key may report only on its own commitments."""
    if not Commitment.objects.visible_to(actor).filter(pk=commitment.pk).exists():
        raise Http404
    partner_id = partner_id_of(actor)
    if partner_id and commitment.partner_id != partner_id:
        raise PermissionDenied
    if reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("Progress cannot be reported for a future date.")}, code="future")
    report = ProgressReport(
        commitment=commitment, reported_on=reported_on, quantity_reached=quantity_reached, note=note
    )
    if evidence:
        report.evidence = evidence
    if partner_id:
        report.reported_by_key = actor.api_key
    else:
        report.reported_by = actor
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def asset_status_update(*, asset, actor, status: str):
    """Set the status of an infrastructure asset; a partner's key may do so only for assets it operates."""
    partner_id = partner_id_of(actor)
    if partner_id is None and not actor.has_perm("pillars.change_infrastructureasset"):
        raise PermissionDenied
    if partner_id is not None and asset.operator_id != partner_id:
        raise PermissionDenied
    asset.status = status
    asset.full_clean()
    asset.save(update_fields=["status", "updated_at"])
    return asset


# Reminders go out this many days before an MoU's validity ends (the smallest one reached, once each).
REMINDER_DAYS = (90, 30, 7)


def mou_expiry_reminders_send(*, today: datetime.date) -> int:
    """Remind Diskominfo staff and the MoU's contact person of each in-force MoU nearing its end: the
    90-, 30- and 7-day reminders, each sent once per end date, even when the job runs twice."""
    sent = 0
    horizon = today + datetime.timedelta(days=max(REMINDER_DAYS))
    for mou in MoU.objects.in_force(on=today).filter(valid_until__lte=horizon).select_related("contact"):
        days_left = (mou.valid_until - today).days
        threshold = min(days for days in REMINDER_DAYS if days_left <= days)
        sent += _mou_reminder_send(mou=mou, threshold=threshold, days_left=days_left)
    return sent


@transaction.atomic
def _mou_reminder_send(*, mou: MoU, threshold: int, days_left: int) -> int:
    """Claim the (MoU, threshold, end date) row, then mail; a failed mail rolls the claim back for a retry."""
    reminder, created = MoUReminder.objects.get_or_create(mou=mou, days_before=threshold, valid_until=mou.valid_until)
    if not created:
        return 0
    recipients = diskominfo_staff_emails() + ([mou.contact.email] if mou.contact else [])
    reminder.recipients = notify(
        recipients=recipients,
        subject_template="partnerships/email/mou_expiry_subject.txt",
        body_template="partnerships/email/mou_expiry_body.txt",
        context={"mou": mou, "days_left": days_left, "site_name": settings.PORTAL_CITY_NAME},
    )
    reminder.save(update_fields=["recipients"])
    return 1

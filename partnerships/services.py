"""Writes of the partnerships app: one writer per model (smartcity/services.py), holding the model's rules once.
The API, the admin's forms, inlines, history and bulk actions, the demo loader and the shell all write through
them; signing, termination, progress reports and asset status are domain verbs built on the same rules."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcity.notifications import diskominfo_staff_emails, notify
from smartcity.services import WholeWriter, Writer, lock, model_save, register, related

from .authentication import forget_key_on_commit
from .choices import MoUState
from .models import (
    Commitment,
    MoU,
    MoUParty,
    MoUReminder,
    Partner,
    PartnerAPIKey,
    PartnerContact,
    ProgressReport,
    ScopeArea,
    WebhookDelivery,
    WebhookEndpoint,
)
from .querysets import partner_id_of
from .webhooks import (
    KeyActorWriter,
    WebhookEndpointWriter,
    mou_expiring_announce,
    mou_state_announce,
    progress_report_announce,
    webhook_endpoint_rules,
)


def _field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


# --- rules: each written once, run by every door --------------------------------------------------------------------
def party_partner_ids(mou: MoU) -> set[int]:
    """The partners who are parties of `mou`: as the MoU admin's form is about to make them while it validates
    (`pending_party_ids`, see partnerships/admin.py), otherwise as they stand in the database."""
    pending = getattr(mou, "pending_party_ids", None)
    if pending is not None:
        return pending
    if mou.pk is None:
        return set()
    return set(MoUParty.objects.filter(mou_id=mou.pk).values_list("partner_id", flat=True))


def commitment_rules(*, before, after, many, actor) -> None:
    """A commitment's partner must be a party of its MoU."""
    if after is None:
        return
    mou = related(after, "mou")
    if mou is None or after.partner_id is None:
        return  # the field errors say what is missing
    if after.partner_id not in party_partner_ids(mou):
        raise _field_error("partner", _("The partner is not a party of this MoU."), "not_a_party")


def party_rules(*, before, after, many, actor) -> None:
    """A party that still has commitments under its MoU is neither dropped nor swapped for another partner."""
    if before is None:
        return
    if after is not None and (after.mou_id, after.partner_id) == (before.mou_id, before.partner_id):
        return
    committed = Commitment.objects.filter(mou_id=before.mou_id, partner_id=before.partner_id)
    if committed.exists():
        message = _("%(partner)s still has commitments under this MoU.") % {"partner": before.partner}
        raise _field_error("partner", message, "party_has_commitments")


def mou_rules(*, before, after, many, actor) -> None:
    """The signing facts hold whichever door writes them: an MoU is not signed in the future, nor ended before it
    was signed. (Which state may follow which is the business of mou_sign and mou_terminate.)"""
    if after is None:
        return
    signed_on_changed = before is None or before.signed_on != after.signed_on
    if after.signed_on and signed_on_changed and after.signed_on > timezone.localdate():
        raise _field_error("signed_on", _("The signing date cannot be in the future."), "future")
    if after.terminated_on and after.signed_on and after.terminated_on < after.signed_on:
        raise _field_error("terminated_on", _("An MoU cannot end before it was signed."), "before_signing")


def scope_area_rules(*, before, after, many, actor) -> None:
    """Scope areas are reference data: staff may reword one, never remove one an MoU uses."""
    if after is None and before.mous.exists():
        raise ValidationError(_("This scope area is used by MoUs and cannot be removed."), code="in_use")


def api_key_rules(*, before, after, many, actor) -> None:
    """A key never moves to another partner nor changes its secret; a revoked key stays as it was revoked."""
    if before is None or after is None:
        return
    if (after.partner_id, after.prefix, after.hashed_key) != (before.partner_id, before.prefix, before.hashed_key):
        raise ValidationError(_("A key always belongs to the partner it was made for."), code="key_fixed")
    fields = ("name", "revoked", "expiry_date")
    if before.revoked and any(getattr(after, name) != getattr(before, name) for name in fields):
        raise ValidationError(_("The API key has been revoked, which cannot be undone."), code="revoked")


def _reporter(actor) -> dict:
    """Who a new report names as its reporter: the partner's key, or the staff member entering it."""
    if partner_id_of(actor):
        return {"reported_by": None, "reported_by_key": actor.api_key}
    return {"reported_by": actor, "reported_by_key": None}


def progress_report_rules(*, before, after, many, actor) -> None:
    """Progress is never reported for a future date; a partner's key reports only on its own commitments (one it
    cannot see answers as unknown), and names itself as the reporter, as staff do."""
    if after is None:
        return
    commitment, partner_id = related(after, "commitment"), partner_id_of(actor)
    if partner_id and commitment is not None:
        if not Commitment.objects.visible_to(actor).filter(pk=commitment.pk).exists():
            raise Http404
        if commitment.partner_id != partner_id:
            raise PermissionDenied(_("A partner reports progress only on its own commitments."))
    if after.reported_on and after.reported_on > timezone.localdate():
        raise _field_error("reported_on", _("Progress cannot be reported for a future date."), "future")
    reporter = (after.reported_by_id, after.reported_by_key_id)
    if before is not None and reporter != (before.reported_by_id, before.reported_by_key_id):
        raise ValidationError(_("The reporter of a progress report does not change."), code="reporter_fixed")
    if before is None and actor is not None and any(reporter):  # none named yet: the writer names the actor
        expected = _reporter(actor)
        if reporter != (getattr(expected["reported_by"], "pk", None), getattr(expected["reported_by_key"], "pk", None)):
            raise ValidationError(_("A progress report names the one who reports it."), code="not_the_reporter")


def _messages(error: ValidationError) -> list[ValidationError]:
    """The single errors of `error`, whether it holds a list or errors per field."""
    groups = error.error_dict.values() if hasattr(error, "error_dict") else [error.error_list]
    return [single for group in groups for single in group]


# --- writers: one per model users change --------------------------------------------------------------------------
class MoUWriter(WholeWriter):
    """An MoU is written with its parties when the write names them (the API's nested `parties`, as
    [{partner, partner_number, signatory_name, signatory_position}]): each party row goes through the party
    writer, so dropping a party that still has commitments is refused here as in the admin's inline. A change of
    state is announced to the partners' webhooks, whichever door made it (the admin's form may change it too)."""

    parts = ("parties",)

    def write_parts(self, *, row, actor, parties=None) -> None:
        if parties is not None:
            self.parties_replace(mou=row, parties=parties, actor=actor)

    def after_write(self, *, before, after, actor):
        if after is not None:
            mou_state_announce(previous_state=before.state if before is not None else None, mou=after)

    def parties_replace(self, *, mou: MoU, parties: list[dict], actor) -> None:
        """Make `parties` the MoU's parties: the missing ones removed, the others changed or added."""
        if not parties:
            raise _field_error("parties", _("An MoU has at least one partner."), "no_parties")
        partner_ids = [party["partner"].pk for party in parties]
        if len(set(partner_ids)) != len(partner_ids):
            raise _field_error("parties", _("Each partner is a party only once."), "duplicate_party")
        try:
            for row in mou.parties.exclude(partner_id__in=partner_ids):
                MOU_PARTY.delete(instance=row, actor=actor)
            current = {row.partner_id: row for row in mou.parties.all()}
            for party in parties:
                row = current.get(party["partner"].pk)
                if row is None:
                    MOU_PARTY.create(data={**party, "mou": mou}, actor=actor)
                else:
                    MOU_PARTY.update(instance=row, data=party, actor=actor)
        except ValidationError as error:  # the API names the nested list, not the party row's own field
            raise ValidationError({"parties": _messages(error)}) from error


class ProgressReportWriter(KeyActorWriter):
    """A partner's key holds no model permission, yet may add reports: the rules keep it to its own commitments.
    The reporter is set from the actor, and a new report announced, whichever door the report comes through."""

    def require_perm(self, actor, action: str) -> None:
        if action == "add" and partner_id_of(actor):
            return
        Writer.require_perm(self, actor, action)  # a key only adds: changes and deletions are staff's

    def prepare(self, *, instance, data, actor):
        return {**_reporter(actor), **data} if instance.pk is None and actor is not None else data

    def after_write(self, *, before, after, actor):
        if before is None and after is not None:
            progress_report_announce(report=after)


# Every door (API, admin forms, inlines, history reverts, bulk deletes, the demo loader) reaches them by writer_for().
class PartnerWriter(Writer):
    """A partner's keys go with it (on_delete CASCADE): their kept checks are void from the commit on."""

    def delete(self, *, instance, actor) -> None:
        prefixes = list(PartnerAPIKey.objects.filter(partner_id=instance.pk).values_list("prefix", flat=True))
        super().delete(instance=instance, actor=actor)
        for prefix in prefixes:
            forget_key_on_commit(prefix)


class PartnerAPIKeyWriter(Writer):
    """Revoking, changing or deleting a key takes effect at once, though valid keys are verified only once per
    KEY_CHECK_SECONDS (partnerships/authentication.py): the key's kept checks are void from the commit on."""

    def after_write(self, *, before, after, actor):
        if before is not None:
            forget_key_on_commit(before.prefix)


PARTNER = register(PartnerWriter(Partner))
PARTNER_CONTACT = register(Writer(PartnerContact))
# Reference data from a data migration; the roles may only reword it (no add or delete permission but superusers').
SCOPE_AREA = register(Writer(ScopeArea, rules=scope_area_rules))
MOU = register(MoUWriter(MoU, rules=mou_rules))
MOU_PARTY = register(Writer(MoUParty, rules=party_rules))
COMMITMENT = register(Writer(Commitment, rules=commitment_rules))
PROGRESS_REPORT = register(ProgressReportWriter(ProgressReport, rules=progress_report_rules))
# Keys are made by the library (only the hash is kept) and then saved through this writer; see PartnerAPIKeyAdmin.
PARTNER_API_KEY = register(PartnerAPIKeyWriter(PartnerAPIKey, rules=api_key_rules))
# The webhook writers live with the webhooks (partnerships/webhooks.py) and are registered here, with the others.
WEBHOOK_ENDPOINT = register(WebhookEndpointWriter(WebhookEndpoint, rules=webhook_endpoint_rules))
# Deliveries are written by the system; the one door for people is a replay (webhook_delivery_replay).
WEBHOOK_DELIVERY = register(Writer(WebhookDelivery, deletable=False))

# `<entity>_<verb>`: the services other modules call (smartcity/services.py, "How a write is spelt").
partner_create, partner_update, partner_delete = PARTNER.create, PARTNER.update, PARTNER.delete
commitment_create, commitment_update, commitment_delete = COMMITMENT.create, COMMITMENT.update, COMMITMENT.delete
partner_api_key_create = PARTNER_API_KEY.create


def mou_create(*, actor, parties: list[dict], **data) -> MoU:
    """Record a new MoU with its parties (a draft unless `data` says otherwise; the API cannot)."""
    return MOU.create(data={**data, "parties": parties}, actor=actor)


def mou_update(*, mou: MoU, actor, parties: list[dict] | None = None, **data) -> MoU:
    """Change an MoU's fields, and its parties when given."""
    return MOU.update(instance=mou, data=data if parties is None else {**data, "parties": parties}, actor=actor)


@transaction.atomic
def mou_sign(*, mou: MoU, actor, signed_on: datetime.date, signed_place: str = "", signed_online: bool = False) -> MoU:
    """Record that a draft MoU was signed, on a date and at a place or online."""
    current = lock(mou)
    if current.state != MoUState.DRAFT:
        raise ValidationError(_("Only a draft MoU can be signed."), code="not_draft")
    if not current.parties.exists():
        raise _field_error("parties", _("Add the partners before recording the signing."), "no_parties")
    data = {"state": MoUState.SIGNED, "signed_on": signed_on, "signed_place": signed_place}
    signed = model_save(instance=current, data=data | {"signed_online": signed_online}, actor=actor, rules=mou_rules)
    mou_state_announce(previous_state=MoUState.DRAFT, mou=signed)
    return signed


@transaction.atomic
def mou_terminate(*, mou: MoU, actor, terminated_on: datetime.date, reason: str) -> MoU:
    """End a signed MoU before its validity runs out, with the date and the reason."""
    current = lock(mou)
    if current.state != MoUState.SIGNED:
        raise ValidationError(_("Only a signed MoU can be terminated."), code="not_signed")
    data = {"state": MoUState.TERMINATED, "terminated_on": terminated_on, "termination_reason": reason}
    terminated = model_save(instance=current, data=data, actor=actor, rules=mou_rules)
    mou_state_announce(previous_state=MoUState.SIGNED, mou=terminated)
    return terminated


def progress_report_create(
    *,
    actor,
    commitment: Commitment,
    reported_on: datetime.date,
    quantity_reached: Decimal,
    note: str = "",
    evidence=None,
    reported_by=None,
) -> ProgressReport:
    """Record how far a commitment has come; a partner's key may report only on its own commitments. The reporter
    is the actor; only the system (no actor: the demo loader) names one."""
    data = {"commitment": commitment, "reported_on": reported_on, "quantity_reached": quantity_reached, "note": note}
    if reported_by is not None:
        data["reported_by"] = reported_by
    return PROGRESS_REPORT.create(data=data | ({"evidence": evidence} if evidence else {}), actor=actor)


@transaction.atomic
def asset_status_update(*, asset, actor, status: str):
    """Set the status of an infrastructure asset; a partner's key may do so only for assets it operates."""
    partner_id = partner_id_of(actor)
    if partner_id is None and not actor.has_perm("pillars.change_infrastructureasset"):
        raise PermissionDenied
    if partner_id is not None and asset.operator_id != partner_id:
        raise PermissionDenied
    # a key has no user account to name in the asset's history
    return model_save(instance=asset, data={"status": status}, actor=None if partner_id else actor)


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
    mou_expiring_announce(mou=mou, days_left=days_left, threshold=threshold)
    return 1

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from partnerships.choices import MoUState, MoUStatus
from partnerships.models import Commitment, MoU, ProgressReport, ScopeArea
from partnerships.querysets import percent

from .factories import CommitmentFactory, MoUFactory, ProgressReportFactory

pytestmark = pytest.mark.django_db

D = datetime.date
FROM, UNTIL = D(2021, 7, 26), D(2026, 7, 25)


def test_migration_creates_the_eleven_scope_areas_in_both_languages():
    areas = list(ScopeArea.objects.all())
    assert len(areas) == 11
    assert all(area.name_ind and area.name_en for area in areas)
    cctv = ScopeArea.objects.get(slug="cctv-integration")
    with translation.override("id"):
        assert cctv.name == "Integrasi CCTV"
    with translation.override("en"):
        assert cctv.name == "CCTV integration"


@pytest.mark.parametrize(
    ("state", "day", "expected"),
    [
        (MoUState.DRAFT, D(2023, 1, 1), MoUStatus.DRAFT),
        (MoUState.SIGNED, D(2021, 7, 25), MoUStatus.PENDING),  # signed, validity not begun
        (MoUState.SIGNED, FROM, MoUStatus.ACTIVE),  # first day
        (MoUState.SIGNED, D(2024, 1, 1), MoUStatus.ACTIVE),
        (MoUState.SIGNED, UNTIL, MoUStatus.ACTIVE),  # last day still in force
        (MoUState.SIGNED, D(2026, 7, 26), MoUStatus.EXPIRED),  # the day after
        (MoUState.TERMINATED, D(2024, 1, 1), MoUStatus.TERMINATED),
    ],
)
def test_status_is_derived_from_state_and_dates_in_python_and_sql_alike(state, day, expected):
    extra = {"terminated_on": D(2023, 6, 1), "termination_reason": "Dialihkan"} if state == MoUState.TERMINATED else {}
    signed_on = None if state == MoUState.DRAFT else D(2021, 7, 20)
    mou = MoUFactory(state=state, signed_on=signed_on, valid_from=FROM, valid_until=UNTIL, **extra)
    MoUFactory(state=MoUState.DRAFT, signed_on=None)  # another row, so the SQL filter has something to exclude
    assert mou.status_on(day) == expected
    assert list(MoU.objects.with_status(expected, on=day).filter(pk=mou.pk)) == [mou]
    others = [status for status in MoUStatus.values if status != expected]
    assert not MoU.objects.with_status(*others, on=day).filter(pk=mou.pk).exists()


def test_status_today_moves_without_any_write():
    today = datetime.date.today()
    mou = MoUFactory(valid_from=today - datetime.timedelta(days=10), valid_until=today)
    assert mou.status == MoUStatus.ACTIVE
    assert mou.status_on(today + datetime.timedelta(days=1)) == MoUStatus.EXPIRED
    assert MoU.objects.in_force(on=today + datetime.timedelta(days=1)).filter(pk=mou.pk).exists() is False


def test_expiring_before_lists_signed_mous_not_yet_expired():
    today = D(2026, 1, 1)
    soon = MoUFactory(valid_from=D(2024, 1, 1), valid_until=D(2026, 3, 1))
    MoUFactory(valid_from=D(2024, 1, 1), valid_until=D(2025, 12, 1))  # already expired
    MoUFactory(valid_from=D(2024, 1, 1), valid_until=D(2027, 1, 1))  # later
    MoUFactory(state=MoUState.DRAFT, signed_on=None, valid_from=D(2024, 1, 1), valid_until=D(2026, 2, 1))
    assert list(MoU.objects.expiring_before(D(2026, 4, 1), today=today)) == [soon]


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"valid_from": D(2025, 1, 1), "valid_until": D(2024, 1, 1)}, "valid_until"),
        ({"valid_from": D(2025, 1, 1), "valid_until": D(2025, 1, 1)}, "valid_until"),
        ({"state": MoUState.SIGNED, "signed_on": None}, "signed_on"),
        ({"signed_online": True, "signed_place": "Bandung"}, "signed_place"),
        ({"state": MoUState.TERMINATED, "terminated_on": D(2025, 1, 1)}, "termination_reason"),
        ({"terminated_on": D(2025, 1, 1)}, "terminated_on"),
    ],
)
def test_mou_rules_are_validation_errors_and_database_constraints(fields, error_field):
    mou = MoUFactory()
    for name, value in fields.items():
        setattr(mou, name, value)
    with pytest.raises(ValidationError) as error:
        mou.full_clean()
    assert error_field in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        mou.save()  # the database refuses too, whoever bypasses full_clean()


def test_negative_progress_and_zero_target_are_refused_by_the_database():
    report = ProgressReportFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.filter(pk=report.pk).update(quantity_reached=Decimal("-1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Commitment.objects.filter(pk=report.commitment_id).update(target_quantity=0)


def test_a_progress_report_has_exactly_one_reporter():
    report = ProgressReportFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.filter(pk=report.pk).update(reported_by=None)


def test_progress_percent_comes_from_the_newest_report_and_is_capped():
    commitment = CommitmentFactory(target_quantity=Decimal("80"))
    ProgressReportFactory(commitment=commitment, reported_on=D(2025, 1, 1), quantity_reached=Decimal("60"))
    ProgressReportFactory(commitment=commitment, reported_on=D(2024, 1, 1), quantity_reached=Decimal("70"))
    loaded = Commitment.objects.with_related().get(pk=commitment.pk)
    assert (loaded.reached_quantity, loaded.last_reported_on, loaded.progress_percent) == (
        Decimal("60"),
        D(2025, 1, 1),
        75,
    )
    assert Commitment.objects.with_related().get(pk=CommitmentFactory().pk).progress_percent == 0
    assert percent(Decimal("90"), Decimal("80")) == 100


def test_mou_changes_are_recorded_in_history_with_the_m2m_scope():
    mou = MoUFactory()
    mou.title_ind = "Judul baru"
    mou.save()
    newest, *older = mou.history.all()  # created, scope set, renamed
    assert newest.title_ind == "Judul baru" and older[-1].history_type == "+"
    assert [area.scopearea.slug for area in newest.scope_areas.all()] == ["public-wifi"]

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from evaluations import services
from evaluations.models import (
    DimensionScore,
    Evaluation,
    EvaluationScheme,
    FollowUpAction,
    PillarScore,
    SchemeBand,
    SchemeDimension,
)
from pillars.models import Pillar
from tests.pillars.factories import AgencyFactory

from .factories import EvaluationFactory, EvaluationSchemeFactory, FollowUpActionFactory, SchemeBandFactory

pytestmark = pytest.mark.django_db


def codes(error: ValidationError) -> set[str]:
    """Every code in a ValidationError, whether it holds a list or a dict of errors."""
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def dims(*weights, codes=("baseline", "output", "outcome", "impact", "quick-win")):
    return [{"code": c, "name_ind": c, "name_en": c, "weight": Decimal(w)} for c, w in zip(codes, weights, strict=True)]


def scores(*values, codes=("baseline", "output", "outcome", "impact", "quick-win")):
    return [{"dimension": c, "score": Decimal(v)} for c, v in zip(codes, values, strict=True)]


def band(lower, upper, label="Baik"):
    return {"label_ind": label, "label_en": label, "lower": Decimal(lower), "upper": Decimal(upper)}


SCHEME = {"name": "Skema 2024", "year": 2024, "issuing_body": "Komdigi", "scale_min": 0, "scale_max": 4, "decimals": 2}


# --- Weights --------------------------------------------------------------------------------------
def test_scheme_create_stores_dimensions_in_order_and_bands(diskominfo):
    scheme = services.scheme_create(
        actor=diskominfo, dimensions=dims(10, 20, 30, 30, 10), bands=[band(0, "2.99"), band(3, 4)], **SCHEME
    )
    assert [(d.code, d.order, d.weight) for d in scheme.dimensions.order_by("order")][:2] == [
        ("baseline", 1, Decimal("10")),
        ("output", 2, Decimal("20")),
    ]
    assert scheme.bands.count() == 2


@pytest.mark.parametrize("weights", [(10, 20, 30, 30, 9), (10, 20, 30, 30, 11), ("10.5", 20, 30, 30, 10)])
def test_scheme_create_refuses_weights_that_do_not_add_up_to_100_and_saves_nothing(diskominfo, weights):
    with pytest.raises(ValidationError) as error:
        services.scheme_create(actor=diskominfo, dimensions=dims(*weights), **SCHEME)
    assert error.value.code == "weights_sum"
    assert not EvaluationScheme.objects.exists() and not SchemeDimension.objects.exists()


def test_weights_may_be_decimals_adding_up_to_100():
    services.weights_validate(weights=[Decimal("33.33"), Decimal("33.33"), Decimal("33.34")])


def test_scheme_update_with_bad_weights_keeps_the_old_ones(diskominfo):
    scheme = EvaluationSchemeFactory()
    with pytest.raises(ValidationError):
        services.scheme_update(scheme=scheme, actor=diskominfo, dimensions=dims(50, 50, 50, 50, 50), name="Renamed")
    scheme.refresh_from_db()
    assert scheme.name != "Renamed"
    assert sorted(scheme.dimensions.values_list("weight", flat=True)) == [10, 10, 20, 30, 30]


# --- Bands ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "bands",
    [
        [(0, "3.00"), ("3.00", 4)],  # a shared bound: inclusive on both sides, so 3.00 is in two bands
        [(0, "3.50"), ("2.00", 4)],
        [("1", "2"), ("0", "4")],  # one band inside another
    ],
)
def test_overlapping_bands_are_refused(bands):
    with pytest.raises(ValidationError) as error:
        services.bands_validate(bands=bands, scale_min=Decimal(0), scale_max=Decimal(4))
    assert error.value.code == "bands_overlap"


def test_adjacent_bands_and_gaps_are_accepted():
    services.bands_validate(
        bands=[("3.50", 4), (0, "1.99"), ("2.00", "2.99")], scale_min=Decimal(0), scale_max=Decimal(4)
    )


@pytest.mark.parametrize("bands", [[("-0.01", 1)], [(3, "4.01")], [(3, 2)]])
def test_bands_outside_the_scale_or_reversed_are_refused(bands):
    with pytest.raises(ValidationError) as error:
        services.bands_validate(bands=bands, scale_min=Decimal(0), scale_max=Decimal(4))
    assert error.value.code == "band_outside_scale"


def test_scheme_create_with_overlapping_bands_saves_nothing(diskominfo):
    with pytest.raises(ValidationError):
        services.scheme_create(
            actor=diskominfo, dimensions=dims(10, 20, 30, 30, 10), bands=[band(0, 3), band(2, 4)], **SCHEME
        )
    assert not EvaluationScheme.objects.exists() and not SchemeBand.objects.exists()


# --- Scores and the index -------------------------------------------------------------------------
def test_index_rounds_half_up_at_the_boundary():
    # 3.00 x 90 % + 3.05 x 10 % = 3.005: half up gives 3.01 where banker's rounding would give 3.00
    pairs = [(Decimal("3.00"), Decimal(90)), (Decimal("3.05"), Decimal(10))]
    assert services.index_from_scores(scores=pairs, decimals=2) == Decimal("3.01")
    assert services.index_from_scores(scores=[(Decimal("3.004"), Decimal(100))], decimals=2) == Decimal("3.00")
    assert services.index_from_scores(scores=[(Decimal("3.25"), Decimal(100))], decimals=1) == Decimal("3.3")


def test_set_scores_computes_the_weighted_index_with_the_schemes_decimals(diskominfo):
    evaluation = EvaluationFactory()  # weights 10/20/30/30/10
    services.evaluation_set_scores(
        evaluation=evaluation, actor=diskominfo, dimension_scores=scores("3.00", "3.10", "2.80", "2.70", "3.00")
    )
    evaluation.refresh_from_db()
    assert evaluation.computed_index == Decimal("2.87")


def test_index_rounds_half_up_through_the_service(diskominfo):
    scheme = EvaluationSchemeFactory(dimensions={"a": 90, "b": 10})
    evaluation = EvaluationFactory(scheme=scheme)
    services.evaluation_set_scores(
        evaluation=evaluation, actor=diskominfo, dimension_scores=scores("3.00", "3.05", codes=("a", "b"))
    )
    evaluation.refresh_from_db()
    assert evaluation.computed_index == Decimal("3.01")


def test_index_is_empty_while_a_dimension_lacks_a_score(diskominfo):
    evaluation = EvaluationFactory()
    services.evaluation_set_scores(
        evaluation=evaluation, actor=diskominfo, dimension_scores=scores("3", "3", codes=("baseline", "output"))
    )
    evaluation.refresh_from_db()
    assert evaluation.computed_index is None


@pytest.mark.parametrize("bad", ["4.01", "-0.01", "400"])
def test_score_outside_the_scale_refuses_the_whole_call_and_saves_nothing(diskominfo, bad):
    evaluation = EvaluationFactory()
    user = diskominfo
    services.evaluation_set_scores(evaluation=evaluation, actor=user, dimension_scores=scores(3, 3, 3, 3, 3))
    governance = Pillar.objects.get(slug="governance")
    with pytest.raises(ValidationError) as error:
        services.evaluation_set_scores(
            evaluation=evaluation,
            actor=user,
            dimension_scores=scores(1, 1, 1, 1, 1),
            pillar_scores=[{"pillar": governance, "score": Decimal(bad)}],
        )
    assert codes(error.value) == {"score_outside_scale"} and "pillar_scores" in error.value.message_dict
    evaluation.refresh_from_db()  # the dimension scores given in the same call were not kept either
    assert evaluation.computed_index == Decimal("3.00")
    assert set(evaluation.dimension_scores.values_list("score", flat=True)) == {Decimal(3)}
    assert not PillarScore.objects.exists()


def test_score_with_more_decimals_than_the_scheme_is_refused(diskominfo):
    with pytest.raises(ValidationError) as error:
        services.evaluation_set_scores(
            evaluation=EvaluationFactory(), actor=diskominfo, dimension_scores=scores("3.125", 3, 3, 3, 3)
        )
    assert codes(error.value) == {"score_decimals"}


def test_failed_create_with_a_bad_score_saves_no_evaluation(diskominfo):
    scheme = EvaluationSchemeFactory()
    with pytest.raises(ValidationError):
        services.evaluation_create(
            actor=diskominfo, scheme=scheme, year=scheme.year, stage="final", kind="national",
            dimension_scores=scores(3, 3, 3, 3, 5),
        )  # fmt: skip
    assert not Evaluation.objects.exists() and not DimensionScore.objects.exists()


def test_unknown_dimension_is_refused(diskominfo):
    with pytest.raises(ValidationError) as error:
        services.evaluation_set_scores(
            evaluation=EvaluationFactory(), actor=diskominfo, dimension_scores=scores(3, codes=("smartness",))
        )
    assert codes(error.value) == {"unknown_dimension"}


def test_scores_replace_the_old_set(diskominfo):
    evaluation, user = EvaluationFactory(), diskominfo
    governance, economy = Pillar.objects.get(slug="governance"), Pillar.objects.get(slug="economy")
    services.evaluation_set_scores(
        evaluation=evaluation, actor=user, pillar_scores=[{"pillar": governance, "score": 2}]
    )
    services.evaluation_set_scores(evaluation=evaluation, actor=user, pillar_scores=[{"pillar": economy, "score": 3}])
    assert list(PillarScore.objects.values_list("pillar__slug", "score")) == [("economy", Decimal(3))]


def test_evaluation_uses_the_scheme_of_its_own_year(diskominfo):
    scheme = EvaluationSchemeFactory(year=2023)
    with pytest.raises(ValidationError) as error:
        services.evaluation_create(actor=diskominfo, scheme=scheme, year=2024, stage="final", kind="national")
    assert codes(error.value) == {"year_mismatch"} and "scheme" in error.value.message_dict


def test_the_writer_gives_a_new_evaluation_a_slug_that_never_moves(diskominfo):
    kominfo, bppt = EvaluationSchemeFactory(year=2024), EvaluationSchemeFactory(year=2024, issuing_body="BPPT")
    first = services.evaluation_create(
        actor=diskominfo, scheme=kominfo, year=2024, stage="stage_2", kind="field_review"
    )
    second = services.evaluation_create(actor=diskominfo, scheme=bppt, year=2024, stage="stage_2", kind="field_review")
    third = services.evaluation_create(actor=diskominfo, scheme=bppt, year=2024, stage="final", kind="national")
    assert [first.slug, second.slug, third.slug] == ["2024-stage-2", "2024-stage-2-field-review", "2024-final"]
    services.evaluation_update(evaluation=first, actor=diskominfo, stage="stage_1", slug="elsewhere")
    first.refresh_from_db()
    assert (first.stage, first.slug) == ("stage_1", "2024-stage-2")
    assert first.get_absolute_url() == "/evaluations/2024-stage-2/"


def test_changing_a_schemes_weights_recomputes_its_indices(diskominfo):
    evaluation, user = EvaluationFactory(), diskominfo
    services.evaluation_set_scores(evaluation=evaluation, actor=user, dimension_scores=scores(4, 2, 2, 2, 2))
    evaluation.refresh_from_db()
    assert evaluation.computed_index == Decimal("2.20")
    services.scheme_update(scheme=evaluation.scheme, actor=user, dimensions=dims(50, 20, 10, 10, 10))
    evaluation.refresh_from_db()
    assert evaluation.computed_index == Decimal("3.00")


def test_evaluation_changes_are_recorded_with_their_author(diskominfo):
    evaluation, user = EvaluationFactory(), diskominfo
    services.evaluation_update(evaluation=evaluation, actor=user, letter_number="B-147/2024")
    change = evaluation.history.first()
    assert (change.letter_number, change.history_user) == ("B-147/2024", user)


# --- Improvement across years ---------------------------------------------------------------------
def result(year, index, **fields):
    """A public final result of `year` whose computed index is `index` (set directly: the rule under test
    is the improvement, not the index)."""
    fields = {"status": "final", "letter_number": f"B-{year}", **fields}
    return EvaluationFactory(scheme=EvaluationSchemeFactory(year=year), computed_index=Decimal(index), **fields)


def annotated(evaluation):
    return Evaluation.objects.with_related().get(pk=evaluation.pk)


def test_improvement_is_computed_on_the_previous_final_result():
    result(2021, "2.87")
    result(2022, "3.06")
    latest = annotated(result(2023, "3.31"))
    assert (latest.previous_year, latest.previous_index, latest.improvement) == (2022, Decimal("3.06"), Decimal("0.25"))
    assert annotated(Evaluation.objects.get(year=2021)).improvement is None


def test_improvement_uses_the_official_figure_when_the_letter_gives_one():
    result(2022, "3.06", official_index=Decimal("3.00"))
    latest = annotated(result(2023, "3.32", official_index=Decimal("3.31")))
    assert latest.headline_index == Decimal("3.31") and latest.improvement == Decimal("0.31")


def test_improvement_skips_other_stages_drafts_and_embargoed_results():
    result(2020, "2.50")
    result(2022, "2.90", stage="stage_2", kind="field_review")  # not a final result
    result(2022, "2.95", status="submitted", kind="self_assessment")  # not final yet
    result(2022, "2.99", publish_from=timezone.now() + datetime.timedelta(days=3), kind="field_review")
    latest = annotated(result(2023, "3.00"))
    assert (latest.previous_year, latest.improvement) == (2020, Decimal("0.50"))


def test_band_is_the_one_the_index_falls_in():
    evaluation = result(2023, "3.31")
    SchemeBandFactory(scheme=evaluation.scheme, label_ind="Cukup", label_en="Fair", lower=2, upper="3.29")
    SchemeBandFactory(scheme=evaluation.scheme, label_ind="Baik", label_en="Good", lower="3.30", upper=4)
    assert annotated(evaluation).band_label_ind == "Baik"


# --- Follow-ups -----------------------------------------------------------------------------------
def test_opd_editor_updates_own_agency_follow_up_but_not_another(make_user):
    mine, theirs = AgencyFactory(), AgencyFactory()
    editor = make_user("evaluations.change_followupaction")
    mine.members.add(editor)
    own = FollowUpActionFactory(owner_agency=mine)
    other = FollowUpActionFactory(owner_agency=theirs)
    services.follow_up_update(follow_up=own, actor=editor, status="in_progress")
    with pytest.raises(PermissionDenied):
        services.follow_up_update(follow_up=other, actor=editor, status="in_progress")
    with pytest.raises(PermissionDenied):
        services.follow_up_update(follow_up=own, actor=editor, owner_agency=theirs)
    other.refresh_from_db()
    assert other.status == "open"


def test_done_follow_up_needs_its_date():
    action = FollowUpAction(title_ind="Tindak lanjut", due_on=datetime.date(2024, 1, 1), status="done")
    with pytest.raises(ValidationError) as error:
        action.full_clean(exclude=["finding", "owner_agency"])
    assert "done_on" in error.value.message_dict


def test_overdue_is_derived_from_the_due_date():
    today = timezone.localdate()
    late = FollowUpActionFactory(due_on=today - datetime.timedelta(days=1))
    FollowUpActionFactory(due_on=today - datetime.timedelta(days=1), status="done", done_on=today)
    FollowUpActionFactory(due_on=today)
    assert late.is_overdue
    assert list(type(late).objects.overdue()) == [late]

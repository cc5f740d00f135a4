import pytest
from django.core.management import call_command
from django.utils import timezone

from evaluations import demo
from evaluations.models import Evaluation, FieldVisit, FollowUpAction, Survey, SurveyTarget
from pillars import demo as pillars_demo

pytestmark = pytest.mark.django_db


def test_demo_loads_the_padang_field_review_and_three_years_of_results_idempotently():
    pillars_demo.load()
    first = demo.load()
    assert demo.load() == first
    targets = SurveyTarget.objects.count()
    assert targets and 42 <= first["survey responses"] // targets <= 64  # seeded demo figures: 42 to 64 per target
    last_full = timezone.localdate().year - 1
    years = range(2019, last_full + 1)
    assert first == {
        "evaluation schemes": len(years),
        "evaluations": len(years) + 1,  # every year's result and the 2019 field review
        "findings": 4,
        "follow-up actions": 3,
        "field visits": 2,
        "regulations and decrees": 3,
        "survey responses": first["survey responses"],
        "clarification requests": 1,
    }
    visit = FieldVisit.objects.get(site="Pantai Air Manis")
    assert (
        "Brizzi" in visit.notes_ind
        and visit.pillar.slug == "branding"
        and visit.evaluation.evaluating_body.endswith("(BPPT)")
    )
    results = Evaluation.objects.results().with_related().order_by("year")
    assert [e.year for e in results] == list(years)  # the latest result is last year's, whatever today is
    assert [str(e.headline_index) for e in results][:3] == ["2.8700", "3.0600", "3.3100"]  # the authored years
    latest = results.last()
    assert latest.improvement is not None and latest.improvement > 0
    assert latest.scheme.source_verified and "Kediri" in latest.scheme.source  # the 2022 weights, verified
    assert not latest.scheme.bands.exists()  # no public source gives bands for this index
    open_years = set(Survey.objects.filter(open_online=True).values_list("year", flat=True))
    assert open_years == {timezone.localdate().year}  # past years' surveys take no answers; this year's does
    assert not FollowUpAction.objects.filter(due_on__lt=timezone.localdate()).exclude(status="done").exists()
    assert all("demo" in e.summary_en.lower() for e in results)


def test_demo_tolerates_missing_agencies():
    counts = demo.load()  # no pillars demo: no agencies, so no follow-ups, visits without an agency
    assert counts["follow-up actions"] == 0 and counts["field visits"] == 2
    assert not FollowUpAction.objects.exists()


def test_load_demo_command_runs_every_loader(capsys):
    call_command("load_demo")
    assert "field visits: 2" in capsys.readouterr().out

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from evaluations.models import PillarScore
from pillars.models import Pillar
from tests.pillars.factories import IndicatorFactory, MeasurementFactory, MilestoneFactory, ProgramFactory

from .factories import (
    EvaluationFactory,
    EvaluationSchemeFactory,
    FieldVisitFactory,
    FindingFactory,
    FollowUpActionFactory,
)

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(days=30)


def result(year, index, **fields):
    """A final result of `year` with a computed index and a governance score."""
    fields = {"status": "final", "letter_number": f"B-{year}/SC", **fields}
    evaluation = EvaluationFactory(scheme=EvaluationSchemeFactory(year=year), computed_index=Decimal(index), **fields)
    PillarScore.objects.create(evaluation=evaluation, pillar=Pillar.objects.get(slug="governance"), score=index)
    return evaluation


def embargoed(year, index):
    return result(year, index, publish_from=timezone.now() + LATER)


def chart(html: str, chart_id: str) -> dict:
    return json.loads(re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', html, re.S)[1])


# --- The list: results year by year ---------------------------------------------------------------
def test_list_shows_results_year_by_year_with_index_and_improvement(client):
    result(2022, "3.06")
    result(2023, "3.31")
    html = client.get(reverse("evaluations:evaluation-list")).content.decode()
    assert "B-2023/SC" in html and "3,31" in html and "+0,25" in html  # Indonesian decimal comma
    trend = chart(html, "evaluation-trend")
    assert trend["labels"] == ["2022", "2023"]
    assert trend["datasets"][0]["data"] == [3.06, 3.31]


def test_list_in_english_under_en(client):
    result(2023, "3.31")
    html = client.get("/en/evaluations/").content.decode()
    assert '<html lang="en"' in html and "3.31" in html and "Evaluation results year by year" in html


def test_embargoed_result_is_on_no_public_surface(client):
    public = result(2022, "3.06")
    hidden = embargoed(2023, "3.99")
    FindingFactory(evaluation=hidden, text_ind="Temuan rahasia")
    html = client.get(reverse("evaluations:evaluation-list")).content.decode()
    assert "B-2023/SC" not in html and "3,99" not in html
    assert chart(html, "evaluation-trend")["labels"] == ["2022"]
    for name in ("evaluations:evaluation-detail", "evaluations:evaluation-changes"):
        assert client.get(reverse(name, args=[hidden.slug])).status_code == 404
    assert client.get(f"/evaluations/{hidden.pk}/").status_code == 404  # the old address leaks no slug
    assert client.get(reverse("evaluations:evaluation-report", args=[2023])).status_code == 404
    assert (
        "Temuan rahasia"
        not in client.get(reverse("evaluations:evaluation-detail", args=[public.slug])).content.decode()
    )


def test_pages_live_at_the_slug_and_the_old_addresses_by_id_move_there(client, make_user):
    evaluation = result(2023, "3.31")
    assert evaluation.slug == "2023-final"
    assert f'href="/evaluations/{evaluation.slug}/"' in client.get("/evaluations/").content.decode()
    for old, new in [("", ""), ("changes/", "changes/")]:
        response = client.get(f"/en/evaluations/{evaluation.pk}/{old}")
        assert response.status_code == 301 and response["Location"] == f"/en/evaluations/2023-final/{new}"
    assert client.get(f"/evaluations/{evaluation.pk}/readiness/").status_code == 302  # staff only, as the page
    client.force_login(make_user("evaluations.view_readiness", "evaluations.view_evaluation"))
    response = client.get(f"/evaluations/{evaluation.pk}/readiness/")
    assert response.status_code == 301 and response["Location"] == "/evaluations/2023-final/readiness/"
    assert client.get("/evaluations/2023-final/readiness/").status_code == 200


def test_public_pages_are_the_same_for_staff_who_preview_an_embargoed_result_in_the_admin(client, make_user):
    """Public pages read public() for everyone, as the pillars' and partnerships' pages do (issue 24)."""
    hidden = embargoed(2023, "3.31")
    client.force_login(make_user("evaluations.view_evaluation", is_staff=True))
    assert client.get(reverse("evaluations:evaluation-detail", args=[hidden.slug])).status_code == 404
    assert "3.31" not in client.get(reverse("evaluations:evaluation-list")).content.decode()
    assert client.get(reverse("admin:evaluations_evaluation_change", args=[hidden.pk])).status_code == 200


def test_list_page_query_count_does_not_grow_with_results(client, django_assert_num_queries):
    result(2021, "2.87")
    # evaluations (with index, band and improvement), scheme dimensions, scheme bands, dimension scores,
    # pillar scores; then the trend: the same five, plus the pillars
    with django_assert_num_queries(12):  # 11, and the surveys open online
        client.get(reverse("evaluations:evaluation-list"))
    for year in (2022, 2023, 2024):
        result(year, "3.00")
    with django_assert_num_queries(12):
        assert client.get(reverse("evaluations:evaluation-list")).status_code == 200


# --- One evaluation -------------------------------------------------------------------------------
def test_detail_shows_official_and_computed_index_band_findings_and_due_follow_ups(client):
    evaluation = result(2023, "3.32", official_index=Decimal("3.31"))
    evaluation.scheme.bands.create(label_ind="Maju", label_en="Advanced", lower=3, upper="3.49")
    finding = FindingFactory(evaluation=evaluation, text_ind="Bukti dukung belum lengkap")
    FollowUpActionFactory(finding=finding, title_ind="Kumpulkan bukti dukung", due_on=timezone.localdate() - LATER)
    FollowUpActionFactory(finding=finding, title_ind="Tindak lanjut draf", publication="draft")
    FollowUpActionFactory(finding=finding, title_ind="Tindak lanjut embargo", publish_from=timezone.now() + LATER)
    FieldVisitFactory(evaluation=evaluation, site="Pantai Air Manis")
    html = client.get(reverse("evaluations:evaluation-detail", args=[evaluation.slug])).content.decode()
    assert "3,31" in html and "3,32" in html and "Maju" in html
    assert "Bukti dukung belum lengkap" in html and "Kumpulkan bukti dukung" in html and "Pantai Air Manis" in html
    assert "Tindak lanjut draf" not in html and "Tindak lanjut embargo" not in html
    assert chart(html, "pillar-scores")["datasets"][0]["data"] == [3.32]


def test_detail_query_count_does_not_grow_with_findings_and_visits(client, django_assert_num_queries):
    evaluation = result(2023, "3.31")
    url = reverse("evaluations:evaluation-detail", args=[evaluation.slug])
    FollowUpActionFactory(finding=FindingFactory(evaluation=evaluation))
    FieldVisitFactory(evaluation=evaluation)
    # 9, and 5 for the evidence beside the scores (survey, instruments, budget, activities, quick wins)
    with django_assert_num_queries(14):
        client.get(url)
    for _ in range(3):
        FollowUpActionFactory.create_batch(2, finding=FindingFactory(evaluation=evaluation))
        FieldVisitFactory(evaluation=evaluation)
    with django_assert_num_queries(14):
        assert client.get(url).status_code == 200


def test_yearly_report_lists_every_public_evaluation_of_the_year(client):
    result(2023, "3.31")
    review = EvaluationFactory(scheme=EvaluationSchemeFactory(year=2023), stage="stage_2", kind="field_review")
    FindingFactory(evaluation=review, text_ind="Kartu Brizzi di Pantai Air Manis")
    html = client.get(reverse("evaluations:evaluation-report", args=[2023])).content.decode()
    assert "B-2023/SC" in html and "Kartu Brizzi di Pantai Air Manis" in html


# --- What changed ---------------------------------------------------------------------------------
def test_what_changed_shows_score_change_and_what_happened_in_between(client):
    result(2022, "3.06", letter_date=datetime.date(2022, 12, 1))
    latest = result(2023, "3.31", letter_date=datetime.date(2023, 12, 1))
    governance = Pillar.objects.get(slug="governance")
    done = dict(stage="completed", progress=100, pillar=governance)
    ProgramFactory(title_ind="Command center", completed_on=datetime.date(2023, 5, 2), **done)
    ProgramFactory(title_ind="Program lama", completed_on=datetime.date(2022, 11, 30), **done)
    ProgramFactory(title_ind="Program draf", completed_on=datetime.date(2023, 5, 2), publication="draft", **done)
    finding = FindingFactory(pillar=governance)
    FollowUpActionFactory(
        finding=finding, title_ind="Semua kelurahan terhubung", status="done", done_on=datetime.date(2023, 3, 1)
    )
    html = client.get(reverse("evaluations:evaluation-changes", args=[latest.slug])).content.decode()
    assert "3,06 → 3,31" in html and "+0,25" in html
    assert "Command center" in html and "Semua kelurahan terhubung" in html
    assert "Program lama" not in html and "Program draf" not in html


def test_what_changed_never_compares_with_an_embargoed_result(client):
    result(2021, "2.87")
    embargoed(2022, "3.99")
    latest = result(2023, "3.31")
    html = client.get(reverse("evaluations:evaluation-changes", args=[latest.slug])).content.decode()
    assert "2,87 → 3,31" in html and "3,99" not in html


def test_what_changed_lists_the_mous_signed_between_the_two_results(client):
    from tests.partnerships.factories import MoUFactory

    result(2022, "2.87")
    mou = MoUFactory(title_ind="MoU Tower Bersama Grup", signed_on=datetime.date(2023, 3, 1))
    mou.pillars.set(Pillar.objects.filter(slug="governance"))
    MoUFactory(title_ind="MoU lama", signed_on=datetime.date(2019, 3, 1))
    with translation.override("en"):
        url = reverse("evaluations:evaluation-changes", args=[result(2023, "3.31").slug])
    html = client.get(url).content.decode()
    assert "MoUs signed" in html and "MoU Tower Bersama Grup" in html and "MoU lama" not in html


# --- Readiness (staff) ----------------------------------------------------------------------------
def test_readiness_is_for_staff_only(client, make_user):
    url = reverse("evaluations:evaluation-readiness", args=[EvaluationFactory().slug])
    assert client.get(url).status_code == 302
    client.force_login(make_user())
    assert client.get(url).status_code == 403


def test_readiness_lists_what_lacks_evidence_or_a_recent_measurement(client, make_user):
    evaluation = EvaluationFactory(started_on=datetime.date(2024, 6, 1), year=2023)
    branding = Pillar.objects.get(slug="branding")
    ProgramFactory(title_ind="Wi-Fi Pantai Air Manis", pillar=branding, stage="in_progress")
    with_evidence = ProgramFactory(title_ind="Program berbukti", pillar=branding, stage="in_progress")
    MilestoneFactory(program=with_evidence, evidence="evidence/x.pdf")
    ProgramFactory(title_ind="Program rencana", pillar=branding, stage="planned")
    MeasurementFactory(
        indicator=IndicatorFactory(name_ind="Indikator lama", pillar=branding),
        measured_on=datetime.date(2022, 1, 1),
        evidence="e.pdf",
    )
    MeasurementFactory(
        indicator=IndicatorFactory(name_ind="Indikator baru", pillar=branding),
        measured_on=datetime.date(2024, 3, 1),
        evidence="e.pdf",
    )
    FollowUpActionFactory(
        title_ind="Tindak lanjut terbuka", finding=FindingFactory(evaluation=evaluation, pillar=branding)
    )
    client.force_login(make_user("evaluations.view_readiness", "evaluations.view_evaluation"))
    html = client.get(reverse("evaluations:evaluation-readiness", args=[evaluation.slug])).content.decode()
    assert "Wi-Fi Pantai Air Manis" in html and "Indikator lama" in html and "Tindak lanjut terbuka" in html
    assert "Program berbukti" not in html and "Program rencana" not in html and "Indikator baru" not in html


# --- Page hygiene ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["list", "detail", "changes", "report"])
def test_pages_have_no_inline_script_or_style_and_nothing_from_another_host(client, name):
    evaluation = result(2023, "3.31")
    args = {"list": [], "report": [2023]}.get(name, [evaluation.slug])
    html = client.get(reverse(f"evaluations:evaluation-{name}", args=args)).content.decode()
    assert " style=" not in html
    html = html.replace(f"<script>{settings.HEAD_SCRIPT}</script>", "", 1)  # the one inline script, hash-allowed
    for script in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        assert 'type="application/json"' in script[0] or (not script[1].strip() and "src=" in script[0])
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert not [url for url in assets if url.startswith(("http:", "https:", "//"))]

"""Public pages of the evaluations (Indonesian first, English under /en/), plus the staff readiness page.

Every public page reads `public()`, for everyone, staff included: only published evaluations whose publish-from
moment (the official letter) has come. Staff preview drafts in the admin, as on the pillars' and partnerships' pages.
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from smartcity.list_views import PublicListView

from . import selectors
from .choices import EvaluationStage
from .models import Evaluation, FieldVisit, Finding, FollowUpAction, LegalInstrument, SurveyTarget
from .public_evidence import evaluation_evidence
from .public_filters import EvaluationPublicFilterSet
from .readiness import dimension_readiness
from .resources import EvaluationResource

PUBLIC = None  # the reader selectors are given on public pages: nobody's permissions, what citizens see


class EvaluationList(PublicListView):
    """The evaluation results year by year, searched and filtered, with a chart of the overall index and each
    pillar, and the filtered list as CSV or JSON."""

    template_name = "evaluations/evaluation_list.html"
    filterset_class = EvaluationPublicFilterSet
    export = EvaluationResource
    download_name = "evaluations"
    paginate_by = None
    context_object_name = "evaluations"

    def get_queryset(self):
        return Evaluation.objects.public().with_related().order_by("-year", "stage", "pk")

    def extra_context(self, context, queryset):
        return {
            "trend": selectors.evaluation_trend(user=PUBLIC),
            "open_surveys": SurveyTarget.objects.public()
            .filter(survey__open_online=True)
            .select_related("survey", "sub_dimension__pillar", "program", "service")
            .order_by("sub_dimension__pillar__order", "sub_dimension__order"),
        }


evaluation_list = EvaluationList.as_view()


def _findings(request, evaluations):
    """The findings of `evaluations` the reader may see, each with the follow-ups the reader may see."""
    follow_ups = FollowUpAction.objects.public().select_related("owner_agency").order_by("due_on")
    return Finding.objects.public().filter(evaluation__in=evaluations).with_related().with_follow_ups(follow_ups)


def evaluation_detail(request, slug: str):
    """One evaluation: index and band, improvement, dimension and pillar scores, findings, follow-ups, visits."""
    evaluation = get_object_or_404(Evaluation.objects.public().with_related(), slug=slug)
    context = {
        "evaluation": evaluation,
        "findings": _findings(request, [evaluation]),
        "visits": FieldVisit.objects.public().filter(evaluation=evaluation).with_related(),
        "chart": selectors.evaluation_pillar_chart(evaluation=evaluation),
        "evidence": evaluation_evidence(evaluation=evaluation, user=PUBLIC),
        "today": timezone.localdate(),
    }
    return render(request, "evaluations/evaluation_detail.html", context)


def evaluation_changes(request, slug: str):
    """What changed since the previous result: per pillar, the score change and what happened in between."""
    evaluation = get_object_or_404(Evaluation.objects.public().with_related(), slug=slug)
    changes = selectors.evaluation_changes(evaluation=evaluation, user=PUBLIC)
    return render(request, "evaluations/evaluation_changes.html", {"evaluation": evaluation, "changes": changes})


def evaluation_report(request, year: int):
    """A print-friendly report of one year: every evaluation with its scores, findings and follow-ups."""
    evaluations = list(Evaluation.objects.public().with_related().filter(year=year).order_by("stage"))
    if not evaluations:
        raise Http404
    findings = {}
    for finding in _findings(request, evaluations):
        findings.setdefault(finding.evaluation_id, []).append(finding)
    sections = [(evaluation, findings.get(evaluation.pk, [])) for evaluation in evaluations]
    context = {"year": year, "sections": sections, "today": timezone.localdate()}
    return render(request, "evaluations/evaluation_report.html", context)


@login_required(login_url="admin:login")
@permission_required("evaluations.view_readiness", raise_exception=True)
def evaluation_readiness(request, slug: str):
    """Staff only: pillar by pillar, what still lacks evidence or a recent measurement before submitting."""
    evaluation = get_object_or_404(Evaluation.objects.with_related(), slug=slug)
    groups = selectors.evaluation_readiness(evaluation=evaluation)
    dimensions = dimension_readiness(evaluation=evaluation)
    context = {
        "evaluation": evaluation,
        "groups": groups,
        "gaps": sum(group.gaps for group in groups),
        "dimensions": dimensions,
        "blocking": sum(dimension.blocking for dimension in dimensions),
        "gated": evaluation.stage != EvaluationStage.FINAL,  # the final stage records the letter: no gate
    }
    return render(request, "evaluations/evaluation_readiness.html", context)


def legal_instrument_list(request):
    """The output register of one year (the latest by default): the regulations and decrees, the pillars they
    serve, the bodies a decree forms with their members, and the signed files."""
    instruments = LegalInstrument.objects.public()
    years = sorted(set(instruments.values_list("year", flat=True)), reverse=True)
    default = years[0] if years else timezone.localdate().year
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else default
    rows = instruments.filter(year=year).with_related().order_by("-kind", "issued_on", "pk")  # regulations first
    context = {"instruments": rows, "year": year, "years": years}
    return render(request, "evaluations/legalinstrument_list.html", context)


def evaluation_moved(request, pk: int, page: str = "detail"):
    """The old addresses by id (/evaluations/12/, its changes/): a permanent redirect to the slug, for those who
    may see the evaluation (others get the 404 the page would give)."""
    evaluation = get_object_or_404(Evaluation.objects.public(), pk=pk)
    return redirect(f"evaluations:evaluation-{page}", evaluation.slug, permanent=True)


@login_required(login_url="admin:login")
@permission_required("evaluations.view_readiness", raise_exception=True)
def evaluation_readiness_moved(request, pk: int):
    """The readiness page's old address by id: a permanent redirect to the slug, for staff who may see it."""
    evaluation = get_object_or_404(Evaluation.objects.all(), pk=pk)
    return redirect("evaluations:evaluation-readiness", evaluation.slug, permanent=True)

"""The evaluations app's work in the staff workspace (pillars.workspace): clarification requests to answer or to
close, follow-up actions due, and what the current evaluation still lacks."""

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pillars.workspace import Task, WorkItem, admin_url, register

from .choices import CLOSED_FOLLOW_UP_STATUSES, ClarificationStatus, EvaluationStatus, FollowUpStatus
from .models import ClarificationRequest, Evaluation, FollowUpAction
from .readiness import year_gaps

OPEN_FOLLOW_UP = [status for status in FollowUpStatus if status not in CLOSED_FOLLOW_UP_STATUSES]


def _clarifications(status: str, *, own_agency: bool):
    def rows(context):
        requests = ClarificationRequest.objects.visible_to(context.user)
        if own_agency:  # answered by the agency it is addressed to
            requests = requests.editable_by(context.user)
        return requests.filter(status=status).annotate(deadline=F("due_on"))

    return rows


def _follow_ups(context):
    return FollowUpAction.objects.editable_by(context.user).open().annotate(deadline=F("due_on"))


def _follow_ups_url(context) -> str:
    """The admin lists every agency's follow-ups; the link narrows it to the person's own agencies."""
    params = {"status__in": ",".join(OPEN_FOLLOW_UP), "due_on__lte": context.ahead.isoformat()}
    if context.agency_ids is not None:
        params["owner_agency__id__in"] = ",".join(str(pk) for pk in context.agency_ids) or "0"
    return admin_url(FollowUpAction, **params)


def _readiness(context) -> WorkItem | None:
    """The gaps of the newest evaluation not yet final (evaluations.readiness), due when the evaluation ends."""
    evaluation = (Evaluation.objects.exclude(status=EvaluationStatus.FINAL).order_by("-year", "-pk")).first()
    if evaluation is None:
        return None
    gaps = year_gaps(evaluation=evaluation)
    if not gaps:
        return None
    url = reverse("evaluations:evaluation-readiness", args=[evaluation.slug])
    late = evaluation.ended_on is not None and evaluation.ended_on < context.today
    label = _("Readiness gaps of %(evaluation)s") % {"evaluation": evaluation}
    return WorkItem("evaluations.readiness", label, len(gaps), url, evaluation.ended_on, len(gaps) if late else 0)


register(
    Task(
        key="evaluations.clarifications_to_answer",
        label=_("Clarification requests to answer"),
        perms=("evaluations.answer_clarificationrequest",),
        rows=_clarifications(ClarificationStatus.OPEN, own_agency=True),
        url=lambda context: admin_url(ClarificationRequest, status__exact=ClarificationStatus.OPEN),
        order=30,
        windowed=False,
    )
)
register(
    Task(
        key="evaluations.clarifications_to_close",
        label=_("Answered clarification requests to close"),
        perms=("evaluations.change_clarificationrequest",),
        rows=_clarifications(ClarificationStatus.ANSWERED, own_agency=False),
        url=lambda context: admin_url(ClarificationRequest, status__exact=ClarificationStatus.ANSWERED),
        order=31,
        windowed=False,
        remind=False,  # the assessor's own deadline is the agency's: the agency is reminded
    )
)
register(
    Task(
        key="evaluations.follow_ups_due",
        label=_("Follow-up actions due"),
        perms=("evaluations.change_followupaction",),
        rows=_follow_ups,
        url=_follow_ups_url,
        order=40,
    )
)
register(
    Task(
        key="evaluations.readiness",
        label=_("Readiness gaps"),
        perms=(
            "evaluations.submit_evaluation",
            "evaluations.view_readiness",
            "pillars.manage_all_agencies",
        ),  # Diskominfo
        rows=lambda context: None,
        url=lambda context: "",
        summary=_readiness,
        order=50,
    )
)

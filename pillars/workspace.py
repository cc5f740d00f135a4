"""The staff workspace (issue 22): for the signed-in person, everything due or waiting, with counts, the nearest due
date and a link to the admin page that does it.

Each app registers its own kinds of work (`register(Task(...))`: this module the portfolio's, partnerships and
evaluations theirs from their `workspace` modules, imported by their AppConfig.ready()), so the dependencies keep
pointing one way and the core names no app: the admin index reaches `workspace_for` through
settings.WORKSPACE_SELECTOR. A task's rows come from the querysets' own `editable_by(user)`/`visible_to(user)`, never
from a rule of its own. One query per kind of work (plus the person's permissions and agencies), whatever the data.

The same rows make the daily digest (`workspace_digests_send`) and the reminders before each deadline
(`workspace_reminders_send`, settings.REMINDER_LEAD_DAYS), each sent once per person (WorkspaceNotice).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, DateField, F, Min, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcity.notifications import notify
from smartcity.scoping import manages_all_agencies

from .choices import Approval
from .models import Activity, Agency, Feedback, Indicator, WorkspaceNotice

NO_DATE = Value(None, output_field=DateField())


@dataclass
class Context:
    """Who asks, and on which day; the agencies they edit for are read once, when a task needs them."""

    user: object
    today: datetime.date

    @property
    def ahead(self) -> datetime.date:
        """Dated work shows from this many days before it is due (settings.WORKSPACE_DAYS_AHEAD)."""
        return self.today + datetime.timedelta(days=settings.WORKSPACE_DAYS_AHEAD)

    @cached_property
    def agency_ids(self) -> list[int] | None:
        """The agencies the person edits for; None for those who edit for every agency."""
        if manages_all_agencies(self.user):
            return None
        return list(Agency.objects.filter(members=self.user).values_list("pk", flat=True))


@dataclass(frozen=True)
class Task:
    """One kind of work: who does it (`perms`, all needed), the rows to do (a queryset annotated with `deadline`, a
    date or null, already scoped to the person), and the admin page where it is done."""

    key: str
    label: object
    perms: tuple[str, ...]
    rows: Callable[[Context], object]
    url: Callable[[Context], str]
    order: int = 100
    windowed: bool = True  # dated rows show from WORKSPACE_DAYS_AHEAD before they are due; False: all rows
    remind: bool = True  # reminders before the deadline (False where the app mails its own, e.g. MoU expiry)
    summary: Callable[[Context], "WorkItem | None"] | None = None  # work that is no queryset (readiness gaps)


@dataclass
class WorkItem:
    """One row of the workspace: what, how many, the nearest due date, how many overdue, and where."""

    key: str
    label: object
    count: int
    url: str
    due_on: datetime.date | None = None
    overdue: int = 0
    overdue_rows: list = field(default_factory=list)


TASKS: dict[str, Task] = {}


def register(task: Task) -> Task:
    """Add a kind of work to every workspace (a second registration under the same key replaces the first)."""
    TASKS[task.key] = task
    return task


def admin_url(model, **params) -> str:
    """The admin change list of `model`, filtered by `params`."""
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def change_url(row) -> str:
    opts = row._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])


def _tasks_for(user) -> list[Task]:
    if user is None or not user.is_active or not user.is_staff:
        return []
    return sorted((t for t in TASKS.values() if user.has_perms(t.perms)), key=lambda t: (t.order, t.key))


def _rows(task: Task, context: Context):
    rows = task.rows(context)
    if task.windowed:
        rows = rows.filter(Q(deadline__isnull=True) | Q(deadline__lte=context.ahead))
    return rows


def _item(task: Task, context: Context, overdue_rows: int) -> WorkItem | None:
    if task.summary is not None:
        return task.summary(context)
    rows = _rows(task, context)
    late = Q(deadline__lt=context.today)
    figures = rows.aggregate(count=Count("pk"), overdue=Count("pk", filter=late), due_on=Min("deadline"))
    if not figures["count"]:
        return None
    item = WorkItem(task.key, task.label, figures["count"], task.url(context), figures["due_on"], figures["overdue"])
    if overdue_rows and item.overdue:
        item.overdue_rows = list(rows.filter(late).order_by("deadline", "pk")[:overdue_rows])
    return item


def workspace_for(user, *, today: datetime.date | None = None, overdue_rows: int = 0) -> list[WorkItem]:
    """Everything due or waiting for `user`, one row per kind of work that has any, in the order of the work; with
    `overdue_rows`, each row also carries up to that many of its overdue records (for the digest)."""
    context = Context(user=user, today=today or timezone.localdate())
    items = (_item(task, context, overdue_rows) for task in _tasks_for(user))
    return [item for item in items if item is not None]


# --- The portfolio's work ------------------------------------------------------------------------------------------
def _measurements_due(context: Context):
    return Indicator.objects.editable_by(context.user).with_measurement_due().annotate(deadline=F("measurement_due_on"))


def _activities_to_report(context: Context):
    """This year's activities and last year's, not yet carried out; each is due at the end of its year."""
    year = context.today.year
    return (
        Activity.objects.editable_by(context.user)
        .filter(year__in=[year - 1, year], progress__lt=100)
        .annotate(
            deadline=Case(
                When(year=year - 1, then=Value(datetime.date(year - 1, 12, 31))),
                default=Value(datetime.date(year, 12, 31)),
                output_field=DateField(),
            )
        )
    )


def _activities_url(context: Context) -> str:
    return admin_url(Activity, year__gte=context.today.year - 1, year__lte=context.today.year, progress__lt=100)


def _indicators(approval: str):
    def rows(context: Context):
        return Indicator.objects.editable_by(context.user).filter(approval=approval).annotate(deadline=NO_DATE)

    return rows


register(
    Task(
        key="pillars.measurements_due",
        label=_("Measurements due"),
        perms=("pillars.add_measurement", "pillars.change_indicator"),
        rows=_measurements_due,
        url=lambda context: admin_url(Indicator, measurement="due"),
        order=10,
    )
)
register(
    Task(
        key="pillars.activities_to_report",
        label=_("Activities to report"),
        perms=("pillars.change_activity",),
        rows=_activities_to_report,
        url=_activities_url,
        order=20,
        windowed=False,
    )
)
register(
    Task(
        key="pillars.indicators_sent_back",
        label=_("Indicators sent back by the walidata"),
        perms=("pillars.submit_indicator", "pillars.change_indicator"),
        rows=_indicators(Approval.SENT_BACK),
        url=lambda context: admin_url(Indicator, approval__exact=Approval.SENT_BACK),
        order=60,
    )
)
register(
    Task(
        key="pillars.indicators_to_approve",
        label=_("Indicators awaiting the walidata's approval"),
        perms=("pillars.approve_indicator",),
        rows=_indicators(Approval.SUBMITTED),
        url=lambda context: admin_url(Indicator, approval__exact=Approval.SUBMITTED),
        order=61,
    )
)
register(
    Task(
        key="pillars.feedback_to_moderate",
        label=_("Citizen feedback to moderate"),
        perms=("pillars.change_feedback",),
        rows=lambda context: Feedback.objects.editable_by(context.user).pending().annotate(deadline=NO_DATE),
        url=lambda context: admin_url(Feedback, status__exact="pending"),
        order=70,
    )
)


# --- Mail: the daily digest and the reminders before each deadline -------------------------------------------------
def _recipients():
    return get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="").order_by("pk")


def _claim(user, topic: str) -> bool:
    """Record that `topic` went to `user`; False when it already had (a second run, or a run beside this one)."""
    try:
        with transaction.atomic():  # a savepoint: a refused claim leaves the caller's transaction usable
            WorkspaceNotice.objects.create(user=user, topic=topic)
    except IntegrityError:
        return False
    return True


def _mail(user, *, kind: str, context: dict) -> int:
    return notify(
        recipients=[user.email],
        subject_template=f"pillars/email/workspace_{kind}_subject.txt",
        body_template=f"pillars/email/workspace_{kind}_body.txt",
        context={**context, "person": user, "site_name": settings.PORTAL_CITY_NAME, "base": settings.PORTAL_BASE_URL},
    )


def workspace_digests_send(*, today: datetime.date) -> int:
    """Mail each staff member whose workspace has overdue work their workspace's rows, with the overdue records named,
    at most once a day; returns the number of digests sent."""
    sent = 0
    for user in _recipients():
        items = workspace_for(user, today=today, overdue_rows=20)
        if any(item.overdue for item in items):
            sent += _digest_send(user, items, today)
    return sent


@transaction.atomic
def _digest_send(user, items: list[WorkItem], today: datetime.date) -> int:
    """Claim the person's digest of the day, then mail; a failed mail rolls the claim back for a retry."""
    if not _claim(user, f"digest:{today.isoformat()}"):
        return 0
    overdue = sum(item.overdue for item in items)
    _mail(user, kind="digest", context={"items": items, "overdue": overdue, "today": today})
    return 1


def _due_in(user, today: datetime.date, leads: list[int]) -> list[dict]:
    """The records of the person's workspace due exactly one of `leads` days from `today`."""
    context, days = Context(user=user, today=today), {today + datetime.timedelta(days=lead): lead for lead in leads}
    found = []
    for task in _tasks_for(user):
        if task.summary is not None or not task.remind:
            continue
        for row in task.rows(context).filter(deadline__in=list(days)).order_by("deadline", "pk"):
            lead = days[row.deadline]
            topic = f"reminder:{row._meta.label_lower}:{row.pk}:{row.deadline.isoformat()}:{lead}"
            found.append({"task": task, "row": row, "lead": lead, "topic": topic, "url": change_url(row)})
    return found


def workspace_reminders_send(*, today: datetime.date) -> int:
    """Mail each staff member one list of their work due exactly settings.REMINDER_LEAD_DAYS days from `today`,
    each record at each lead day once, even when the job runs twice; returns the number of e-mails sent."""
    leads = sorted(set(settings.REMINDER_LEAD_DAYS))
    return sum(_reminder_send(user, _due_in(user, today, leads), today) for user in _recipients())


@transaction.atomic
def _reminder_send(user, due: list[dict], today: datetime.date) -> int:
    """Claim each (record, lead day) not yet sent, then mail them; a failed mail rolls the claims back."""
    fresh = [entry for entry in due if _claim(user, entry["topic"])]
    if not fresh:
        return 0
    _mail(user, kind="reminder", context={"due": fresh, "today": today})
    return 1

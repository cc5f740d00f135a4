"""Citizen feedback on a published program or service: the public form, its page and what it shows.

The form posts here from pages kept in the public cache, so it carries no CSRF token (a token would put a cookie
on every program page and keep it out of the cache). It needs none: it acts for nobody's session, changes nothing
but the pending queue, and it is accepted only from the portal's own pages: Sec-Fetch-Site `same-origin`, or
without Fetch Metadata an Origin (or Referer) naming the portal's own origin exactly (smartcity/origins.py).
Robots meet a budget per address (an IPv6 /64 counts as one: smartcity.api.throttling.client_address;
REST_FRAMEWORK DEFAULT_THROTTLE_RATES["feedback"]), a honeypot field and repeat detection per address
(pillars.services.feedback_submit); nothing is shown before the agency publishes it.
"""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from smartcity.api.throttling import CounterThrottle, client_address
from smartcity.origins import from_own_pages

from . import services
from .forms import FeedbackForm
from .models import DigitalService, Feedback, Program

PAGE_SIZE = 20


class FeedbackRateThrottle(CounterThrottle):
    """Posts of the public feedback form, per address, signed in or not (DEFAULT_THROTTLE_RATES["feedback"])."""

    scope = "feedback"

    def get_cache_key(self, request, view=None):
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}


SUBJECTS = {"program": Program, "service": DigitalService}


def subject_feedback(subject, limit: int | None = None) -> dict:
    """The published feedback on `subject` (newest first, `limit` of them) and how many there are: two queries."""
    field = "program" if isinstance(subject, Program) else "service"
    published = Feedback.objects.published().filter(**{field: subject})
    rows = published.order_by("-created_at", "-pk")
    return {
        "feedback_count": published.count(),
        "feedback": rows[:limit] if limit else rows,
        "feedback_form": FeedbackForm(),
        "feedback_url": reverse(f"pillars:{field}-feedback", args=[subject.slug]),
    }


def _subject(kind: str, slug: str):
    if kind not in SUBJECTS:
        raise Http404
    return get_object_or_404(SUBJECTS[kind].objects.published().with_related(), slug=slug)


def _refusal(request, status: int, message: str, *, subject, kind, form=None, retry_after: int | None = None):
    context = _page_context(request, subject, kind, form=form)
    context["refusal"] = message
    response = render(request, "pillars/feedback_page.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _page_context(request, subject, kind: str, form=None) -> dict:
    context = subject_feedback(subject)
    context["page"] = Paginator(context.pop("feedback"), PAGE_SIZE).get_page(request.GET.get("page"))
    context |= {"subject": subject, "kind": kind}
    if form is not None:
        context["feedback_form"] = form
    return context


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def feedback_page(request, kind: str, slug: str):
    """A program's or service's published feedback with the agency's replies, and the form to write one."""
    subject = _subject(kind, slug)
    if request.method != "POST":
        return render(request, "pillars/feedback_page.html", _page_context(request, subject, kind))
    if not from_own_pages(request):
        message = _("This form only accepts messages sent from this portal's own pages.")
        return _refusal(request, 403, message, subject=subject, kind=kind)
    throttle = FeedbackRateThrottle()
    if not throttle.allow_request(request, None):
        wait = throttle.wait()
        message = _("Too many messages from your address. Please try again in %(minutes)s minutes.") % {
            "minutes": max(1, round(wait / 60))
        }
        return _refusal(request, 429, message, subject=subject, kind=kind, retry_after=wait)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return _refusal(
            request,
            400,
            _("Your message was not sent: please correct the fields marked below."),
            subject=subject,
            kind=kind,
            form=form,
        )
    sent = reverse(f"pillars:{kind}-feedback-sent", args=[slug])
    if form.is_robot:
        return HttpResponseRedirect(sent, status=303)  # a robot learns nothing; nothing is kept
    fields = {name: form.cleaned_data[name] for name in ("message", "name", "contact", "lapor_reference")}
    try:
        services.feedback_submit(subject=subject, sender=client_address(request), **fields)
    except ValidationError as error:
        return _refusal(
            request,
            409 if error.code in ("repeat", "repeat_sender") else 400,
            " ".join(error.messages),
            subject=subject,
            kind=kind,
            form=form,
        )
    return HttpResponseRedirect(sent, status=303)  # the browser follows with a GET: a reload does not post again


def feedback_sent(request, kind: str, slug: str):
    """Thanks, and what happens next: the agency reads the message before anyone else can."""
    subject = _subject(kind, slug)
    return render(request, "pillars/feedback_sent.html", {"subject": subject, "kind": kind})

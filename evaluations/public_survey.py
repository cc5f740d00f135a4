"""The public survey page (issue 14): a citizen answers the year's survey about one program or service, on the
portal, once. No outside service: the repeat guard is a signed cookie on the device and, for a day, a keyed hash
of the address (never stored as such) in the cache. The address is `client_address`: TRUSTED_PROXY_COUNT decides
which one, and an IPv6 /64 counts as one address. Never the browser's own strings: a fresh cookie jar and a new
User-Agent cost a robot nothing, so they make no new respondent (a household sharing a connection answers once).
A per-address budget throttles bursts across programs, and each surveyed program takes at most
SURVEY_WEB_DAILY_CAP answers a day from this page, counted in the database under the surveyed program's row lock.
Readiness shows these answers apart from imported ones (SURVEY_WEB_COUNTS_TOWARD_MINIMUM). The answers are
written by the response's writer, like every other door; only aggregates are public."""

import hashlib

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from smartcity.api.throttling import client_address, count_hit

from .choices import ResponseSource
from .models import SurveyResponse, SurveyTarget
from .services.evidence import survey_response_create

REPEAT_WINDOW = 24 * 3600  # one answer per device and per address a day, for each surveyed program
ADDRESS_BUDGET, ADDRESS_WINDOW = 30, 3600  # at most 30 answers an hour from one address (an office behind NAT)
COOKIE_SALT = "evaluations.survey"
TEMPLATE = "evaluations/survey_answer.html"


class SurveyAnswerForm(forms.Form):
    """One Likert choice per item of the survey, labelled in the page's language; each field keeps its `item` so
    the page can mark a statement that falls back to Indonesian (`field.field.item|lang_attr:"text"`)."""

    def __init__(self, *args, survey, items, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(value), str(value)) for value in range(survey.scale_min, survey.scale_max + 1)]
        for item in items:
            self.fields[item.code] = forms.ChoiceField(label=item.text, choices=choices, widget=forms.RadioSelect)
            self.fields[item.code].item = item


def _cookie_name(target: SurveyTarget) -> str:
    return f"kc-survey-{target.pk}"


def _fingerprint(request, target: SurveyTarget) -> str:
    """A keyed hash of the address for this surveyed program: the address itself is never kept."""
    parts = [settings.SECRET_KEY, client_address(request), str(target.pk)]
    return "survey-repeat:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def already_answered(request, target: SurveyTarget) -> bool:
    if request.get_signed_cookie(_cookie_name(target), default=None, salt=COOKIE_SALT, max_age=REPEAT_WINDOW):
        return True
    return cache.get(_fingerprint(request, target)) is not None


def over_budget(request) -> bool:
    count = count_hit(f"survey-budget:{client_address(request)}", ADDRESS_WINDOW)
    return count is not None and count > ADDRESS_BUDGET


class DailyCapError(Exception):
    """The surveyed program has had SURVEY_WEB_DAILY_CAP answers from the page today."""


def _write(surveyed: SurveyTarget, answers: dict) -> None:
    """Write one web answer unless the surveyed program has had its day's share; the program's row lock makes
    concurrent answers count one after the other."""
    SurveyTarget.objects.select_for_update().filter(pk=surveyed.pk).values_list("pk").get()
    today = timezone.localdate()
    web_today = SurveyResponse.objects.filter(target=surveyed, source=ResponseSource.WEB, answered_on=today)
    if web_today.count() >= settings.SURVEY_WEB_DAILY_CAP:
        raise DailyCapError
    survey_response_create(
        data={
            "target": surveyed,
            "answered_on": today,
            "source": ResponseSource.WEB,
            "answers": answers,
        },
        actor=None,  # a citizen: the page is the door; the writer still checks every answer on the scale
    )


def _record(request, surveyed: SurveyTarget, answers: dict):
    """Write the answers, remember the device and address, and send the visitor on to the thanks."""
    with transaction.atomic():
        _write(surveyed, answers)
    cache.set(_fingerprint(request, surveyed), 1, timeout=REPEAT_WINDOW)
    response = redirect(request.path + "?thanks=1")
    response.set_signed_cookie(
        _cookie_name(surveyed), "1", salt=COOKIE_SALT, max_age=REPEAT_WINDOW, httponly=True, samesite="Lax",
        secure=request.is_secure(),
    )  # fmt: skip
    return response


@require_http_methods(["GET", "POST"])
def survey_answer(request, slug: str, target: int):
    """The form of one surveyed program or service of a survey open online; answered once per device and day."""
    surveyed = get_object_or_404(
        SurveyTarget.objects.public().with_related().filter(survey__slug=slug, survey__open_online=True), pk=target
    )
    items = list(surveyed.survey.items.order_by("order", "pk"))
    if not items:
        raise Http404
    form = SurveyAnswerForm(request.POST or None, survey=surveyed.survey, items=items)
    context = {"target": surveyed, "survey": surveyed.survey, "form": form, "thanks": "thanks" in request.GET}
    if request.method == "GET":
        context["repeat"] = already_answered(request, surveyed) and not context["thanks"]
        return render(request, TEMPLATE, context)
    if already_answered(request, surveyed):
        return render(request, TEMPLATE, {**context, "repeat": True}, status=409)
    if over_budget(request):
        return render(request, TEMPLATE, {**context, "busy": True}, status=429)
    if not form.is_valid():
        return render(request, TEMPLATE, context, status=400)
    try:
        return _record(request, surveyed, form.cleaned_data)
    except DailyCapError:
        return render(request, TEMPLATE, {**context, "full": True}, status=429)
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, TEMPLATE, context, status=400)

"""The admin's doors to the evaluation's workflow steps that used to need an HTTP client (issue 22): answering and
closing a clarification request, building the evaluation pack, submitting a stage past blocking gaps. Each door
calls the very service the API's action calls (evaluations/services/), so the rules and
the writer are one; a page offers a step only when the service's own check lets the user through."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import services
from .choices import EvaluationStage, EvaluationStatus, ExportFormat, ExportStatus
from .models import ClarificationAnswer, EvaluationPack
from .services.evidence import (
    allowed,
    clarification_answer,
    clarification_answer_check,
    clarification_close,
    clarification_close_check,
)


def _messages(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def _url(model_admin, view: str, *args) -> str:
    opts = model_admin.opts
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


class _DoorsMixin:
    """Extra admin pages for one row, found by the change list's own queryset (a hidden row answers 404)."""

    doors: tuple[str, ...] = ()

    def get_urls(self):
        opts = self.opts
        extra = [
            path(
                f"<path:object_id>/{name}/",
                self.admin_site.admin_view(getattr(self, f"{name}_view")),
                name=f"{opts.app_label}_{opts.model_name}_{name}",
            )
            for name in self.doors
        ]
        return [*extra, *super().get_urls()]

    def _row_or_404(self, request, object_id):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        row = self.get_object(request, unquote(object_id))
        if row is None:
            raise Http404
        return row

    def _back(self, object_id):
        return HttpResponseRedirect(_url(self, "change", object_id))


# --- Clarification requests: answer (the owning agency), close (the assessor) -----------------------------------------
class ClarificationAnswerForm(forms.ModelForm):
    """The answer's text and optional file, checked by the model's own validators (type and size), as the API is."""

    class Meta:
        model = ClarificationAnswer
        fields = ["text", "file"]


class ClarificationDoorsMixin(_DoorsMixin):
    doors = ("answer", "close")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        row = self.get_object(request, unquote(object_id))
        context = dict(extra_context or {})
        if row is not None:
            user = request.user
            context.setdefault("answer_form", ClarificationAnswerForm())
            context["may_answer"] = allowed(clarification_answer_check, request=row, actor=user)
            context["may_close"] = allowed(clarification_close_check, request=row, actor=user)
            context["answer_url"] = _url(self, "answer", row.pk)
            context["close_url"] = _url(self, "close", row.pk)
        return super().change_view(request, object_id, form_url, context)

    def answer_view(self, request, object_id):
        row = self._row_or_404(request, object_id)
        if request.method != "POST":
            return self._back(row.pk)
        form = ClarificationAnswerForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    clarification_answer(request=row, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, _messages(error))
            else:
                self.message_user(request, gettext("Your answer was sent."), messages.SUCCESS)
                return self._back(row.pk)
        request.method = "GET"  # show the request's page again, with the answer form and its errors
        return self.change_view(request, object_id, extra_context={"answer_form": form})

    def close_view(self, request, object_id):
        row = self._row_or_404(request, object_id)
        if request.method != "POST":
            return self._back(row.pk)
        try:
            clarification_close(request=row, actor=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(_messages(error)), messages.ERROR)
        else:
            self.message_user(request, gettext("The request is closed."), messages.SUCCESS)
        return self._back(row.pk)


# --- Evaluations: the pack (build, progress, download) and the readiness override -------------------------------------
class OverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why the stage is handed in although readiness shows blocking gaps; kept with the gaps."),
    )


class EvaluationDoorsMixin(_DoorsMixin):
    doors = ("pack", "override")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        row = self.get_object(request, unquote(object_id))
        context = dict(extra_context or {})
        if row is not None:
            if request.user.has_perm("evaluations.view_evaluationpack"):
                context["pack_url"] = _url(self, "pack", row.pk)
            draft = row.status == EvaluationStatus.DRAFT and row.stage != EvaluationStage.FINAL
            if draft and allowed(services.readiness_override_check, evaluation=row, actor=request.user):
                context["override_url"] = _url(self, "override", row.pk)
        return super().change_view(request, object_id, form_url, context)

    def pack_view(self, request, object_id):
        """The evaluation's packs, newest first, refreshed while one is being made; a button builds XLSX and PDF."""
        evaluation = self._row_or_404(request, object_id)
        if not request.user.has_perm("evaluations.view_evaluationpack"):
            raise PermissionDenied
        if request.method == "POST":
            formats = [request.POST["format"]] if request.POST.get("format") else list(ExportFormat.values)
            try:
                with transaction.atomic():
                    for fmt in formats:
                        services.evaluation_pack_request(actor=request.user, evaluation=evaluation, fmt=fmt)
            except ValidationError as error:
                self.message_user(request, " ".join(_messages(error)), messages.ERROR)
            else:
                self.message_user(request, gettext("The pack is being made; this page shows when it is ready."))
            return HttpResponseRedirect(_url(self, "pack", evaluation.pk))
        packs = list(EvaluationPack.objects.filter(evaluation=evaluation).select_related("requested_by")[:20])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": evaluation,
            "title": gettext("Evaluation pack · %(evaluation)s") % {"evaluation": evaluation},
            "packs": packs,
            "busy": any(p.status in (ExportStatus.QUEUED, ExportStatus.RUNNING) for p in packs),
            "may_build": request.user.has_perm("evaluations.add_evaluationpack"),
        }
        return TemplateResponse(request, "admin/evaluations/evaluation/pack.html", context)

    def override_view(self, request, object_id):
        """Submit the stage past its blocking gaps, with a reason: the administrator's step alone."""
        from .readiness import dimension_readiness

        evaluation = self._row_or_404(request, object_id)
        services.readiness_override_check(evaluation=evaluation, actor=request.user)  # others: 403, nothing shown
        form = OverrideForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.evaluation_submit(
                    evaluation=evaluation, actor=request.user, override_reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                form.add_error(None, _messages(error))
            else:
                self.message_user(request, gettext("The stage was submitted; the override is kept."), messages.SUCCESS)
                return self._back(evaluation.pk)
        dimensions = [d for d in dimension_readiness(evaluation=evaluation) if d.blocking]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": evaluation,
            "title": gettext("Submit past blocking gaps · %(evaluation)s") % {"evaluation": evaluation},
            "form": form,
            "dimensions": dimensions,
        }
        return TemplateResponse(request, "admin/evaluations/evaluation/override.html", context)

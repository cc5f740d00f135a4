from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    """The annual evaluations of the smart-city program, with scores, findings and follow-ups."""

    name = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self):
        from . import workspace  # noqa: F401  (registers the app's work in the staff workspace)

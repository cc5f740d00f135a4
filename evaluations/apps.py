from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    """The annual evaluations of the smart-city program, with scores, findings and follow-ups."""

    name = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self):
        from . import search  # noqa: F401  (registers the app's kinds in the site search)
        from . import workspace  # noqa: F401  (registers the app's work in the staff workspace)

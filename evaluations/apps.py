from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    """The annual evaluations of the smart-city program, with scores, findings and follow-ups."""

    name = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self):
        # each registers the app's part: its work in the staff workspace, its kinds in the site search
        from . import search, workspace  # noqa: F401

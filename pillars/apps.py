from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PillarsConfig(AppConfig):
    """The six smart-city pillars, the city's agencies, and (later) the program portfolio."""

    name = "pillars"
    verbose_name = _("Pillars and programs")

    def ready(self):
        from . import search  # noqa: F401  (registers the app's kinds in the site search)
        from . import workspace  # noqa: F401  (registers the portfolio's work in the staff workspace)
        from .figures import connect_change_marks

        connect_change_marks()

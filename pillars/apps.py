from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PillarsConfig(AppConfig):
    """The six smart-city pillars, the city's agencies, and (later) the program portfolio."""

    name = "pillars"
    verbose_name = _("Pillars and programs")

    def ready(self):
        # each registers the portfolio's part: its work in the staff workspace, its kinds in the site search
        from . import search, workspace  # noqa: F401
        from .figures import connect_change_marks

        connect_change_marks()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    """Partners and the MoUs (nota kesepahaman) the city signs with them."""

    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        # each registers the app's part: its work in the staff workspace, its kinds in the site search
        from . import search, workspace  # noqa: F401

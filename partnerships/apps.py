from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    """Partners and the MoUs (nota kesepahaman) the city signs with them."""

    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        from . import search  # noqa: F401  (registers the app's kinds in the site search)
        from . import workspace  # noqa: F401  (registers the app's work in the staff workspace)

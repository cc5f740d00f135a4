from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    """Partners and the MoUs (nota kesepahaman) the city signs with them."""

    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        from evaluations.selectors import register_change_source

        from .selectors import mous_signed_between

        register_change_source("mous_signed", label=_("MoUs signed"), source=mous_signed_between)

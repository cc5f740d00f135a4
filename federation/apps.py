from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    """The provincial view: the other cities' portals this one follows, read through their public API and compared."""

    name = "federation"
    verbose_name = _("Provincial view")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmartcityConfig(AppConfig):
    """The project package as an app: shared templates tags, management commands and translations."""

    name = "smartcity"
    verbose_name = _("Kota Cerdas")

    def ready(self):
        from . import lookups  # noqa: F401 - registers `__in` for integer fields
        from .cache import connect_invalidation
        from .replica import install_deadlines

        connect_invalidation()
        install_deadlines()  # a replica that hangs holds no request long (smartcity/replica.py)

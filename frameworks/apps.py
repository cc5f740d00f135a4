from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworksConfig(AppConfig):
    """The national assessment frameworks (SPBE, Indeks Pemdi), the city's self-assessments against them and the
    external indices others publish about the city; built on the evaluations' scale and band rules."""

    name = "frameworks"
    verbose_name = _("Frameworks and indices")

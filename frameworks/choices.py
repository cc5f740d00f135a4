from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexScope(models.TextChoices):
    CITY = "city", _("The city's own value")
    NATIONAL = "national", _("National: the country's value, not the city's")


class IndexKind(models.TextChoices):
    SCORE = "score", _("Score on a scale")
    LEVEL = "level", _("Rating on levels")

"""Model fields any app may use: a calendar year."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class YearField(models.PositiveSmallIntegerField):
    """A calendar year between 2000 and 2100."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [MinValueValidator(2000), MaxValueValidator(2100)])
        super().__init__(*args, **kwargs)

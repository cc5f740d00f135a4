"""Field builders shared by the evaluation models: scores stored with room for any scheme's decimals."""

from django.db import models

# Scores and scale bounds keep four decimal places; a scheme says how many of them count (0 to 4).
MAX_DECIMALS = 4
SCORE = {"max_digits": 10, "decimal_places": MAX_DECIMALS}
WEIGHT = {"max_digits": 5, "decimal_places": 2}


def score_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name=verbose_name, **SCORE, **kwargs)

"""Abstract bases and field helpers shared by every app (no concrete models live here)."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """A row that records when it was created and last changed."""

    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Translated:
    """Reads `<base>_id` or `<base>_en` for the active language, falling back to Indonesian when empty.

    Data that exists in both languages is stored in explicit columns (name_id, name_en); this
    descriptor only picks one of the row's own columns, so it never costs a query.
    """

    def __init__(self, base: str):
        self.base = base

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        language = (get_language() or "id").split("-")[0]
        value = getattr(instance, f"{self.base}_{language}", "")
        return value or getattr(instance, f"{self.base}_id")

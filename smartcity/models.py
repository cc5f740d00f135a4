"""Abstract bases and field helpers shared by every app (no concrete models live here)."""

from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .choices import Publication
from .policy import EVERYONE, PUBLISHED, Policy, RestrictedQuerySet


@lru_cache(maxsize=1024)
def _choice_labels(field, language: str | None) -> dict:
    """A field's choice labels in `language`, as `get_FOO_display()` returns them, keyed as it looks them up."""
    return {make_hashable(value): force_str(label, strings_only=True) for value, label in field.flatchoices}


def choice_display(instance, field):
    """`get_FOO_display()` with the labels translated once per field and language: Django's hashes every lazy
    label of the field for each call (each a gettext), which was most of a list page's translation time."""
    if not isinstance(field.choices, list | tuple):  # callable choices: read afresh, as Django does
        return models.Model._get_FIELD_display(instance, field)
    value = getattr(instance, field.attname)
    return _choice_labels(field, get_language()).get(make_hashable(value), force_str(value, strings_only=True))


class TimeStampedModel(models.Model):
    """A row that records when it was created and last changed."""

    _get_FIELD_display = choice_display  # noqa: N815 - Django's own name, overridden

    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    class Meta:
        abstract = True


# The column suffix of each language of the data. Indonesian's is `ind`, not its language code: `<base>_id` read as
# the id of a relation `name` (in Python, the API and the filters), so issue 24 renamed those columns `_ind`.
FIELD_SUFFIXES = {"id": "ind", "en": "en"}


def translated_name(base: str, language: str) -> str:
    """The name of `base`'s column in `language`: `translated_name("title", "id")` is `title_ind`."""
    return f"{base}_{FIELD_SUFFIXES.get(language, language)}"


class Translated:
    """Reads `<base>_ind` or `<base>_en` for the active language, falling back to Indonesian when empty.

    Data that exists in both languages is stored in explicit columns (name_ind, name_en); this
    descriptor only picks one of the row's own columns, so it never costs a query.
    """

    def __init__(self, base: str):
        self.base = base

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        language = (get_language() or "id").split("-")[0]
        value = getattr(instance, translated_name(self.base, language), "")
        return value or getattr(instance, translated_name(self.base, "id"))


class VisibleMixin(RestrictedQuerySet):
    """A queryset whose rows the model's view permission opens to staff, and `public()` to everyone else (the
    policy's rule, `smartcity/policy.py`; kept under this name for the querysets that subclass it)."""


class ReferenceQuerySet(RestrictedQuerySet):
    """Reference data every visitor reads (pillars, agencies, scope areas, masterplans): every row is public."""

    policy = Policy(public=EVERYONE)


class PublishableQuerySet(RestrictedQuerySet):
    """Reads shared by every record citizens may see once staff publish it."""

    policy = Policy(public=PUBLISHED)

    def published(self, at=None):
        """Published rows whose publish-from moment (embargo) has come."""
        return self.filter(self.published_q(at=at))

    @classmethod
    def published_q(cls, prefix: str = "", at=None) -> models.Q:
        """`published()` as a condition, on the rows a relation path `prefix` ("indicator__") leads to: a query
        that joins those rows anyway tests their columns there instead of in a subquery of their own."""
        moment = at or timezone.now()
        return (
            models.Q(**{f"{prefix}publish_from__isnull": True}) | models.Q(**{f"{prefix}publish_from__lte": moment})
        ) & models.Q(**{f"{prefix}publication": Publication.PUBLISHED})


class PublicParentMixin(RestrictedQuerySet):
    """A queryset of rows without a publication of their own (a program's milestones): public when their parent
    (`policy.parent`, or the older `parent_field`) is; holders of this model's view permission see them all."""

    policy = Policy(public=EVERYONE)


class PublishableModel(models.Model):
    """A record that stays a draft until staff publish it, optionally from a given moment (embargo)."""

    _get_FIELD_display = choice_display  # noqa: N815 - Django's own name, overridden

    publication = models.CharField(
        verbose_name=_("publication"), max_length=12, choices=Publication, default=Publication.DRAFT
    )
    publish_from = models.DateTimeField(
        verbose_name=_("publish from"),
        null=True,
        blank=True,
        help_text=_("Leave empty to publish at once; set a moment to keep the record hidden until then."),
    )

    class Meta:
        abstract = True

    # Before 1924 the city's time zone had offsets with seconds (+07:07:12), which no RFC 3339 reader takes;
    # and an embargo that ended before the portal existed means nothing.
    EARLIEST_PUBLISH_FROM_YEAR = 2000

    def clean_fields(self, exclude=None):
        super().clean_fields(exclude=exclude)
        moment = self.publish_from
        if (
            moment is not None
            and moment.year < self.EARLIEST_PUBLISH_FROM_YEAR
            and "publish_from" not in (exclude or ())
        ):
            message = _("Give a moment in the year %(year)s or later, or leave it empty to publish at once.")
            raise ValidationError(
                {
                    "publish_from": ValidationError(
                        message, code="too_early", params={"year": self.EARLIEST_PUBLISH_FROM_YEAR}
                    )
                }
            )

    @property
    def is_public(self) -> bool:
        return self.publication == Publication.PUBLISHED and (
            self.publish_from is None or self.publish_from <= timezone.now()
        )


class SourcedModel(models.Model):
    """Reference data the portal ships as official (an area code, a weight, a band, a level name): where it comes
    from and whether someone checked it against that source. Public pages present only verified rows as
    official; the rest carry a "not verified" mark."""

    source = models.TextField(
        verbose_name=_("source"),
        blank=True,
        help_text=_(
            "The document, its date, and a URL or citation, e.g. the Kepmendagri decree on area codes and names, 2022."
        ),
    )
    source_verified = models.BooleanField(
        verbose_name=_("verified against the source"),
        default=False,
        help_text=_("Tick only after comparing the figure with the source named above."),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.source_verified and not self.source.strip():
            raise ValidationError({"source": _("Name the source a verified figure was checked against.")})

"""The one base viewset: records citizens read and staff write through the model's writer."""

import hashlib
import json
from functools import cache

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils.http import parse_etags
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.fields import SkipField
from rest_framework.response import Response
from rest_framework.utils import encoders

from smartcity.services import lock, writer_for

from .caching import CachedListMixin
from .permissions import PublicReadModelPermissions
from .relations import brief_serializer_for

BRIEF_PARAMETER = "brief"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The record changed since you read it: read it again, then repeat your change.")
    default_code = "stale"


class BriefListMixin:
    """`?brief=1` on the list: each row as `<Model>BriefSerializer`, the form it has inside other records."""

    supports_brief = True  # documented by smartcity/api/schema.py

    def get_serializer_class(self):
        serializer_class = super().get_serializer_class()
        if self.action == "list" and wants_brief(self.request):
            return brief_serializer_for(serializer_class.Meta.model)
        return serializer_class

    def filter_queryset(self, queryset):
        """A brief list reads only the brief form's own columns: no joins, no prefetches (issue 27)."""
        queryset = super().filter_queryset(queryset)
        if self.action == "list":
            check_brief(self.request)
        if self.action == "list" and wants_brief(self.request):
            return lean(queryset, self.get_serializer_class())
        return queryset

    def lists_lean(self) -> bool:
        """A `?brief=1` list whose brief form shows only the model's own plain columns: `lean()` reads just those,
        so the queryset needs none of the relations a full row loads (building them cost a sixth of the answer)."""
        return (
            self.action == "list"
            and wants_brief(self.request)
            and lean_columns(self.get_serializer_class()) is not None
        )


@cache
def lean_columns(serializer_class) -> tuple[str, ...] | None:
    """The model columns `serializer_class` shows, when they are all the model's own plain columns, else None."""
    model, columns = serializer_class.Meta.model, []
    for field in serializer_class().fields.values():
        try:
            model_field = model._meta.get_field(field.source)
        except FieldDoesNotExist:  # a computed or nested source
            return None
        if model_field.is_relation or not model_field.concrete:
            return None
        columns.append(model_field.name)
    return tuple(columns)


def lean(queryset, serializer_class):
    """`queryset` reading only the columns `serializer_class` shows, when they are all the model's own plain
    columns; as it is otherwise (a brief form with a relation needs what `with_related()` loads)."""
    columns = lean_columns(serializer_class)
    if columns is None:
        return queryset
    return queryset.select_related(None).prefetch_related(None).only(*columns)


class MovedToSlugError(Exception):
    """An id URL of a record now addressed by its slug; carries the slug URL."""

    def __init__(self, location: str):
        super().__init__(location)
        self.location = location


class SlugRedirectMixin:
    """A record with a slug is addressed by it; the id URL it had before answers 301 to the slug URL (308 for a
    write, which keeps the method and body). A row whose slug is that number wins over the redirect."""

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            value = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")
            if self.lookup_field != "slug" or not str(value).isdigit():
                raise
            slug = (
                self.filter_queryset(self.get_queryset()).filter(pk=int(value)).values_list("slug", flat=True).first()
            )
            if slug is None:
                raise
            raise MovedToSlugError(self.slug_url(slug)) from None

    def slug_url(self, slug: str) -> str:
        match = self.request.resolver_match
        kwargs = {**match.kwargs, self.lookup_url_kwarg or self.lookup_field: slug}
        url = reverse(f"{match.namespace}:{match.url_name}", kwargs=kwargs)
        query = self.request.META.get("QUERY_STRING")
        return f"{url}?{query}" if query else url

    def handle_exception(self, exc):
        if isinstance(exc, MovedToSlugError):
            safe = self.request.method in ("GET", "HEAD", "OPTIONS")
            code = status.HTTP_301_MOVED_PERMANENTLY if safe else status.HTTP_308_PERMANENT_REDIRECT
            return Response(status=code, headers={"Location": exc.location})
        return super().handle_exception(exc)


class RecordViewSet(SlugRedirectMixin, BriefListMixin, CachedListMixin, viewsets.ModelViewSet):
    """CRUD over one model. Reads see the `restrict(user, "view")` rows through `with_related()`; writes need the model
    permission and go through `writer_for(model)`, which runs the row-level rules under a row lock.

    An update or delete may carry `If-Match` with the ETag a GET of the record answered: a record changed since
    is refused with 412, so nothing is overwritten silently. Without it, a PATCH still writes only the fields it
    names, on the row as it stands, so two clients changing different fields both keep their change."""

    permission_classes = [PublicReadModelPermissions]

    def get_queryset(self):
        queryset = self.queryset.restrict(self.request.user, "view")
        return queryset if self.lists_lean() else self.with_related(queryset)

    def with_related(self, queryset):
        """What a full row's serializer reads beside the row (a viewset adds its own)."""
        return queryset.with_related()

    @property
    def writer(self):
        return writer_for(self.queryset.model)

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if "data" in kwargs:
            data = writable_data(serializer, kwargs["data"])
            if data is not kwargs["data"]:  # a file's URL sent back as read: the serializer would take it for a file
                serializer = super().get_serializer(*args, **{**kwargs, "data": data})
        return serializer

    def perform_create(self, serializer):
        saved = self.writer.create(data=serializer.validated_data, actor=self.request.user)
        serializer.instance = self.get_queryset().get(pk=saved.pk)  # re-read: the response is prefetched too

    @transaction.atomic
    def perform_update(self, serializer):
        self.check_precondition(serializer.instance)
        saved = self.writer.update(
            instance=serializer.instance, data=serializer.validated_data, actor=self.request.user
        )
        serializer.instance = self.get_queryset().get(pk=saved.pk)

    @transaction.atomic
    def perform_destroy(self, instance):
        self.check_precondition(instance)
        self.writer.delete(instance=instance, actor=self.request.user)

    def check_precondition(self, instance) -> None:
        """Compare `If-Match` with the ETag of the record as it stands now (locked until the write commits)."""
        header = self.request.headers.get("If-Match")
        if not header:
            return
        lock(instance)
        tags = parse_etags(header)
        if "*" in tags:
            return
        current = self.get_serializer(self.get_queryset().get(pk=instance.pk)).data
        body = self.request.accepted_renderer.render(
            current, self.request.accepted_media_type, self.get_renderer_context()
        )
        if f'"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"' not in tags:
            raise PreconditionFailed()


def wants_brief(request) -> bool:
    """`?brief=1` (or true/yes) on a list: each row in its brief form, as it reads inside other records."""
    return request is not None and request.query_params.get(BRIEF_PARAMETER, "").lower() in ("1", "true", "yes")


def check_brief(request) -> None:
    """A `brief` that is no boolean (`?brief=null`) is a 400 naming it (the fuzzer's negative_data_rejection
    check), raised where the list reads its rows, never while a renderer asks for the serializer."""
    values = [value.lower() for value in request.query_params.getlist(BRIEF_PARAMETER)]
    if any(value not in ("1", "true", "yes", "0", "false", "no") for value in values):
        message = serializers.BooleanField.default_error_messages["invalid"]
        raise serializers.ValidationError({BRIEF_PARAMETER: [message]}, code="invalid")


def writable_data(serializer, data):
    """`data` as the serializer should see it. A write naming a field the record does not have, or a read-only one
    with another value than the record's, is a 400 naming the field: a client that believes it set something must
    not get a 2xx for a value that was dropped. A read-only field, or a file's URL, sent back exactly as it was
    read is accepted and ignored, so a record read (GET) can be written back (PUT) as it was read."""
    if not hasattr(data, "keys") or not hasattr(serializer, "fields"):
        return data
    errors, unchanged = {}, []
    for name in data.keys():
        field = serializer.fields.get(name)
        if field is None:
            errors[name] = [_("This field is unknown.")]
        elif (field.read_only or isinstance(field, serializers.FileField)) and as_read(serializer, field) == data[name]:
            unchanged.append(name)
        elif field.read_only:
            errors[name] = [_("This field is read-only: leave it out, or send it as it was read.")]
    if errors:
        raise exceptions.ValidationError(errors)
    files = [name for name in unchanged if not serializer.fields[name].read_only]
    if not files:
        return data  # the serializer ignores read-only fields itself
    if hasattr(data, "getlist"):  # a form post: keep every value of a many-valued field
        kept = QueryDict(mutable=True)
        for key in data:
            if key not in files:
                kept.setlist(key, data.getlist(key))
        return kept
    return {key: value for key, value in data.items() if key not in files}


_UNREAD = object()


def as_read(serializer, field):
    """The field's value in the record as a GET answers it (JSON types), or a marker no input equals."""
    if serializer.instance is None or isinstance(serializer.instance, (list, tuple)):
        return _UNREAD
    try:
        attribute = field.get_attribute(serializer.instance)
        value = None if attribute is None else field.to_representation(attribute)  # as the serializer reads it
    except (SkipField, AttributeError, KeyError, ValueError, TypeError):
        return _UNREAD
    return json.loads(json.dumps(value, cls=encoders.JSONEncoder))

"""The OpenAPI schema says what the API really answers: besides each operation's success response, the
errors it can give, all in the one error format of smartcity/api/exceptions.py."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent, build_array_type
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS, AllowAny

from .permissions import PublicReadModelPermissions
from .relations import brief_serializer_for

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "code": serializers.CharField(help_text=_("A stable, machine-readable error code, e.g. not_found.")),
        "detail": serializers.CharField(help_text=_("What went wrong, in the caller's language.")),
        "errors": serializers.DictField(
            child=serializers.JSONField(),
            required=False,
            help_text=_("Only on 400: the messages for each field that was refused."),
        ),
    },
)

ERROR_DESCRIPTIONS = {
    "400": _("The input was refused; `errors` says why, field by field."),
    "401": _("No credentials, or credentials that are unknown, revoked or expired."),
    "403": _("The caller may not do this."),
    "404": _("No such record, or not one the caller may see."),
    "409": _("The record is still referenced by other records."),
    "414": _("The URL is longer than the server accepts."),
    "413": _("The request body is larger than the server accepts."),
    "415": _("The request body is in a format this operation does not accept."),
    "429": _("Too many requests: try again later (see Retry-After)."),
    "422": _("The Idempotency-Key was already used for another request."),
}
POST_409 = _(
    "The record is still referenced by other records, or a request with this Idempotency-Key is still running."
)


BRIEF = OpenApiParameter(
    "brief",
    OpenApiTypes.BOOL,
    description=_("`1`: each row in its brief form, the form it has inside other records."),
)

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    description=_(
        "Optional, 1 to 255 printable ASCII characters chosen by the caller (a UUID, say). A POST sent again with the "
        "same key and the same body within 24 hours answers the first response without writing again (header "
        "`Idempotent-Replayed: true`); the same key with another body is a 422."
    ),
)


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema, plus the error responses each operation can give and `brief` on lists."""

    def map_parsers(self):
        """The media types a request body is documented in: JSON only, or multipart where a file is uploaded. The
        form parsers stay for the browsable API's forms, but a generated client must have one way to send a
        body (listing JSON, form and multipart with one schema makes it send PATCH as multipart)."""
        media_types = super().map_parsers()
        if "application/json" in media_types:
            return ["application/json"]
        return [media for media in media_types if media == "multipart/form-data"] or media_types

    def get_auth(self):
        """The credentials an operation takes; `{}` (none) too where anonymous callers may call it, a read of a
        viewset whose permissions are all public reads (the schema said every public list needed credentials:
        the fuzzer's ignored_auth check found it)."""
        auths = super().get_auth()
        permission_classes = [type(permission) for permission in self.view.get_permissions()]
        public = self.method in SAFE_METHODS and permission_classes
        if public and all(issubclass(cls, (AllowAny, PublicReadModelPermissions)) for cls in permission_classes):
            if {} not in auths:
                auths.append({})
        return auths

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method == "GET" and self._is_list_view() and getattr(self.view, "supports_brief", False):
            parameters = [*parameters, BRIEF]
        if self.method == "POST":  # smartcity/api/idempotency.py
            parameters = [*parameters, IDEMPOTENCY_KEY]
        return parameters

    def brief_model(self):
        """The model whose brief form a `?brief=1` of this operation answers, or None."""
        if not (self.method == "GET" and self._is_list_view() and getattr(self.view, "supports_brief", False)):
            return None
        serializer = self.get_response_serializers()
        return getattr(getattr(serializer, "Meta", None), "model", None)

    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        """A list's page is the full rows, or with `?brief=1` the brief ones: `anyOf` both pages (a full row also
        satisfies the brief schema, so `oneOf` would refuse it)."""
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        model = self.brief_model() if status_code == "200" else None
        if model is None:
            return response
        brief = build_array_type(self.resolve_serializer(brief_serializer_for(model), direction).ref)
        paginator = self._get_paginator()
        if paginator is not None:
            page = ResolvedComponent(
                name=self.get_paginated_name(f"{model.__name__}Brief"),
                type=ResolvedComponent.SCHEMA,
                schema=paginator.get_paginated_response_schema(brief),
                object=f"{model.__name__}BriefPage",
            )
            self.registry.register_on_missing(page)
            brief = page.ref
        for media in response.get("content", {}).values():
            media["schema"] = {"anyOf": [media["schema"], brief]}
        return response

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self.error_codes():
            responses.setdefault(code, self._error_response(code, direction))
        return responses

    def _error_response(self, code: str, direction: str) -> dict:
        if code == "414":  # answered by the HTTP server (gunicorn, nginx) before the portal sees the request
            return {"description": str(ERROR_DESCRIPTIONS[code])}
        response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
        description = POST_409 if code == "409" and self.method == "POST" else ERROR_DESCRIPTIONS[code]
        return {**response, "description": str(description)}

    def error_codes(self) -> list[str]:
        codes = ["401", "403", "414", "429"]  # any credentials may be wrong; throttles apply to every operation
        writes = self.method in ("POST", "PUT", "PATCH")
        queried = any(getattr(parameter, "location", None) == "query" for parameter in self.get_override_parameters())
        if writes or self._get_filter_parameters() or queried or self.method == "GET" and self._is_list_view():
            codes.append("400")  # a body, a filter value or another query parameter that does not validate
        if "{" in self.path or self._get_format_parameters():
            codes.append("404")  # no such record; DRF also answers an unknown ?format= with 404
        if writes:
            codes += ["413", "415"]
        if self.method == "DELETE":
            codes.append("409")
        if self.method == "POST":
            codes += ["409", "422"]  # an Idempotency-Key still in use, or used for another request
        return sorted(codes)


def postprocess(result, generator, request, public):
    """drf-spectacular's last step: the same names whatever the language, a declared tag per resource.

    A property's `title` is its translated label, and code generators name types after titles: in Indonesian
    `Jenis` instead of `kind`. Titles go (the label moves into the description where there is none), so every
    name in the document comes from an English identifier; only descriptions follow `?lang=`."""
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        result["components"]["schemas"][name] = untitled(schema)
    result["paths"] = untitled(result.get("paths", {}))
    drop_files_from_json(result)
    result["tags"] = declared_tags(result, generator)
    return result


def untitled(node):
    """`node` without any schema `title` (examples, which are data, are left as they are)."""
    if isinstance(node, list):
        return [untitled(item) for item in node]
    if not isinstance(node, dict):
        return node
    title = node.get("title") if isinstance(node.get("title"), str) else None
    walked = {
        key: value if key in ("example", "examples") else untitled(value)
        for key, value in node.items()
        if not (key == "title" and title is not None)
    }
    schema_like = any(key in walked for key in ("type", "$ref", "allOf", "oneOf", "anyOf", "enum"))
    if title is not None and "description" not in walked and schema_like:
        walked["description"] = title
    return walked


def declared_tags(result, generator) -> list[dict]:
    """Every tag an operation uses, declared once with the first sentence of its viewset's docstring."""
    used = sorted({tag for item in result["paths"].values() for op in item.values() for tag in op.get("tags", [])})
    described = {}
    for path, _regex, _method, callback in generator.endpoints or []:
        tokens = [part for part in path.removeprefix(spectacular_settings.SCHEMA_PATH_PREFIX).split("/") if part]
        view = getattr(callback, "cls", None)
        if tokens and view is not None and view.__doc__:
            described.setdefault(tokens[0], " ".join(view.__doc__.split()).split(". ")[0].rstrip(".") + ".")
    return [{"name": tag, **({"description": described[tag]} if tag in described else {})} for tag in used]


def drop_files_from_json(result) -> None:
    """A JSON body cannot carry a file: the file fields of the records JSON writes (a report's `evidence`) are left
    out of their JSON schema and named in its description instead. They are uploaded as multipart/form-data with
    the same field names, and a file's URL as read is accepted back unchanged (smartcity/api/views.py)."""
    schemas = result.get("components", {}).get("schemas", {})
    pending = [
        op["requestBody"]["content"]["application/json"]["schema"]
        for item in result["paths"].values()
        for op in item.values()
        if "application/json" in op.get("requestBody", {}).get("content", {})
    ]
    seen = set()
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            ref = node.get("$ref", "").rpartition("/")[2]
            if ref and ref not in seen and ref in schemas:
                seen.add(ref)
                pending.append(schemas[ref])
            pending.extend(value for key, value in node.items() if key != "$ref")
        elif isinstance(node, list):
            pending.extend(node)
    for name in sorted(seen):
        schema = schemas[name]
        files = [key for key, value in schema.get("properties", {}).items() if value.get("format") == "binary"]
        if not files:
            continue
        for key in files:
            del schema["properties"][key]
        required = [key for key in schema.pop("required", []) if key not in files]
        if required:
            schema["required"] = required
        note = f"Files ({', '.join(files)}) are uploaded as multipart/form-data with the same field names."
        schema["description"] = f"{schema['description']}\n\n{note}" if schema.get("description") else note

"""The API's one shape, checked from the OpenAPI schema it publishes (issue 18): for every endpoint, its filters and
its relation fields, and what breaks the pattern.

The pattern:
- a relation reads as the related model's `<Model>Brief` (a `$ref`, or an array of them) and is written as an
  integer id; a row written with its parent (an MoU's parties, an evaluation's scores) follows the same rule inside;
- every list takes `brief`, and documents the brief rows it then answers;
- a filter naming a relation is `<rel>_id` (ids, integers) or `<rel>` (slugs, strings), and a slug filter has its
  `<rel>_id` twin.

`manage.py api_shape` prints the listing; tests/test_api_shape.py fails on any problem."""

from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django_filters import ModelChoiceFilter, ModelMultipleChoiceFilter
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import spectacular_settings
from rest_framework import serializers
from rest_framework.fields import Field
from rest_framework.relations import ManyRelatedField, RelatedField

from .filtering import NOT_FILTERS
from .relations import BriefRelatedField

REF = "#/components/schemas/"
NOT_FILTER_PARAMETERS = NOT_FILTERS | {"lang"}


@dataclass
class Endpoint:
    path: str
    method: str
    view: object
    operation: dict
    filters: list[str] = field(default_factory=list)
    relations: dict[str, str] = field(default_factory=dict)  # "programs" -> "ProgramBrief[]", "parties.partner" ...

    @property
    def name(self) -> str:
        return f"{self.method} {self.path}"


def schema_and_endpoints() -> tuple[dict, list[Endpoint]]:
    """The OpenAPI document as an anonymous caller gets it, and each operation in it with its view."""
    generator = SchemaGenerator()
    schema = generator.get_schema(request=None, public=True)
    endpoints = []
    for path, _regex, method, view in generator._get_paths_and_endpoints():
        view.request = spectacular_settings.GET_MOCK_REQUEST(method, path, view, None)  # an anonymous caller
        operation = schema["paths"].get(path, {}).get(method.lower())
        if operation is not None:
            endpoints.append(Endpoint(path=path, method=method, view=view, operation=operation))
    return schema, endpoints


# --- what a serializer field is ---------------------------------------------------------------------------------
def model_field(model, source: str):
    """The model field a serializer field's `source` ends on (`finding.pillar` -> Finding.pillar), or None."""
    current = None
    for part in source.split("."):
        if model is None:
            return None
        try:
            current = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        model = current.related_model if current.is_relation else None
    return current


def is_forward_relation(model_field_) -> bool:
    return bool(
        model_field_ is not None
        and model_field_.is_relation
        and model_field_.concrete
        and (model_field_.many_to_one or model_field_.many_to_many or model_field_.one_to_one)
    )


def nested_serializer(serializer_field: Field):
    """The serializer of a nested field (a row written with its parent, or a read-only collection), or None."""
    if isinstance(serializer_field, serializers.ListSerializer):
        return serializer_field.child
    if isinstance(serializer_field, serializers.BaseSerializer):
        return serializer_field
    return None


def relation_fields(serializer) -> dict[str, Field]:
    """The fields of `serializer` that name one other record or several: a relation field of any kind, or a field
    whose source is a forward relation of the serializer's model."""
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    found = {}
    for name, serializer_field in serializer.fields.items():
        inner = serializer_field.child_relation if isinstance(serializer_field, ManyRelatedField) else serializer_field
        if isinstance(inner, RelatedField):
            found[name] = serializer_field
        elif model is not None and serializer_field.source != "*":
            source_field = model_field(model, serializer_field.source)
            if is_forward_relation(source_field):
                found[name] = serializer_field
    return found


# --- the checks ----------------------------------------------------------------------------------------------------
def component(schema: dict, ref: str) -> dict:
    return schema["components"]["schemas"][ref.removeprefix(REF)]


def ref_of(prop: dict) -> tuple[str | None, bool]:
    """(the component a response property points at, whether it is an array), allowing drf-spectacular's
    `allOf: [$ref]` wrapper for nullable or described references."""
    many = prop.get("type") == "array"
    target = prop.get("items", {}) if many else prop
    if "$ref" in target:
        return target["$ref"].removeprefix(REF), many
    if len(target.get("allOf", [])) == 1 and "$ref" in target["allOf"][0]:
        return target["allOf"][0]["$ref"].removeprefix(REF), many
    return None, many


def row_component(schema: dict, body_schema: dict) -> str | None:
    """The component of the rows a body carries: itself, or the row of a (paginated) list."""
    name, many = ref_of(body_schema)
    if name is None:
        return None
    results = component(schema, REF + name).get("properties", {}).get("results")
    if name.startswith("Paginated") and results is not None:
        name, _ = ref_of(results)
    return name


def success_bodies(operation: dict) -> list[dict]:
    """The schemas a success answers with: one, or a list's full page and its `?brief=1` page (`anyOf`)."""
    for code in ("200", "201"):
        body = operation.get("responses", {}).get(code, {}).get("content", {}).get("application/json")
        if body is not None:
            return body["schema"].get("anyOf", [body["schema"]])
    return []


def response_component(schema: dict, operation: dict) -> str | None:
    """The component of an operation's success body (the row of a paginated list; its full form)."""
    bodies = success_bodies(operation)
    return row_component(schema, bodies[0]) if bodies else None


def check_brief_list(schema: dict, endpoint: Endpoint, problems: dict[str, list[str]]) -> None:
    """A list takes `brief`, and documents the page it then answers: rows of the model's `<Model>Brief`."""
    if "brief" not in {p["name"] for p in endpoint.operation.get("parameters", [])}:
        problems["brief"].append(f"{endpoint.name}: a list without the `brief` parameter")
    serializer_class = endpoint.view.get_serializer_class()
    expected = f"{serializer_class.Meta.model.__name__}Brief"
    documented = [row_component(schema, body) for body in success_bodies(endpoint.operation)[1:]]
    if documented != [expected]:
        problems["brief"].append(f"{endpoint.name}: `?brief=1` documented as {documented}, not {expected} rows")


def request_component(operation: dict) -> str | None:
    for body in operation.get("requestBody", {}).get("content", {}).values():
        name, _ = ref_of(body["schema"])
        if name is not None:
            return name
    return None


def check_relations(schema, serializer, response_name, request_name, prefix, listing, problems) -> None:
    """Each relation of `serializer` reads as `<Model>Brief` and is written as an integer; rows written with the
    parent are checked the same way, one level down."""
    response = component(schema, REF + response_name).get("properties", {}) if response_name else {}
    request = component(schema, REF + request_name).get("properties", {}) if request_name else {}
    relations = relation_fields(serializer)
    for name, serializer_field in serializer.fields.items():
        label = f"{prefix}{name}"
        if name in relations:
            check_relation(serializer_field, response.get(name), request.get(name), label, listing, problems)
            continue
        nested = nested_serializer(serializer_field)
        if nested is None or not hasattr(nested, "fields"):
            continue
        nested_response = ref_of(response[name])[0] if name in response else None
        nested_request = ref_of(request[name])[0] if name in request else None
        check_relations(schema, nested, nested_response, nested_request, f"{label}.", listing, problems)


def check_relation(serializer_field, response_prop, request_prop, label, listing, problems) -> None:
    inner = serializer_field.child_relation if isinstance(serializer_field, ManyRelatedField) else serializer_field
    if not isinstance(inner, BriefRelatedField):
        problems.append(f"{label}: a relation that is not a BriefRelatedField ({type(inner).__name__})")
        return
    expected = f"{inner.related_model.__name__}Brief"
    if response_prop is not None:
        name, many = ref_of(response_prop)
        listing[label] = f"{name}{'[]' if many else ''}"
        if name != expected:
            problems.append(f"{label}: reads as {name or response_prop}, not a $ref to {expected}")
    if request_prop is not None and not serializer_field.read_only:
        kind = request_prop.get("items", {}) if request_prop.get("type") == "array" else request_prop
        if kind.get("type") != "integer":
            problems.append(f"{label}: written as {request_prop}, not an integer id")


def relation_filter(filterset_class, name, model):
    """(the relation path a filter names, whether it takes ids rather than slugs), or None for a filter on the
    row's own fields or on a related row's other fields (`partner_kind`, `year` of the evaluation)."""
    declared = filterset_class.base_filters[name]
    path = declared.field_name or name
    if isinstance(declared, (ModelChoiceFilter, ModelMultipleChoiceFilter)):
        by_slug = declared.extra.get("to_field_name") == "slug" or path.endswith("__slug")
        return path, not by_slug
    head, _, last = path.rpartition("__")
    if last == "slug" and head and is_relation_path(model, head):
        return path, False
    if last in ("id", "pk") and head and is_relation_path(model, head):
        return path, True
    if declared.lookup_expr in ("exact", "in") and is_relation_path(model, path):
        return path, True
    return None


def is_relation_path(model, path: str) -> bool:
    found = model_field(model, path.replace("__", "."))
    return found is not None and found.is_relation


def check_filters(endpoint: Endpoint, problems: dict[str, list[str]]) -> None:
    filterset_class = getattr(endpoint.view, "filterset_class", None)
    parameters = {p["name"]: p for p in endpoint.operation.get("parameters", []) if p.get("in") == "query"}
    endpoint.filters = sorted(name for name in parameters if name not in NOT_FILTER_PARAMETERS)
    if filterset_class is None:
        return
    model = filterset_class._meta.model
    for name in endpoint.filters:
        if name not in filterset_class.base_filters:
            continue
        found = relation_filter(filterset_class, name, model)
        if found is None:
            continue
        path, by_id = found
        schema = parameters[name].get("schema", {})
        kind = (schema.get("items") or schema).get("type")
        if by_id and not (name.endswith("_id") and kind == "integer"):
            problems["filters"].append(f"{endpoint.name} ?{name}: takes ids of {path} but is not an integer `<rel>_id`")
        if not by_id and (name.endswith("_id") or kind != "string"):
            problems["filters"].append(f"{endpoint.name} ?{name}: takes slugs of {path} but is not a string `<rel>`")
        if not by_id and f"{name}_id" not in parameters:
            problems["twins"].append(f"{endpoint.name} ?{name}: a slug filter without its `{name}_id` twin")


def is_list(endpoint: Endpoint) -> bool:
    return endpoint.method == "GET" and getattr(endpoint.view, "action", None) == "list"


PROBLEM_KINDS = ("relations", "brief", "filters", "twins")


def api_shape() -> tuple[list[Endpoint], dict[str, list[str]]]:
    """Every operation of the API with its filters and relation fields, and the problems found by kind: a relation
    not read as its brief or not written by id, a list without `brief`, a relation filter misnamed, a slug filter
    without its `_id` twin."""
    schema, endpoints = schema_and_endpoints()
    problems: dict[str, list[str]] = {kind: [] for kind in PROBLEM_KINDS}
    for endpoint in endpoints:
        if is_list(endpoint):
            check_filters(endpoint, problems)
            check_brief_list(schema, endpoint, problems)
        get_serializer_class = getattr(endpoint.view, "get_serializer_class", None)
        if get_serializer_class is None:
            continue
        try:
            serializer = get_serializer_class()()
        except AssertionError:  # a view without a serializer (an action documented by hand)
            continue
        response_name = response_component(schema, endpoint.operation)
        request_name = request_component(endpoint.operation)
        if request_name not in (f"{response_name}Request", f"Patched{response_name}Request"):
            request_name = None  # an action's own input (MoUSign), not the record's serializer
        if response_name is None and request_name is None:
            continue
        problems_here: list[str] = []
        check_relations(schema, serializer, response_name, request_name, "", endpoint.relations, problems_here)
        problems["relations"] += [f"{endpoint.name} {problem}" for problem in problems_here]
    return endpoints, problems


def listing(endpoints: list[Endpoint]) -> list[str]:
    """One line per operation: its filters and its relation fields with the brief each reads as."""
    lines = []
    for endpoint in endpoints:
        relations = ", ".join(f"{name}: {brief}" for name, brief in sorted(endpoint.relations.items()))
        filters = " ".join(endpoint.filters)
        lines.append(f"{endpoint.name}\n    filters: {filters or '-'}\n    relations: {relations or '-'}")
    return lines

"""The API contract's walk: what changed between two OpenAPI documents, and which changes break a client.

We looked for a maintained diff first: oasdiff is Go, @pb33f/openapi-changes and @azure/oad are npm packages
outside our toolchain, and the PyPI candidates (api-schema-diff, api-diff-sentinel, openapispecdiff) are young
or unmaintained. Our documents come from one generator (drf-spectacular), so a small walk over what a generated
client depends on is enough, and readable:

breaking  a removed path, operation, query/path parameter, component (a generated type), field or enum value; a
          new required parameter or request field; a changed type or format; a request or success body that now
          names another component; a request media type that is gone.
additive  everything else that a client can ignore (new paths, operations, optional fields, enum values...).
Descriptions, examples, titles and tags are never compared.
"""

from dataclasses import dataclass

SUCCESS = ("200", "201", "202", "204")


@dataclass(frozen=True)
class Change:
    where: str  # e.g. "POST /api/v1/mous/{slug}/sign/" or "MoU.number"
    what: str
    breaking: bool

    def __str__(self):
        return f"{'BREAKING' if self.breaking else 'additive'}: {self.where}: {self.what}"


def changes(old: dict, new: dict) -> list[Change]:
    """Every difference a client could notice between `old` and `new`, the breaking ones first."""
    found = [*_path_changes(old.get("paths", {}), new.get("paths", {}))]
    old_schemas = old.get("components", {}).get("schemas", {})
    new_schemas = new.get("components", {}).get("schemas", {})
    for name, schema in old_schemas.items():
        if name not in new_schemas:
            found.append(Change(name, "component removed or renamed", True))
        else:
            found += _schema_changes(name, schema, new_schemas[name], request=name.endswith("Request"))
    found += [Change(name, "component added", False) for name in new_schemas if name not in old_schemas]
    return sorted(found, key=lambda change: (not change.breaking, change.where, change.what))


def breaking(old: dict, new: dict) -> list[Change]:
    return [change for change in changes(old, new) if change.breaking]


def _path_changes(old: dict, new: dict):
    for path, item in old.items():
        if path not in new:
            yield Change(path, "path removed or renamed", True)
            continue
        for method, operation in item.items():
            where = f"{method.upper()} {path}"
            if method not in new[path]:
                yield Change(where, "operation removed", True)
            else:
                yield from _operation_changes(where, operation, new[path][method])
        for method in new[path].keys() - item.keys():
            yield Change(f"{method.upper()} {path}", "operation added", False)
    for path in new.keys() - old.keys():
        yield Change(path, "path added", False)


def _operation_changes(where: str, old: dict, new: dict):
    old_parameters = {(p["in"], p["name"]): p for p in old.get("parameters", [])}
    new_parameters = {(p["in"], p["name"]): p for p in new.get("parameters", [])}
    for key, parameter in old_parameters.items():
        label = f"{where} parameter {key[1]} ({key[0]})"
        if key not in new_parameters:
            yield Change(label, "parameter removed", True)
        else:
            yield from _schema_changes(label, parameter.get("schema", {}), new_parameters[key].get("schema", {}))
    for key, parameter in new_parameters.items():
        if key not in old_parameters:
            yield Change(f"{where} parameter {key[1]} ({key[0]})", "parameter added", bool(parameter.get("required")))
    old_body = old.get("requestBody", {}).get("content", {})
    new_body = new.get("requestBody", {}).get("content", {})
    for media, content in old_body.items():
        if media not in new_body:
            yield Change(where, f"request body no longer accepts {media}", True)
        elif _ref(content.get("schema")) != _ref(new_body[media].get("schema")):
            yield Change(
                where, f"request body {_ref(content.get('schema'))} -> {_ref(new_body[media].get('schema'))}", True
            )
    if new.get("requestBody", {}).get("required") and not old.get("requestBody", {}).get("required"):
        yield Change(where, "request body now required", True)
    for code, response in old.get("responses", {}).items():
        if code not in SUCCESS:
            continue
        new_response = new.get("responses", {}).get(code)
        if new_response is None:
            yield Change(where, f"success response {code} removed", True)
            continue
        for media, content in response.get("content", {}).items():
            new_content = new_response.get("content", {}).get(media)
            if new_content is None:
                yield Change(where, f"response {code} no longer in {media}", True)
            elif _ref(content.get("schema")) != _ref(new_content.get("schema")):
                yield Change(
                    where, f"response {code} {_ref(content.get('schema'))} -> {_ref(new_content.get('schema'))}", True
                )


def _ref(schema) -> str:
    """The component a body names, or its shape when inline."""
    if not isinstance(schema, dict):
        return repr(schema)
    if "$ref" in schema:
        return schema["$ref"].rpartition("/")[2]
    if "items" in schema:
        return f"array of {_ref(schema['items'])}"
    if "anyOf" in schema or "oneOf" in schema:
        return " | ".join(_ref(option) for option in schema.get("anyOf", schema.get("oneOf")))
    return schema.get("type", "object")


def _schema_changes(where: str, old: dict, new: dict, request: bool = False):
    if _ref(old) != _ref(new) and ("$ref" in old or "$ref" in new):
        yield Change(where, f"type {_ref(old)} -> {_ref(new)}", True)
        return
    for key in ("type", "format"):
        if old.get(key) != new.get(key):
            yield Change(where, f"{key} {old.get(key)} -> {new.get(key)}", True)
    removed = [value for value in old.get("enum", []) if value not in new.get("enum", [])]
    added = [value for value in new.get("enum", []) if value not in old.get("enum", [])]
    if removed:
        yield Change(where, f"enum values removed: {removed}", True)
    if added:
        yield Change(where, f"enum values added: {added}", False)
    if "items" in old and "items" in new:
        yield from _schema_changes(f"{where}[]", old["items"], new["items"], request)
    old_properties, new_properties = old.get("properties", {}), new.get("properties", {})
    for name, schema in old_properties.items():
        if name not in new_properties:
            yield Change(f"{where}.{name}", "field removed or renamed", True)
        else:
            yield from _schema_changes(f"{where}.{name}", schema, new_properties[name], request)
    newly_required = set(new.get("required", [])) - set(old.get("required", []))
    for name in sorted(newly_required):
        yield Change(
            f"{where}.{name}", "field now required" if name in old_properties else "required field added", request
        )
    for name in new_properties.keys() - old_properties.keys() - newly_required:
        yield Change(f"{where}.{name}", "optional field added", False)


def differing_places(old, new, place: str = "", limit: int = 20) -> list[str]:
    """Where two documents differ at all (descriptions and examples included), as /json/pointer paths."""
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for key in sorted(old.keys() | new.keys(), key=str):
            where = f"{place}/{key}"
            if key not in old or key not in new:
                found.append(f"{where} ({'added' if key not in old else 'removed'})")
            else:
                found += differing_places(old[key], new[key], where, limit)
            if len(found) >= limit:
                break
        return found[:limit]
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        pairs = enumerate(zip(old, new, strict=True))
        return [where for i, (a, b) in pairs for where in differing_places(a, b, f"{place}/{i}")][:limit]
    return [] if old == new else [place or "/"]

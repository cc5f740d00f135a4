"""Every route of the API, read from the routers the API's URLs include (so a new endpoint is found without a list
kept by hand), and how to check a body has the one shape."""

from rest_framework.relations import ManyRelatedField

from smartcity.api.relations import BriefRelatedField, brief_serializer_for
from smartcity.api.serializers import deprecated_name
from smartcity.discovery import app_modules


def routes() -> dict[str, type]:
    """`<app>-api:<basename>` -> viewset, for every registration of every router under /api/v1/: each app's
    `api/urls.py` router, as smartcity/routes.py serves them."""
    found = {}
    for module in app_modules("api.urls"):
        for _prefix, viewset, basename in module.router.registry:
            found[f"{module.app_name}:{basename}"] = viewset
    # The parametrised API tests read this: an empty or shrunken result would pass them all without a check.
    assert len(found) > 30 and {name.split(":")[0] for name in found} >= {"pillars-api", "evaluations-api"}, found
    return found


def allows(viewset, method: str, action: str) -> bool:
    return method in getattr(viewset, "http_method_names", []) and hasattr(viewset, action)


def writable_routes() -> dict[str, type]:
    return {
        name: viewset
        for name, viewset in routes().items()
        if allows(viewset, "post", "create") or allows(viewset, "patch", "partial_update")
    }


def list_routes() -> dict[str, type]:
    return {name: viewset for name, viewset in routes().items() if hasattr(viewset, "list")}


def model_of(viewset):
    queryset = getattr(viewset, "queryset", None)
    if queryset is not None:
        return queryset.model
    return viewset.serializer_class.Meta.model


def brief_fields(model) -> set[str]:
    """The brief form's fields, with the deprecated old name of each `_ind` field (one release, CHANGELOG)."""
    fields = set(brief_serializer_for(model).Meta.fields)
    return fields | {deprecated_name(name) for name in fields if deprecated_name(name)}


def assert_relations_are_briefs(serializer, data: dict) -> None:
    """Every relation in `data` (one row as the full serializer answered it) is the related model's brief form,
    one level into rows written with the parent (an MoU's parties, an evaluation's scores)."""
    for name, field in serializer.fields.items():
        value = data[name]
        inner = field.child_relation if isinstance(field, ManyRelatedField) else field
        if isinstance(inner, BriefRelatedField):
            expected = brief_fields(inner.related_model)
            values = value if isinstance(field, ManyRelatedField) else [value]
            assert all(item is None or set(item) == expected for item in values), (name, value, expected)
        elif hasattr(field, "child") and hasattr(field.child, "fields") and value:
            for row in value:
                assert_relations_are_briefs(field.child, row)

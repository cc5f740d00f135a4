from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters
from rest_framework.settings import api_settings

from .serializers import new_name

# Query parameters that are not filters: pages, ordering, the brief form and the renderer choice.
NOT_FILTERS = {"limit", "offset", "brief", api_settings.ORDERING_PARAM, api_settings.URL_FORMAT_OVERRIDE}


class FilterBackend(DjangoFilterBackend):
    """django-filter, skipped when the request carries no filter parameter: building and validating the
    FilterSet's form is a fifth of the cost of an unfiltered list, and with no value every filter is a no-op."""

    def filter_queryset(self, request, queryset, view):
        if not set(request.query_params) - NOT_FILTERS:
            return queryset
        return super().filter_queryset(request, queryset, view)


class OrderingFilter(filters.OrderingFilter):
    """DRF's `?ordering=`, which also takes the deprecated `<base>_id` names of the Indonesian text fields
    (`?ordering=-<base>_id` orders by `<base>_ind`) until they are removed (smartcity/api/serializers.py)."""

    def remove_invalid_fields(self, queryset, fields, view, request):
        valid = {item[0] for item in self.get_valid_fields(queryset, view, {"request": request})}
        return super().remove_invalid_fields(queryset, [_current(term, valid) for term in fields], view, request)


def _current(term: str, valid: set[str]) -> str:
    descending, name = term.startswith("-"), term.lstrip("-")
    new = new_name(name)
    return f"{'-' if descending else ''}{new}" if name not in valid and new in valid else term

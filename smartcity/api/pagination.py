from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination, serializers

from smartcity.pagination import BIGINT_MAX, page_and_total

EXAMPLE_LIST = "https://smartcity.example.go.id/api/v1/commitments/"


def whole_numbers(request, name: str) -> None:
    """`?limit=0.5` or `?offset=null` is bad input, a 400 naming the parameter, not silently the first page (the
    fuzzer's negative_data_rejection check). Django's own message, already translated."""
    if any(not (value.isascii() and value.isdigit()) for value in request.query_params.getlist(name)):
        message = forms.IntegerField.default_error_messages["invalid"]
        raise serializers.ValidationError({name: [message]}, code="invalid")


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """`?limit=&offset=` pages of PAGE_SIZE rows by default, never more than 500 at once. The total count comes
    back with the rows, in one query (smartcity/pagination.py). An offset PostgreSQL cannot hold (past its bigint)
    is bad input: a 400 naming `offset`, never a 500."""

    max_limit = 500

    def get_limit(self, request):
        whole_numbers(request, self.limit_query_param)
        return super().get_limit(request)

    def get_offset(self, request):
        whole_numbers(request, self.offset_query_param)
        offset = super().get_offset(request)
        if offset > BIGINT_MAX:
            message = _("Ensure this value is less than or equal to %(max)s.") % {"max": BIGINT_MAX}
            raise serializers.ValidationError({self.offset_query_param: [message]}, code="invalid")
        return offset

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.limit = self.get_limit(request)
        if self.limit is None:
            return None
        self.offset = self.get_offset(request)
        rows, total = page_and_total(queryset, self.offset, self.offset + self.limit)
        self.count = total if total is not None else self.get_count(queryset)
        if self.count > self.limit and self.template is not None:
            self.display_page_controls = True
        return rows

    def get_paginated_response_schema(self, schema):
        """DRF's page schema, with examples of this portal's instead of DRF's `api.example.org/accounts`."""
        page = super().get_paginated_response_schema(schema)
        properties = page["properties"]
        properties["count"]["example"] = 120
        properties["next"]["example"] = f"{EXAMPLE_LIST}?limit=50&offset=100"
        properties["previous"]["example"] = f"{EXAMPLE_LIST}?limit=50"
        return page

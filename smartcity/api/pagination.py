from rest_framework import pagination


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """`?limit=&offset=` pages of PAGE_SIZE rows by default, never more than 500 at once."""

    max_limit = 500

"""The API's JSON parser: a body nested too deep for the portal is a 400, like any other malformed body.

Python's json module raises RecursionError (not ValueError) on a deeply nested document, which DRF's parser
does not catch: a 500. No record of the portal nests more than a few levels, so anything deeper than
MAX_DEPTH is refused before a serializer walks it.
"""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

from .exceptions import NESTED_TOO_DEEPLY

MAX_DEPTH = 32


def depth(document) -> int:
    """How deeply lists and objects nest in `document` (a scalar is 0), walked without recursion."""
    deepest, pending = 0, [(document, 1)]
    while pending:
        value, level = pending.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if children is not None:
            deepest = max(deepest, level)
            pending.extend((child, level + 1) for child in children)
    return deepest


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            document = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(NESTED_TOO_DEEPLY) from None
        if depth(document) > MAX_DEPTH:
            raise ParseError(NESTED_TOO_DEEPLY)
        return document

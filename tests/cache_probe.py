"""A middleware for tests/partnerships/test_cache_families.py: it notes every request that reaches it, so a test
can tell that a public-cache hit was answered before the rest of the stack ran."""

SEEN = []


class ProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        SEEN.append(request.path)
        return self.get_response(request)

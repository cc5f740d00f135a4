"""The portal's URLs plus a bare Django view: the framework's ceiling on this machine, for the benchmark only."""

from django.http import HttpResponse
from django.urls import path

from smartcity.urls import urlpatterns as portal


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare", bare), *portal]

"""Public pages of the partnerships app: partners, the MoU registry, one MoU, and the downloads."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from smartcity.downloads import download_response, wants_download

from .exports import MoUExport, PartnerExport
from .models import MoU, Partner
from .public_filters import MoUPublicFilterSet, PartnerPublicFilterSet

PAGE_SIZE = 25


def _public_partners():
    return Partner.objects.published().with_related()


def _registry(request) -> MoUPublicFilterSet:
    return MoUPublicFilterSet(request.GET or None, queryset=MoU.objects.published().with_related(), request=request)


def _partners(request) -> PartnerPublicFilterSet:
    return PartnerPublicFilterSet(request.GET or None, queryset=_public_partners(), request=request)


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def partner_list(request):
    """Every published partner, searched and filtered by kind, with how many published MoUs it has with the city."""
    partners = _partners(request)
    fmt = wants_download(request)
    if fmt:
        return download_response(request, PartnerExport, partners.qs, fmt=fmt, name="partners")
    context = {"filter": partners, "partners": partners.qs, "query": _query(request)}
    return render(request, "partnerships/partner_list.html", context)


def partner_detail(request, slug: str):
    """One partner's page: who they are and their published MoUs with the city."""
    partner = get_object_or_404(_public_partners(), slug=slug)
    mous = MoU.objects.published().of_partner(partner.pk).with_related()
    return render(request, "partnerships/partner_detail.html", {"partner": partner, "mous": mous})


def mou_list(request):
    """The MoU registry, searched and filtered by status, partner, partner kind, scope area and year signed."""
    registry = _registry(request)
    fmt = wants_download(request)
    if fmt:
        return download_response(request, MoUExport, registry.qs, fmt=fmt, name="mou")
    page = Paginator(registry.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filter": registry, "page": page, "mous": page.object_list, "query": _query(request)}
    return render(request, "partnerships/mou_list.html", context)


def mou_detail(request, slug: str):
    """One MoU: its parties, scope, linked programs and each commitment's progress."""
    mou = get_object_or_404(MoU.objects.published().with_commitments(), slug=slug)
    return render(request, "partnerships/mou_detail.html", {"mou": mou})


def _as_list_download(request, url_name: str, fmt: str):
    """The old `mou.csv`-style routes: a permanent redirect to the list's own `?download=` (same filters)."""
    query = [(key, value) for key, values in request.GET.lists() if key != "download" for value in values]
    return HttpResponsePermanentRedirect(f"{reverse(url_name)}?{urlencode(query + [('download', fmt)])}")


def mou_download(request, format: str):  # noqa: A002 - the URL's word for it
    return _as_list_download(request, "partnerships:mou-list", format)


def partner_download(request, format: str):  # noqa: A002
    return _as_list_download(request, "partnerships:partner-list", format)

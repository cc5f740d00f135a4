"""Public pages of the partnerships app: partners, the MoU registry, one MoU, and the downloads."""

from urllib.parse import urlencode

from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from smartcity.list_views import PublicListView

from .exports import MoUExport, PartnerExport
from .models import MoU, Partner
from .public_filters import MoUPublicFilterSet, PartnerPublicFilterSet

PAGE_SIZE = 25


def _public_partners():
    return Partner.objects.published().with_related()


class PartnerList(PublicListView):
    """Every published partner, searched and filtered by kind, with how many published MoUs it has with the city."""

    template_name = "partnerships/partner_list.html"
    filterset_class = PartnerPublicFilterSet
    export = PartnerExport
    download_name = "partners"
    paginate_by = None
    context_object_name = "partners"

    def get_queryset(self):
        return _public_partners()


partner_list = PartnerList.as_view()


def partner_detail(request, slug: str):
    """One partner's page: who they are and their published MoUs with the city."""
    partner = get_object_or_404(_public_partners(), slug=slug)
    mous = MoU.objects.published().of_partner(partner.pk).with_related()
    return render(request, "partnerships/partner_detail.html", {"partner": partner, "mous": mous})


class MoUList(PublicListView):
    """The MoU registry, searched and filtered by status, partner, partner kind, scope area and year signed."""

    template_name = "partnerships/mou_list.html"
    filterset_class = MoUPublicFilterSet
    export = MoUExport
    download_name = "mou"
    paginate_by = PAGE_SIZE
    context_object_name = "mous"

    def get_queryset(self):
        return MoU.objects.published().with_related()


mou_list = MoUList.as_view()


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

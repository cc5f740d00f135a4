"""The partnerships app's kinds in the site search (smartcity.search): partners and MoUs."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from smartcity.search import SearchKind, list_url, register_kind

from .models import MoU, Partner

register_kind(
    SearchKind(
        key="partners",
        label=_("Partners"),
        queryset=lambda: Partner.objects.public(),
        fields=("name", "short_name", "description_ind"),
        fields_en=("description_en",),
        title="name",
        summary="description",
        url=lambda row: reverse("partnerships:partner-detail", args=[row.slug]),
        list_url=list_url("partnerships:partner-list"),
        order=40,
    )
)
register_kind(
    SearchKind(
        key="mous",
        label=_("MoUs"),
        queryset=lambda: MoU.objects.public(),
        fields=("title_ind", "summary_ind", "city_number"),
        fields_en=("title_en", "summary_en"),
        summary="summary",
        url=lambda row: reverse("partnerships:mou-detail", args=[row.slug]),
        list_url=list_url("partnerships:mou-list"),
        order=50,
    )
)

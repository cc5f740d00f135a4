"""The filter forms of the public MoU registry and partner list: a search and what a citizen filters by.
Only published partners are offered or accepted. The API keeps its own FilterSets (partnerships/filters.py)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from smartcity.public_filters import PublicFilterSet, year_filter

from .choices import MoUStatus, PartnerKind
from .models import MoU, MoUParty, Partner, ScopeArea


def published_partners(request):
    return Partner.objects.published().order_by("name")


class MoUPublicFilterSet(PublicFilterSet):
    search_fields = (
        "title_ind",
        "title_en",
        "summary_ind",
        "summary_en",
        "city_number",
        "parties__partner_number",
        "parties__partner__name",
        "parties__partner__short_name",
    )
    status = django_filters.ChoiceFilter(
        choices=MoUStatus.choices, method="by_status", label=_("Status"), empty_label=_("Any status")
    )
    partner = django_filters.ModelChoiceFilter(
        queryset=published_partners,
        to_field_name="slug",
        method="by_partner",
        label=_("Partner"),
        empty_label=_("All partners"),
    )
    partner_kind = django_filters.ChoiceFilter(
        field_name="partners__kind",
        choices=PartnerKind.choices,
        distinct=True,
        label=_("Partner kind"),
        empty_label=_("Any kind of partner"),
    )
    scope_area = django_filters.ModelChoiceFilter(
        field_name="scope_areas",
        queryset=ScopeArea.objects.all(),
        to_field_name="slug",
        label=_("Scope area"),
        empty_label=_("Any scope area"),
        label_field="name",
    )
    year = year_filter(_("Year signed"), field_name="signed_on", lookup_expr="year")

    class Meta:
        model = MoU
        fields = []

    def by_status(self, queryset, name, value):
        return queryset.with_status(value)

    def by_partner(self, queryset, name, partner):
        return queryset.filter(pk__in=MoUParty.objects.filter(partner=partner).values("mou_id"))


class PartnerPublicFilterSet(PublicFilterSet):
    search_fields = ("name", "short_name", "description_ind", "description_en")
    kind = django_filters.ChoiceFilter(choices=PartnerKind.choices, label=_("Kind"), empty_label=_("Any kind"))

    class Meta:
        model = Partner
        fields = []

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Agency, Pillar


class PillarFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = Pillar
        fields = ["id", "slug"]

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(
            Q(name_id__icontains=value)
            | Q(name_en__icontains=value)
            | Q(sub_dimensions__name_id__icontains=value)
            | Q(sub_dimensions__name_en__icontains=value)
        ).distinct()


class AgencyFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = Agency
        fields = ["id", "slug", "acronym"]

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(acronym__icontains=value))

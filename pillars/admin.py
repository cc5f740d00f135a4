from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Agency, Pillar, SubDimension


class ReferenceDataMixin:
    """The six pillars and eighteen sub-dimensions are fixed by the national framework: staff may
    reword them, never add or remove them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SubDimensionInline(ReferenceDataMixin, admin.TabularInline):
    model = SubDimension
    fields = ["order", "slug", "name_id", "name_en"]
    readonly_fields = ["slug"]
    extra = 0


@admin.register(Pillar)
class PillarAdmin(ReferenceDataMixin, SimpleHistoryAdmin):
    list_display = ["order", "name_id", "name_en", "slug", "colour", "updated_at"]
    list_display_links = ["name_id"]
    readonly_fields = ["slug"]
    fields = ["slug", "order", "name_id", "name_en", "description_id", "description_en", "colour"]
    inlines = [SubDimensionInline]


@admin.register(SubDimension)
class SubDimensionAdmin(ReferenceDataMixin, SimpleHistoryAdmin):
    list_display = ["name_id", "name_en", "pillar", "order"]
    list_filter = ["pillar"]
    list_select_related = ["pillar"]
    search_fields = ["name_id", "name_en", "slug"]
    readonly_fields = ["slug", "pillar"]
    fields = ["pillar", "slug", "order", "name_id", "name_en"]


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "slug", "updated_at"]
    search_fields = ["name", "acronym", "slug"]
    prepopulated_fields = {"slug": ["acronym"]}
    fields = ["name", "acronym", "slug"]

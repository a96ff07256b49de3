from django.contrib import admin

from .models import PartyOrg


@admin.register(PartyOrg)
class PartyOrgAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "path", "parent", "area", "founded_on")
    list_filter = ("kind",)
    search_fields = ("name", "path")
    raw_id_fields = ("parent", "area", "covered_areas")
    list_select_related = ("parent", "area")
    ordering = ("path",)

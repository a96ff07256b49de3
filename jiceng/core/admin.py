"""The Django admin, for superusers only. Personal numbers are shown masked and never
edited here; changes made here bypass the services, so day-to-day work uses the pages."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import Area, AuditEvent, Person, Post, RoleAssignment, User


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "households")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)
    list_select_related = ("parent",)
    ordering = ("code",)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "sex", "area", "phone_masked", "id_number_masked", "political_status")
    list_filter = ("political_status", "sex", "education")
    search_fields = ("name",)
    raw_id_fields = ("area",)
    list_select_related = ("area",)
    exclude = ("phone", "id_number_encrypted", "id_number_index")
    readonly_fields = ("phone_masked", "id_number_masked")

    @admin.display(description="手机号")
    def phone_masked(self, obj):
        return obj.phone_masked

    @admin.display(description="身份证号")
    def id_number_masked(self, obj):
        return obj.id_number_masked


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("person", "title", "area", "party_org", "starts_on", "ends_on")
    list_filter = ("title",)
    search_fields = ("person__name", "area__name", "party_org__name")
    raw_id_fields = ("person", "area", "party_org")
    list_select_related = ("person", "area", "party_org")


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ("area", "party_org")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "area", "party_org", "starts_on", "ends_on")
    list_filter = ("role",)
    search_fields = ("user__username", "area__name", "party_org__name")
    raw_id_fields = ("user", "area", "party_org")
    list_select_related = ("user", "area", "party_org")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + (
        ("基层治理平台", {"fields": ("person", "password_changed_at")}),
    )
    readonly_fields = ("password_changed_at",)
    raw_id_fields = ("person",)
    inlines = (RoleAssignmentInline,)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only and hash-chained (see jiceng.core.audit)."""

    list_display = ("id", "at", "actor_name", "ip", "action", "object_repr")
    list_filter = ("action",)
    search_fields = ("actor_name", "action", "object_repr")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

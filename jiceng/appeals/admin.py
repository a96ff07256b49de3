"""Configuration of the appeals in the admin: categories, SLA policies, duty rosters,
absences, webhook endpoints and API tokens. Appeals and their history are not edited
here (the history is append-only); they change only through the services."""

from django.contrib import admin

from .models import (
    ApiToken,
    Category,
    DutyRoster,
    SlaPolicy,
    StewardAbsence,
    WebhookDelivery,
    WebhookEndpoint,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("path", "name", "parent", "active")
    search_fields = ("name",)


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "category",
        "urgency",
        "unit",
        "response_limit",
        "resolve_limit",
        "warn_share",
        "supervise_share",
    )
    list_filter = ("urgency", "unit")


@admin.register(DutyRoster)
class DutyRosterAdmin(admin.ModelAdmin):
    list_display = ("grid", "steward", "backup", "starts_on", "ends_on")
    raw_id_fields = ("grid", "steward", "backup")


@admin.register(StewardAbsence)
class StewardAbsenceAdmin(admin.ModelAdmin):
    list_display = ("person", "starts_on", "ends_on", "reason")
    raw_id_fields = ("person",)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("name", "url", "active")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("endpoint", "status", "attempts", "last_error", "created_at")
    list_filter = ("status",)
    readonly_fields = (
        "endpoint",
        "payload",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "notification",
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "active", "last_used_at")
    readonly_fields = ("key_hash", "prefix", "last_used_at")
    raw_id_fields = ("user",)

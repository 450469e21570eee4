from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from events import services
from events.models import Event, MediationSession, Registration
from quai.errors import DomainError


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["member", "guest_name", "guest_email", "status", "walk_in", "attended"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "capacity", "status", "is_public"]
    list_filter = ["kind", "status", "is_public"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["room"]
    inlines = [RegistrationInline]
    exclude = ["site", "created_by"]

    def save_model(self, request, obj, form, change):
        # Same path as the API: the room is booked in coworking, the waiting list promoted.
        try:
            if obj.status == Event.Status.CANCELLED and change:
                services.event_cancel(event=obj, by=request.user)
            else:
                services.event_save(event=obj, by=request.user)
        except DomainError as error:
            messages.error(request, str(error.message))
            raise ValidationError(str(error.message)) from error


@admin.register(MediationSession)
class MediationSessionAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "duration_min", "participants", "age_band", "commune"]
    list_filter = ["kind", "place", "age_band"]

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from events import services
from events.models import Event, MediationActivity, MediationParticipant, Registration
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


class MediationParticipantInline(admin.TabularInline):
    model = MediationParticipant
    extra = 0
    fields = ["position", "anonymous", "genre", "tranche_age", "statut_social", "commune", "code_postal", "code_insee", "first_time"]
    readonly_fields = fields
    can_delete = False


@admin.register(MediationActivity)
class MediationActivityAdmin(admin.ModelAdmin):
    """Read and annotate: activities are recorded through the quick log or the API (one participant row each)."""

    list_display = ["date", "type", "duree", "type_lieu", "created_at"]
    list_filter = ["type", "type_lieu"]
    date_hierarchy = "date"
    inlines = [MediationParticipantInline]
    readonly_fields = [
        "type", "date", "duree", "type_lieu", "lieu_commune", "lieu_code_postal", "lieu_code_insee", "materiel", "thematiques",
        "precisions_demarche", "autonomie", "titre_atelier", "niveau_atelier", "oriente_vers_structure",
        "structure_de_redirection", "event", "created_by", "created_at", "updated_at",
    ]

    def has_add_permission(self, request):
        return False

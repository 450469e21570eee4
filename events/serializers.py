from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from events.markdown import render_markdown
from events.models import Event, Registration
from quai import inputs


class EventSerializer(inputs.ModelSerializer):
    description_html = serializers.SerializerMethodField()
    confirmed_count = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id", "title", "description", "description_html", "kind", "themes", "start", "end", "site", "room",
            "capacity", "confirmed_count", "is_public", "price", "registration_opens_at", "registration_closes_at",
            "cancellation_cutoff_hours", "status",
        ]

    start = inputs.SerializerAwareDateTimeField(source="starts_at")
    end = inputs.SerializerAwareDateTimeField(source="ends_at")

    def get_description_html(self, event) -> str:
        return render_markdown(event.description)

    def get_confirmed_count(self, event) -> int:
        # Events come from selectors.agenda/event_get_for_user (annotated); a new one has no seat taken.
        return getattr(event, "seats_taken", 0)

    def validate(self, data):
        start = data.get("starts_at", getattr(self.instance, "starts_at", None))
        end = data.get("ends_at", getattr(self.instance, "ends_at", None))
        if start and end and end <= start:
            raise serializers.ValidationError({"end": [_("The end must be after the start.")]})
        opens = data.get("registration_opens_at", getattr(self.instance, "registration_opens_at", None))
        closes = data.get("registration_closes_at", getattr(self.instance, "registration_closes_at", None))
        if opens and closes and closes <= opens:
            raise serializers.ValidationError({"registration_closes_at": [_("Registration must close after it opens.")]})
        return data


class GuestRegistrationSerializer(serializers.Serializer):
    name = inputs.SerializerTextField(max_length=150, required=False, allow_blank=True)
    email = inputs.SerializerEmailField(required=False, allow_blank=True)
    # Like the form: a guest agrees that we keep their name and e-mail (GDPR), or is not registered.
    consent = serializers.BooleanField(
        required=False, default=False,
        help_text="Guests: true when the person agrees that Quai keeps their name and e-mail for this event (required).",
    )


class RegistrationCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["confirmed", "waitlisted"])


class RegistrationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    email = serializers.CharField(read_only=True)

    class Meta:
        model = Registration
        fields = ["id", "event", "name", "email", "status", "walk_in", "attended", "created_at"]


class AttendanceSerializer(serializers.Serializer):
    present = serializers.BooleanField()
    nonce = inputs.SerializerTextField(max_length=64)

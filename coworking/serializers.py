from rest_framework import serializers

from coworking.models import Booking, Resource, Site
from quai import inputs


# ISO-8601 with an explicit offset, within the years Quai handles (quai.inputs).
StrictDateTimeField = inputs.SerializerAwareDateTimeField


class SiteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["id", "name", "slug", "address", "booking_window_days", "cancellation_cutoff_hours", "max_room_booking_minutes"]


class ResourceSerializer(serializers.ModelSerializer):
    is_fixed_desk = serializers.SerializerMethodField()

    class Meta:
        model = Resource
        fields = ["id", "site", "kind", "name", "zone", "capacity", "amenities", "is_fixed_desk"]

    def get_is_fixed_desk(self, resource) -> bool:
        return resource.assigned_to_id is not None


class BookingSerializer(serializers.ModelSerializer):
    start = serializers.DateTimeField(source="starts_at", read_only=True)
    end = serializers.DateTimeField(source="ends_at", read_only=True)
    resource_name = serializers.CharField(source="resource.name", read_only=True)

    class Meta:
        model = Booking
        fields = ["id", "resource", "resource_name", "start", "end", "status", "credits_used", "checked_in_at", "created_at"]


class BookingInputSerializer(serializers.Serializer):
    resource = inputs.SerializerIntegerField(min_value=1)
    start = StrictDateTimeField()
    end = StrictDateTimeField()


class BookingMoveSerializer(serializers.Serializer):
    resource = inputs.SerializerIntegerField(required=False, min_value=1)
    start = StrictDateTimeField()
    end = StrictDateTimeField()


class AvailabilityCellSerializer(serializers.Serializer):
    start = serializers.DateTimeField(source="starts_at")
    end = serializers.DateTimeField(source="ends_at")
    state = serializers.CharField()
    booking = serializers.IntegerField(source="booking_id", allow_null=True)


class AvailabilityRowSerializer(serializers.Serializer):
    resource = ResourceSerializer()
    cells = AvailabilityCellSerializer(many=True)


class AvailabilitySerializer(serializers.Serializer):
    site = serializers.IntegerField(source="site.pk")
    date = serializers.DateField(source="day")
    kind = serializers.CharField()
    open = serializers.BooleanField()
    rows = AvailabilityRowSerializer(many=True)

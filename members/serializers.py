from rest_framework import serializers

from members.models import Membership, User
from quai import inputs


class MeSerializer(inputs.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "language", "is_staff"]
        read_only_fields = ["id", "email", "is_staff"]


class ProfileTextField(serializers.CharField):
    """A text of the member's profile: "" (never null) for an account that has no profile yet."""

    def __init__(self, name: str):
        super().__init__(source=f"profile.{name}", read_only=True)

    def get_attribute(self, instance):
        # DRF answers None when a relation on the way is missing (no profile row).
        value = super().get_attribute(instance)
        return "" if value is None else value


class MemberSerializer(serializers.ModelSerializer):
    """Staff view of a member (private fields: staff only)."""

    phone = ProfileTextField("phone")
    commune = ProfileTextField("commune")
    organisation = ProfileTextField("organisation")
    membership_end = serializers.DateField(read_only=True, allow_null=True)
    membership_type = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "phone", "commune", "organisation", "date_joined", "membership_type", "membership_end"]


class MembershipSerializer(inputs.ModelSerializer):
    type_name = serializers.CharField(source="type.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "member", "type", "type_name", "starts_on", "ends_on", "amount_paid", "payment_method", "payment_reference", "paid_on"]
        read_only_fields = ["ends_on"]
        extra_kwargs = {"starts_on": {"required": False}, "payment_method": {"required": True, "allow_blank": False}}

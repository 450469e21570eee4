from rest_framework import serializers

from members.models import User


class MeSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "language", "is_staff"]
        read_only_fields = ["id", "email", "is_staff"]

from drf_spectacular.utils import extend_schema
from rest_framework import generics

from members.serializers import MeSerializer


@extend_schema(tags=["members"])
class MeView(generics.RetrieveUpdateAPIView):
    """The authenticated user's own account."""

    serializer_class = MeSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return self.request.user

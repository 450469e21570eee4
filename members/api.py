from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from members import selectors, services
from members.forms import MemberFilterForm
from members.models import Membership, User
from members.serializers import MembershipSerializer, MemberSerializer, MeSerializer
from quai.permissions import IsStaff


@extend_schema(tags=["members"])
class MeView(generics.RetrieveUpdateAPIView):
    """The authenticated user's own account."""

    serializer_class = MeSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return self.request.user


@extend_schema(tags=["members"], responses=OpenApiTypes.OBJECT)
class MeExportView(APIView):
    """Everything Quai holds about you (GDPR), across all apps."""

    def get(self, request):
        return Response(services.member_export(request.user))


@extend_schema(tags=["members"])
class MemberListView(generics.ListAPIView):
    """Staff: the members, with the same filters as /staff/members/ (q, status, type, joined_from, joined_to, order)."""

    serializer_class = MemberSerializer
    permission_classes = [IsStaff]
    queryset = User.objects.none()
    filter_backends: list = []

    def get_queryset(self):
        # The page's filter form: the same rules, and a bad value is a 400 naming the filter.
        return selectors.member_list(**MemberFilterForm(self.request.query_params or None).filters())


@extend_schema(tags=["members"])
class MemberDetailView(generics.RetrieveAPIView):
    serializer_class = MemberSerializer
    permission_classes = [IsStaff]

    def get_queryset(self):
        return selectors.member_list()


@extend_schema(tags=["members"])
class MembershipListCreateView(generics.ListCreateAPIView):
    """Your memberships (staff: everyone's; staff POST records a payment)."""

    serializer_class = MembershipSerializer
    queryset = Membership.objects.none()
    filterset_fields = ["member", "type"]

    def get_permissions(self):
        return [IsStaff()] if self.request.method == "POST" else super().get_permissions()

    def get_queryset(self):
        return Membership.objects.visible_to(self.request.user).select_related("type").order_by("-starts_on")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.membership_record_payment(
            member=data["member"], type=data["type"], by=self.request.user, method=data.get("payment_method", ""),
            reference=data.get("payment_reference", ""), amount=data.get("amount_paid"), paid_on=data.get("paid_on"),
            starts_on=data.get("starts_on"),
        )

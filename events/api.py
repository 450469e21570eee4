from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from events import selectors, services
from events.forms import AgendaFilterForm
from events.models import Event
from events.serializers import (
    AttendanceSerializer,
    EventSerializer,
    GuestRegistrationSerializer,
    RegistrationCreatedSerializer,
    RegistrationSerializer,
)
from quai.permissions import IsStaff, IsStaffOrReadOnly


@extend_schema(
    tags=["events"],
    parameters=[OpenApiParameter("kind", OpenApiTypes.STR), OpenApiParameter("theme", OpenApiTypes.STR),
                OpenApiParameter("month", OpenApiTypes.STR, description="YYYY-MM")],
)
class EventListCreateView(generics.ListCreateAPIView):
    """Published public events for everyone (members also see members-only ones); staff create events."""

    serializer_class = EventSerializer
    permission_classes = [IsStaffOrReadOnly]
    queryset = Event.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Event.objects.none()
        # The agenda page's filter form: same rules, and a bad value is a 400 naming the filter.
        return selectors.agenda(user=self.request.user, **AgendaFilterForm(self.request.query_params or None).filters())

    def perform_create(self, serializer):
        event = Event(**serializer.validated_data)
        serializer.instance = services.event_save(event=event, by=self.request.user)


@extend_schema(tags=["events"])
class EventDetailView(generics.RetrieveUpdateAPIView):
    serializer_class = EventSerializer
    permission_classes = [IsStaffOrReadOnly]
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return selectors.event_get_for_user(self.request.user, self.kwargs["pk"])

    def perform_update(self, serializer):
        event = self.get_object()
        for field, value in serializer.validated_data.items():
            setattr(event, field, value)
        if serializer.validated_data.get("status") == Event.Status.CANCELLED:
            serializer.instance = services.event_cancel(event=event, by=self.request.user)
        else:
            serializer.instance = services.event_save(event=event, by=self.request.user)


@extend_schema(tags=["events"])
class EventRegistrationsView(APIView):
    """POST registers the caller (member: empty body; anonymous guest on a public event: name, e-mail and consent).
    GET lists the registrations (staff only)."""

    def get_permissions(self):
        return [permissions.AllowAny()] if self.request.method == "POST" else [IsStaff()]

    @extend_schema(responses=RegistrationSerializer(many=True))
    def get(self, request, pk):
        event = selectors.event_get_for_user(request.user, pk)
        return Response(RegistrationSerializer(selectors.door_list(event), many=True).data)

    @extend_schema(request=GuestRegistrationSerializer, responses={201: RegistrationCreatedSerializer})
    def post(self, request, pk):
        # The service reads the event once, under its lock, among those the caller may see (404).
        if request.user.is_authenticated:
            registration = services.registration_create(event_id=pk, member=request.user)
        else:
            data = GuestRegistrationSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            registration = services.registration_create(
                event_id=pk, guest_name=data.validated_data.get("name", ""), guest_email=data.validated_data.get("email", ""),
                consent=data.validated_data["consent"],
            )
        return Response({"id": registration.pk, "status": registration.status}, status=status.HTTP_201_CREATED)


@extend_schema(tags=["events"])
class RegistrationDetailView(APIView):
    @extend_schema(responses=RegistrationSerializer)
    def get(self, request, pk):
        return Response(RegistrationSerializer(selectors.registration_get_for_user(request.user, pk)).data)

    @extend_schema(responses={200: RegistrationSerializer})
    def delete(self, request, pk):
        registration = services.registration_cancel(registration=selectors.registration_get_for_user(request.user, pk), by=request.user)
        return Response(RegistrationSerializer(registration).data)


@extend_schema(tags=["events"], request=AttendanceSerializer, responses={200: RegistrationSerializer, 201: RegistrationSerializer})
class AttendanceView(APIView):
    permission_classes = [IsStaff]

    def post(self, request, pk):
        registration = selectors.registration_get_for_user(request.user, pk)
        data = AttendanceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _scan, created = services.attendance_mark(
            registration=registration, present=data.validated_data["present"], nonce=data.validated_data["nonce"], by=request.user
        )
        registration.refresh_from_db()
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

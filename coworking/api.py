from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from coworking import selectors, services
from coworking.models import Booking, Resource, Site
from coworking.serializers import (
    AvailabilitySerializer,
    BookingInputSerializer,
    BookingMoveSerializer,
    BookingSerializer,
    ResourceSerializer,
    SiteSerializer,
)
from coworking.time import PARIS
from quai.errors import DomainError
from quai.inputs import parse_date, parse_int, shift_date


# DRF builds a serializer's fields anew for every instance, and a ModelSerializer builds them from
# the model's fields: 0.6 ms per answer here, measured (a booking POST spends about 7 ms in Python).
# The answers about one booking reuse one instance: `to_representation` keeps nothing between calls
# and BookingSerializer reads no context (no request, no user). The list view keeps its own.
_BOOKING = BookingSerializer()


def _booking_answer(booking: Booking) -> dict:
    return _BOOKING.to_representation(booking)


def _resource_or_400(resource_id) -> Resource:
    resource = Resource.objects.select_related("site").filter(pk=resource_id).first()
    if resource is None:
        raise DomainError(_("This resource cannot be booked (unknown or inactive)."), field="resource")
    return resource


@extend_schema(tags=["coworking"])
class SiteListView(generics.ListAPIView):
    serializer_class = SiteSerializer
    queryset = Site.objects.filter(is_active=True).order_by("name")


@extend_schema(
    tags=["coworking"],
    parameters=[
        OpenApiParameter("site", OpenApiTypes.INT),
        OpenApiParameter("kind", OpenApiTypes.STR, enum=["desk", "room", "booth"]),
    ],
)
class ResourceListView(generics.ListAPIView):
    serializer_class = ResourceSerializer
    filterset_fields = ["site", "kind", "zone"]
    queryset = Resource.objects.filter(is_active=True).order_by("site", "kind", "zone", "position", "name")


@extend_schema(
    tags=["coworking"],
    parameters=[
        OpenApiParameter("site", OpenApiTypes.INT, required=True),
        OpenApiParameter("date", OpenApiTypes.DATE, required=True),
        OpenApiParameter("kind", OpenApiTypes.STR, enum=["desk", "room"]),
        OpenApiParameter("zone", OpenApiTypes.STR),
    ],
    responses=AvailabilitySerializer,
)
class AvailabilityView(APIView):
    """The day grid: for each resource, its slots and whether they are free, taken or yours."""

    def get(self, request):
        errors = {}
        try:
            layout = selectors.site_layout(pk=parse_int(request.query_params.get("site", ""), min_value=1))
        except ValidationError:
            layout = None
        if layout is None:
            errors["site"] = [_("Give the id of an active site.")]
        try:
            day = parse_date(request.query_params.get("date", ""))
            shift_date(day, days=1)  # the grid's day ends at the next midnight
        except ValidationError as error:
            errors["date"] = [str(m) for m in error.messages]
        kind = request.query_params.get("kind", "desk")
        if kind not in ("desk", "room"):
            errors["kind"] = [_("kind is desk or room.")]
        if errors:
            return Response({"detail": next(iter(errors.values()))[0], "code": "invalid", "errors": errors}, status=status.HTTP_400_BAD_REQUEST)
        site = layout.site
        grid = selectors.availability(layout=layout, day=day, kind=kind, user=request.user, zone=request.query_params.get("zone", ""))
        # Built by hand (same shape as AvailabilitySerializer, which documents it): this is the hot
        # path of the booking screen, and nested serializers cost more than the four queries.
        return Response({
            "site": site.pk,
            "date": day.isoformat(),
            "kind": kind,
            "open": grid.open,
            "rows": [
                {
                    "resource": {
                        "id": row.resource.pk, "site": row.resource.site_id, "kind": row.resource.kind, "name": row.resource.name,
                        "zone": row.resource.zone, "capacity": row.resource.capacity, "amenities": row.resource.amenities,
                        "is_fixed_desk": row.resource.assigned_to_id is not None,
                    },
                    "cells": [
                        {"start": cell.column.start_iso, "end": cell.column.end_iso, "state": cell.state, "booking": cell.booking_id}
                        for cell in row.cells
                    ],
                }
                for row in grid.rows
            ],
        })


@extend_schema(tags=["coworking"])
class BookingListCreateView(generics.ListCreateAPIView):
    """Your bookings (staff: all, filterable by member, resource, status). POST books a slot."""

    serializer_class = BookingSerializer
    filterset_fields = ["status", "resource", "member"]

    queryset = Booking.objects.none()  # for the schema; the real one depends on the user

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Booking.objects.none()
        return Booking.objects.visible_to(self.request.user).select_related("resource").order_by("-span")

    @extend_schema(request=BookingInputSerializer, responses={201: BookingSerializer})
    def post(self, request):
        data = BookingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        starts_at = data.validated_data["start"]
        # The resource and its site's calendar that day in one query (the service reads the
        # calendar itself otherwise).
        found = selectors.resource_for_booking(pk=data.validated_data["resource"], day=starts_at.astimezone(PARIS).date())
        if found is None:
            raise DomainError(_("This resource cannot be booked (unknown or inactive)."), field="resource")
        resource, calendar = found
        booking = services.booking_create(
            member=request.user, resource=resource, starts_at=starts_at, ends_at=data.validated_data["end"], calendar=calendar
        )
        return Response(_booking_answer(booking), status=status.HTTP_201_CREATED)


@extend_schema(tags=["coworking"])
class BookingDetailView(generics.RetrieveAPIView):
    """One of your bookings. PATCH moves it, DELETE cancels it (the row stays, status cancelled)."""

    serializer_class = BookingSerializer

    def get_object(self):
        return selectors.booking_get_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(request=BookingMoveSerializer, responses=BookingSerializer)
    def patch(self, request, pk):
        booking = self.get_object()
        data = BookingMoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        resource = _resource_or_400(data.validated_data["resource"]) if "resource" in data.validated_data else None
        booking = services.booking_move(
            booking=booking, starts_at=data.validated_data["start"], ends_at=data.validated_data["end"], resource=resource
        )
        return Response(_booking_answer(booking))

    @extend_schema(responses={200: BookingSerializer})
    def delete(self, request, pk):
        cancelled = services.booking_cancel(booking=self.get_object(), by=request.user)
        return Response(_booking_answer(cancelled.booking))


@extend_schema(tags=["coworking"], request=None, responses=BookingSerializer)
class BookingCheckInView(APIView):
    def post(self, request, pk):
        booking = services.booking_check_in(booking=selectors.booking_get_for_user(request.user, pk), by=request.user)
        return Response(_booking_answer(booking))



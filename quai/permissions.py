"""Who may see what: shared helpers for pages (mixins) and the API (DRF permissions)."""

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from rest_framework import permissions


class StaffRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Back-office pages: anonymous → login page; logged-in non-staff → 403."""

    raise_exception = False

    def test_func(self):
        return self.request.user.is_staff

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            self.raise_exception = True
        return super().handle_no_permission()


class IsStaff(permissions.BasePermission):
    message = "Staff only."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_staff)


class IsStaffOrReadOnly(permissions.BasePermission):
    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated and request.user.is_staff)

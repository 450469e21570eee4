from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from members.models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identity"), {"fields": ("first_name", "last_name", "language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def save_model(self, request, obj, form, change):
        # Role changes are staff actions on a member: audited in the same transaction.
        from quai.audit import audit_log

        changed_roles = [field for field in ("is_staff", "is_superuser", "is_active", "groups") if change and field in form.changed_data]
        super().save_model(request, obj, form, change)
        if changed_roles:
            audit_log(actor=request.user, action="members.role_changed", target=obj,
                      data={field: getattr(obj, field) for field in changed_roles if field != "groups"})


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "key_prefix", "created_at", "last_used_at"]
    search_fields = ["name", "user__email"]
    readonly_fields = ["key_prefix", "created_at", "last_used_at"]
    raw_id_fields = ["user"]

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from members.models import ApiToken, HelloAssoRate, MembershipType, PaymentInstructions, User
from members.selectors import account_change_allowed
from members.services import require_account_change_allowed

ROLE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


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

    # Only a superuser may erase or change a staff or superuser account, or give anyone a role:
    # a staff member sees such accounts read-only, and a forged request gets a 403 with the reason.
    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return readonly if request.user.is_superuser else (*readonly, *ROLE_FIELDS)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or account_change_allowed(user=obj, by=request.user))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or account_change_allowed(user=obj, by=request.user))

    def _refuse_privileged_target(self, request, object_id):
        target = self.get_object(request, unquote(object_id)) if object_id else None
        if target is not None:
            require_account_change_allowed(user=target, by=request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            self._refuse_privileged_target(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._refuse_privileged_target(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def user_change_password(self, request, id, form_url=""):
        self._refuse_privileged_target(request, id)
        return super().user_change_password(request, id, form_url)

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
    list_display = ["name", "user", "key_prefix", "created_at", "last_used_at", "expires_at", "staff_powers"]
    search_fields = ["name", "user__email"]
    readonly_fields = ["key_prefix", "created_at", "last_used_at", "staff_powers"]
    raw_id_fields = ["user"]


@admin.register(MembershipType)
class MembershipTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "amount_eur", "duration_months", "season_start_month", "is_active"]
    list_filter = ["kind", "is_active"]


@admin.register(HelloAssoRate)
class HelloAssoRateAdmin(admin.ModelAdmin):
    """The HelloAsso rate → membership type mapping the member import remembers (editable here)."""

    list_display = ["name", "membership_type", "updated_at"]
    search_fields = ["name"]


@admin.register(PaymentInstructions)
class PaymentInstructionsAdmin(admin.ModelAdmin):
    """One row: how members pay (HelloAsso, transfer, desk), shown when they renew."""

    fieldsets = (
        (_("Online"), {"fields": ("helloasso_url",)}),
        (_("Bank transfer"), {"fields": ("transfer_holder", "transfer_iban", "transfer_bic", "transfer_reference_prefix")}),
        (_("At the desk"), {"fields": ("desk_details",)}),
    )

    def has_add_permission(self, request):
        return not PaymentInstructions.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

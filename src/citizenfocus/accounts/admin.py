from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from citizenfocus.core.admin import ReadOnlyAdmin

from .models import Profile, RoleChange
from .services import current_role, role_change_record


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False


admin.site.unregister(User)


@admin.register(User)
class CitizenfocusUserAdmin(UserAdmin):
    """Users and roles; every change of the role the system applies is recorded (RoleChange)."""

    inlines = [ProfileInline]
    list_display = ["username", "email", "is_active", "role"]

    @admin.display(description="Role")
    def role(self, obj):
        return obj.profile.get_role_display() if hasattr(obj, "profile") else "No access"

    def save_model(self, request, obj, form, change):
        form.role_before = current_role(obj.pk if change else None)  # the form is this request's own
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # The admin runs save_model and save_related in one transaction: the history commits with the change.
        super().save_related(request, form, formsets, change)
        role_change_record(user=form.instance, old_role=getattr(form, "role_before", ""), by=request.user,
                           via=RoleChange.Via.ADMIN)


@admin.register(RoleChange)
class RoleChangeAdmin(ReadOnlyAdmin):
    list_display = ("at", "username", "old_role", "new_role", "who_name", "via")
    list_filter = ("new_role", "via")
    search_fields = ("username", "who_name")

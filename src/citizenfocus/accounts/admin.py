from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from .models import Profile


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False


admin.site.unregister(User)


@admin.register(User)
class CitizenfocusUserAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "email", "is_active", "role"]

    @admin.display(description="Role")
    def role(self, obj):
        return obj.profile.get_role_display() if hasattr(obj, "profile") else "No access"

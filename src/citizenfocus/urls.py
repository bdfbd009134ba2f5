from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from citizenfocus.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("data/", include("citizenfocus.surveys.urls")),
    path("performance/", include("citizenfocus.performance.urls")),
    path("plans/", include("citizenfocus.plans.urls")),
    path("victims/", include("citizenfocus.victims.urls")),
    path("reports/", include("citizenfocus.reports.urls")),
    path("equality/", include("citizenfocus.equality.urls")),
    path("communities/", include("citizenfocus.communities.urls")),
    path("public/", include("citizenfocus.public.urls")),
    path("admin/", admin.site.urls),
]

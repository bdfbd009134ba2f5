from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.reports_page, name="reports"),
    path("build/", views.pack_build, name="build"),
    path("<int:pk>/", views.pack_detail, name="pack"),
    path("<int:pk>/download/", views.pack_download, name="download"),
]

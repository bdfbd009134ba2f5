from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.reports_page, name="reports"),
    path("build/", views.pack_build, name="build"),
    path("<int:pk>/", views.pack_detail, name="pack"),
    path("<int:pk>/download/", views.pack_download, name="download"),
    path("templates/", views.template_upload, name="template_upload"),
    path("templates/<int:pk>/", views.template_download, name="template"),
    path("templates/<int:pk>/retire/", views.template_retire, name="template_retire"),
]

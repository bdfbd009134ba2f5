from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("neighbourhoods/<slug:code>/", views.neighbourhood, name="neighbourhood"),
    path("releases/", views.releases, name="releases"),
    path("releases.json", views.releases, name="releases_json"),
    path("releases/<int:pk>/<slug:key>.<str:fmt>", views.table, name="table"),
    path("approve/", views.approve, name="approve"),
]

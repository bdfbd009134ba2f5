from django.urls import path

from . import views

app_name = "equality"

urlpatterns = [
    path("neighbourhoods/", views.profiles, name="profiles"),
    path("neighbourhoods/<slug:code>/", views.profile, name="profile"),
    path("maps/", views.maps, name="maps"),
    path("stop-search/", views.stop_search, name="stop_search"),
]

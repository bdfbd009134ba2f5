from django.urls import path

from . import views

app_name = "communities"

urlpatterns = [
    path("", views.home, name="home"),
    path("neighbourhoods/<slug:code>/priorities/", views.priorities, name="priorities"),
    path("neighbourhoods/<slug:code>/perceptions/", views.perception_add, name="perception_add"),
    path("neighbourhoods/<slug:code>/kin/", views.kin, name="kin"),
    path("priorities/<int:pk>/", views.priority, name="priority"),
    path("priorities/<int:pk>/actions/", views.priority_action_add, name="priority_action_add"),
    path("kin/<int:pk>/leave/", views.kin_leave, name="kin_leave"),
    path("tension/", views.tension_summary, name="tension"),
    path("tension/new/", views.tension_new, name="tension_new"),
]

from django.urls import path

from . import assessment_views as assess
from . import panel_views as panels
from . import views

app_name = "communities"

urlpatterns = [
    path("", views.home, name="home"),
    path("neighbourhoods/<slug:code>/priorities/", views.priorities, name="priorities"),
    path("neighbourhoods/<slug:code>/perceptions/", views.perception_add, name="perception_add"),
    path("neighbourhoods/<slug:code>/priorities/new/", views.priority_add, name="priority_add"),
    path("neighbourhoods/<slug:code>/kin/", views.kin, name="kin"),
    path("priorities/<int:pk>/", views.priority, name="priority"),
    path("priorities/<int:pk>/actions/", views.priority_action_add, name="priority_action_add"),
    path("kin/<int:pk>/leave/", views.kin_leave, name="kin_leave"),
    path("neighbourhoods/<slug:code>/kin/members/", views.kin_add, name="kin_add"),
    path("priorities/<int:pk>/we-did/", views.we_did_add, name="we_did_add"),
    path("tension/", views.tension_summary, name="tension"),
    path("tension/new/", views.tension_new, name="tension_new"),
    path("impact-assessments/", assess.cia_list, name="cias"),
    path("impact-assessments/new/", assess.cia_new, name="cia_new"),
    path("impact-assessments/<int:pk>/", assess.cia_detail, name="cia"),
    path("impact-assessments/<int:pk>/sign-off/", assess.cia_sign_off, name="cia_sign_off"),
    path("equality/", assess.equality, name="equality"),
    path("equality/new/", assess.equality_new, name="equality_new"),
    path("equality/<int:pk>/", assess.policy_detail, name="policy"),
    path("equality/<int:pk>/screening/", assess.policy_screen, name="policy_screen"),
    path("equality/<int:pk>/reviews/", assess.policy_review, name="policy_review"),
    path("equality/<int:pk>/actions/", assess.policy_action_add, name="policy_action_add"),
    path("panels/", panels.panels, name="panels"),
    path("panels/<int:pk>/", panels.panel_detail, name="panel"),
    path("panels/<int:pk>/members/", panels.panel_member_add, name="panel_member_add"),
    path("panels/<int:pk>/meetings/", panels.panel_meeting_add, name="panel_meeting_add"),
    path("panels/<int:pk>/findings/", panels.panel_finding, name="panel_finding"),
    path("panel-meetings/<int:pk>/response/", panels.panel_response, name="panel_response"),
]

from django.urls import path

from . import callback_views, compliance_views, dip_views, letter_views, theme_views, views

app_name = "victims"

urlpatterns = [
    path("queue/", views.queue_page, name="queue"),
    path("cases/<int:pk>/", views.record_page, name="record"),
    path("cases/<int:pk>/events/", views.record_event, name="record_event"),
    path("cases/<int:pk>/letter/", letter_views.letter_download, name="letter"),
    path("compliance/", compliance_views.compliance_page, name="compliance"),
    path("call-backs/", callback_views.callback_list, name="callbacks"),
    path("call-backs/<int:pk>/", callback_views.callback_update, name="callback_update"),
    path("dip-samples/", dip_views.dip_list, name="dip_samples"),
    path("dip-samples/<int:pk>/", dip_views.dip_sample, name="dip_sample"),
    path("dip-samples/checks/<int:pk>/", dip_views.dip_check, name="dip_check"),
    path("comment-themes/", theme_views.themes_page, name="themes"),
]

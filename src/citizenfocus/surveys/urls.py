from django.urls import path

from . import import_views, views

app_name = "surveys"

urlpatterns = [
    path("", views.data_page, name="data"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("responses/", views.responses_page, name="responses"),
    path("import/", import_views.import_upload, name="import"),
]

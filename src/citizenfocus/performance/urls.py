from django.urls import path

from . import record_views, views
from .pages import PAGES

app_name = "performance"

urlpatterns = [path(f"{key}/", views.dashboard_page(key), name=key) for key in PAGES] + [
    path("targets/", record_views.targets_page, name="targets"),
    path("change-points/", record_views.change_points_page, name="change_points"),
    path("change-points/<int:pk>/archive/", record_views.change_point_archive, name="change_point_archive"),
    path("peer-figures/", record_views.peer_figures_page, name="peer_figures"),
    path("peer-figures/upload/", record_views.peer_figures_upload, name="peer_figures_upload"),
    path("records-history/", record_views.history_page, name="records_history"),
]

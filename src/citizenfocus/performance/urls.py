from django.urls import path

from . import views
from .pages import PAGES

app_name = "performance"

urlpatterns = [path(f"{key}/", views.dashboard_page(key), name=key) for key in PAGES]

from django.urls import path

from . import panel_views, views

app_name = "equality"

urlpatterns = [
    path("neighbourhoods/", views.profiles, name="profiles"),
    path("neighbourhoods/<slug:code>/", views.profile, name="profile"),
    path("maps/", views.maps, name="maps"),
    path("stop-search/", views.stop_search, name="stop_search"),
    path("hate-crime/", views.hate_crime, name="hate_crime"),
    path("hate-crime/records/", views.hate_crime_record_list, name="hate_crime_records"),
    path("panel/", panel_views.reviews, name="panel_reviews"),
    path("panel/<int:pk>/", panel_views.review, name="panel_review"),
    path("panel/searches/<int:pk>/finding", panel_views.finding, name="panel_finding"),
    path("panel/findings/<int:pk>/recommend", panel_views.recommend, name="panel_recommend"),
]

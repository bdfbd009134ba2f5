from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "citizenfocus.communities"
    verbose_name = "Communities"

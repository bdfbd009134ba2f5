from django.apps import AppConfig


class EqualityConfig(AppConfig):
    name = "citizenfocus.equality"
    label = "equality"
    verbose_name = "Equality data: census, boundaries, stop and search"

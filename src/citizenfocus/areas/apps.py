from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "citizenfocus.areas"
    label = "areas"
    verbose_name = "Force, divisions and neighbourhoods"

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "citizenfocus.core"
    label = "core"
    verbose_name = "citizenfocus"

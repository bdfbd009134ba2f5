from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "citizenfocus.performance"
    label = "performance"
    verbose_name = "Performance dashboard"

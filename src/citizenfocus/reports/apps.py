from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "citizenfocus.reports"
    label = "reports"
    verbose_name = "Board packs"

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "citizenfocus.plans"
    label = "plans"
    verbose_name = "Action plans, recommendations and risks"

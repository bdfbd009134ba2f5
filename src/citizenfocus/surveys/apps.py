from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "citizenfocus.surveys"
    label = "surveys"
    verbose_name = "Surveys and responses"

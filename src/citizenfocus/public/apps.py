from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "citizenfocus.public"
    verbose_name = "Public site"

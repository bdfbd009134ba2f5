from django.apps import AppConfig


class VictimsConfig(AppConfig):
    name = "citizenfocus.victims"
    verbose_name = "Serving victims (Victims' Code)"
    label = "victims"

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "citizenfocus.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

"""Who may change what: analysts and administrators edit plans; action owners update their own actions."""

from citizenfocus.accounts.models import user_can


def can_edit_plans(user) -> bool:
    return user_can(user, "edit_plans")


def can_update_action(user, action) -> bool:
    """Analysts and administrators any action; action owners the actions they manage; board members none."""
    if can_edit_plans(user):
        return True
    return user_can(user, "update_actions") and action.is_owned_by(user)

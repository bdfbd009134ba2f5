"""Who may change what: analysts and administrators edit plans; action owners update their own actions."""

from citizenfocus.accounts.models import user_can


def can_edit_plans(user) -> bool:
    return user_can(user, "edit_plans")


def can_update_action(user, action) -> bool:
    """Analysts and administrators any action; action owners the actions they manage; board members none."""
    if can_edit_plans(user):
        return True
    return user_can(user, "update_actions") and action.is_owned_by(user)


def can_read_plan(user, plan) -> bool:
    """Every role that reads plans reads a live or closed plan; a draft only its editors and the managers of
    its actions (it is not yet the force's answer to anyone)."""
    if not user_can(user, "view"):
        return False
    if plan.status != plan.Status.DRAFT or can_edit_plans(user):
        return True
    from citizenfocus.plans.models import Action

    return Action.objects.filter(response__recommendation__plan=plan, manager_id=getattr(user, "pk", None)).exists()

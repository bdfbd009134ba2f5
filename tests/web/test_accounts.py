import pytest
from django.urls import reverse

from citizenfocus.accounts.models import Role, role_of
from tests.conftest import PASSWORD


@pytest.mark.django_db
def test_a_new_user_has_no_access_until_given_a_role(client, django_user_model):
    user = django_user_model.objects.create_user("newcomer", password=PASSWORD)
    assert role_of(user) == Role.NO_ACCESS
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 403


@pytest.mark.django_db
def test_a_user_logs_in_with_the_form_and_lands_on_home(client, users):
    page = client.get(reverse("login"))
    assert b"csrfmiddlewaretoken" in page.content
    response = client.post(reverse("login"), {"username": "analyst-user", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.context["user_role"] == Role.ANALYST


@pytest.mark.django_db
def test_login_attempts_are_throttled_after_five_failures(client, users):
    for _ in range(5):
        client.post(reverse("login"), {"username": "analyst-user", "password": "wrong"})
    locked = client.post(reverse("login"), {"username": "analyst-user", "password": PASSWORD})
    assert locked.status_code == 429
    assert not client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_forms_are_protected_by_csrf(users):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("login"), {"username": "analyst-user", "password": PASSWORD})
    assert response.status_code == 403


@pytest.mark.django_db
def test_logout_needs_a_post(client, users):
    client.force_login(users["analyst"])
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_administrators_reach_the_admin_and_analysts_do_not(client, users):
    client.force_login(users["administrator"])
    assert client.get("/admin/areas/neighbourhood/").status_code == 200
    client.force_login(users["analyst"])
    assert client.get("/admin/areas/neighbourhood/").status_code == 302


def test_createuser_refuses_an_unknown_role(db):
    from citizenfocus.accounts.services import user_create_or_update

    with pytest.raises(ValueError, match="unknown role 'chief'"):
        user_create_or_update(username="x", password=PASSWORD, role="chief")

"""Walk every URL of the app with every role: login required, the role checked."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from citizenfocus.accounts.models import CAPABILITIES

PUBLIC = {"healthz", "login", "logout"}
# The public site: no log-in, by design (tests/public/test_public_urls.py walks them anonymously).
PUBLIC |= {"public:index", "public:neighbourhood", "public:releases", "public:releases_json", "public:table"}
SAMPLE_KWARGS = {"pk": 1, "code": "N01"}
# Pages whose sample object this test creates: an allowed role must get 200.
# Elsewhere (other apps keep their own exact matrices with real objects) an
# allowed role may get 404 for a sample id that does not exist, or 405 for a
# POST-only URL, but never a 403, a redirect to log in or an error.
EXACT = {"home", "surveys:data", "surveys:responses", "surveys:batch", "surveys:import"}


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def _app_urls():
    urls = []
    for name, pattern in _named_patterns():
        if name in PUBLIC:
            continue
        kwargs = {k: SAMPLE_KWARGS[k] for k in pattern.pattern.converters}
        urls.append((name, reverse(name, kwargs=kwargs), pattern.callback))
    return urls


def test_every_page_names_the_capability_it_needs():
    missing = [name for name, _, view in _app_urls() if getattr(view, "capability", None) not in CAPABILITIES]
    assert not missing, f"views without role_required: {missing}"


def test_the_matrix_covers_the_data_pages():
    names = {name for name, _, _ in _app_urls()}
    assert {"home", "surveys:data", "surveys:responses", "surveys:batch", "surveys:import"} <= names


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_log_in_from_every_page(client):
    for name, url, _ in _app_urls():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name


@pytest.mark.django_db
def test_every_role_gets_exactly_what_its_capabilities_allow(client, users):
    from citizenfocus.surveys.models import ImportBatch, Survey

    survey = Survey.objects.create(key="uss", name="User satisfaction survey", definition_toml="")
    batch = ImportBatch.objects.create(
        survey=survey, imported_by_name="analyst", source="cli", started_at="2014-04-01T10:00Z",
        finished_at="2014-04-01T10:01Z", file_name="x.csv", file_sha256="0" * 64, status="stored",
    )
    SAMPLE_KWARGS["pk"] = batch.pk
    for role, user in users.items():
        client.force_login(user)
        for name, url, view in _app_urls():
            response = client.get(url)
            allowed = role in CAPABILITIES[view.capability]
            if not allowed:
                expected = {403}
            elif name in EXACT:
                expected = {200}
            else:
                expected = {200, 404, 405}
            assert response.status_code in expected, f"{role} GET {name}: {response.status_code}"
        client.logout()

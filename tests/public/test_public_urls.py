"""The public site's URLs are public on purpose: exactly these, with no log-in, and nothing else of the app."""

import pytest
from django.urls import reverse

from tests.web.test_permission_matrix import PUBLIC, _named_patterns

PUBLIC_SITE = {"public:index", "public:neighbourhood", "public:releases", "public:releases_json", "public:table"}


def test_the_only_views_without_a_role_check_are_the_listed_public_ones():
    unchecked = {name for name, pattern in _named_patterns() if not hasattr(pattern.callback, "capability")}
    assert unchecked == PUBLIC
    assert PUBLIC_SITE <= PUBLIC


@pytest.mark.django_db
def test_anonymous_visitors_are_never_sent_to_log_in_from_the_public_site(client):
    from citizenfocus.public.models import Release

    release = Release.objects.create(title="t", snapshot={"tables": {"you-said-we-did": {
        "caption": "c", "columns": [{"key": "priority", "label": "Local priority", "kind": "text"}], "rows": []}},
        "neighbourhoods": [{"code": "lowford", "name": "Lowford", "division": "South"}], "periods": {}},
        sha256="0" * 64, min_base=50, approved_by_name="analyst")
    urls = [reverse("public:index"), reverse("public:neighbourhood", args=["lowford"]), reverse("public:releases"),
            reverse("public:releases_json"), reverse("public:table", args=[release.pk, "you-said-we-did", "csv"]),
            reverse("public:table", args=[release.pk, "you-said-we-did", "json"])]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("public:approve")).status_code == 302

"""Request guards every page shares: log-in throttling by address, idle sessions, unreadable addresses.

Kept out of the views: each is about the request, not about what a page shows.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse


def client_address(request) -> str | None:
    """The address a request came from. Behind the documented reverse proxy, `citizenfocus serve`
    (waitress, trusted_proxy) has already put the client's own address in REMOTE_ADDR.

    None when there is none (a log-in made in code, not over HTTP): django-axes stores it in an
    address column, which PostgreSQL refuses to fill with a word."""
    return request.META.get("REMOTE_ADDR") or None


class LoginThrottleMiddleware:
    """Failed log-ins counted per address: past CITIZENFOCUS_LOGIN_ADDRESS_LIMIT in the window, that
    address waits. django-axes locks a user name after a few failures wherever they come from; this
    slows one address trying many names, with a limit high enough that a whole office behind one
    proxy address is not shut out by one person's typing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST" or request.path != reverse("login"):
            return self.get_response(request)
        key = f"citizenfocus:login-failures:{client_address(request) or 'unknown'}"
        limit = settings.CITIZENFOCUS_LOGIN_ADDRESS_LIMIT
        if (cache.get(key) or 0) >= limit:
            minutes = settings.CITIZENFOCUS_LOGIN_ADDRESS_WINDOW // 60
            return HttpResponse(f"Too many failed log-ins from your address: try again in {minutes} minutes.",
                                status=429, content_type="text/plain; charset=utf-8")
        response = self.get_response(request)
        if response.status_code == 200:  # the form shown again: the log-in failed
            cache.add(key, 0, timeout=settings.CITIZENFOCUS_LOGIN_ADDRESS_WINDOW)
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=settings.CITIZENFOCUS_LOGIN_ADDRESS_WINDOW)
        return response


class SessionIdleTimeoutMiddleware:
    """A session left idle for CITIZENFOCUS_SESSION_IDLE_MINUTES ends; SESSION_COOKIE_AGE caps it in all.

    The last-seen time is written at most once a minute, so a busy user costs no write a request."""

    SAVE_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            seen = request.session.get("citizenfocus_seen", now)
            if now - seen > settings.CITIZENFOCUS_SESSION_IDLE_MINUTES * 60:
                logout(request)
                return redirect(f"{reverse('login')}?next={request.path}")
            if now - seen >= self.SAVE_EVERY or "citizenfocus_seen" not in request.session:
                request.session["citizenfocus_seen"] = now
        return self.get_response(request)


class UnreadableAddressMiddleware:
    """An address whose query holds a NUL character is refused with 400: no database can be asked
    for it (PostgreSQL refuses NUL in any text), and no page of ours ever makes one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.META.get("QUERY_STRING", "") or any(
                "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            return HttpResponseBadRequest("The address holds a NUL character (%00): it cannot be read.",
                                          content_type="text/plain; charset=utf-8")
        return self.get_response(request)

"""robots.txt keeps crawlers out of every page behind a login and lets them read the public call."""

import re

import pytest
from django.test import Client
from django.urls import get_resolver

from .test_permission_matrix import ADMIN, LOGIN, MATRIX, PUBLIC_PAGES, walk

pytestmark = pytest.mark.django_db


def rules(text):
    """(allow, path pattern) of the group for every crawler (`User-agent: *`)."""
    found, in_group = [], False
    for line in text.splitlines():
        field, _colon, value = line.partition(":")
        field, value = field.strip().lower(), value.strip()
        if field == "user-agent":
            in_group = value == "*"
        elif in_group and field in {"allow", "disallow"} and value:
            found.append((field == "allow", value))
    return found


def allowed(found, path):
    """RFC 9309: the longest matching pattern decides, Allow winning a tie; `*` is any text, a final `$` the end."""
    matches = []
    for allow, pattern in found:
        expression = "".join(".*" if char == "*" else re.escape(char) for char in pattern.removesuffix("$"))
        if re.match(expression + ("$" if pattern.endswith("$") else ""), path):
            matches.append((len(pattern), allow))
    return max(matches, default=(0, True))[1]


def sample_path(route):
    """A path the route matches, its arguments filled with a digit (a regular expression's groups too)."""
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
    route = re.sub(r"<(?:\w+:)?\w+>", "1", route)
    return "/" + route.replace("^", "").replace("$", "")


def test_robots_txt_is_plain_text_for_every_crawler():
    response = Client().get("/robots.txt")
    assert (response.status_code, response["Content-Type"]) == (200, "text/plain; charset=utf-8")
    assert rules(response.content.decode()) != []


def test_robots_txt_keeps_crawlers_out_of_every_page_behind_a_login_and_lets_them_read_the_call():
    found = rules(Client().get("/robots.txt").content.decode())
    routes = {key: sample_path(route) for key, route, _pattern, _namespace in walk(get_resolver())}
    private = sorted(
        routes[key] for key, answers in MATRIX.items() if answers["visitor"] in (LOGIN, ADMIN) and key in routes
    )
    public = sorted(routes[key] for key in PUBLIC_PAGES if key != "robots_txt")
    assert [path for path in private if allowed(found, path)] == []
    assert [path for path in public if not allowed(found, path)] == []
    assert len(private) > 50

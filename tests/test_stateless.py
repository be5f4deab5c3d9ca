"""Nothing assumes that two requests of one person reach the same process: a session and a login lockout are kept
where every worker and app server finds them (the database), not in a process's memory. The next request is played
as if another process took it: one that never saw the first, so its local-memory cache is empty."""

from django.contrib.auth import get_user, get_user_model
from django.core.cache import cache
from django.urls import reverse

PASSWORD = "Maasland-voorstel-2023"


def log_in(client, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": "nadia@example.org", "password": password})


def another_process():
    """What a second gunicorn worker or app server knows of the first one's memory: nothing."""
    cache.clear()


def test_a_login_holds_when_the_next_request_reaches_another_process(client, db):
    user = get_user_model().objects.create_user("nadia@example.org", PASSWORD, full_name="Nadia Peeters")
    assert log_in(client).status_code == 302
    another_process()
    response = client.get(reverse("candidacies:candidacy_list"))
    assert (response.status_code, get_user(client)) == (200, user)


def test_a_lockout_holds_when_the_next_attempt_reaches_another_process(client, db):
    get_user_model().objects.create_user("nadia@example.org", PASSWORD, full_name="Nadia Peeters")
    for _attempt in range(5):
        log_in(client, "wrong-password")
    another_process()
    assert log_in(client).status_code == 429

"""Never lose a word: counters that count as the server does, no silent cut, a refused upload still saves the
text, drafts that save themselves, and the typed text back after an expired session or a CSRF failure."""

import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from candidacies.models import Attachment, Candidacy
from tests import factories

from .conftest import DURING_INTAKE

LONG_FIELDS = {"summary": 1500, "approach": 5000, "collaboration": 5000, "budget_breakdown": 5000, "team": 5000}
FETCH = {"Accept": "application/json"}
TOO_LONG_5001 = "Zorg dat deze waarde niet meer dan 5000 tekens bevat (het zijn er nu 5001)."


@pytest.fixture
def member_client(client, applicant):
    client.force_login(applicant)
    return client


def edit_url(candidacy):
    return reverse("candidacies:candidacy_update", args=[candidacy.pk])


def form_data(candidacy, intent="draft", **overrides):
    data = factories.complete_form_data(candidacy.call, candidacy, **overrides)
    data[intent] = "1"
    return data


def with_line_breaks(length, breaks):
    """`length` characters as a person counts them, `breaks` of them line breaks, posted as browsers do (CR LF)."""
    line = (length - breaks) // breaks
    text = ("a" * line + "\n") * breaks
    return (text + "b" * (length - len(text))).replace("\n", "\r\n")


def textarea(page, name):
    return re.search(rf'<textarea name="{name}"[^>]*>', page).group(0)


@time_machine.travel(DURING_INTAKE, tick=False)
def test_a_summary_of_1500_characters_with_line_breaks_is_saved_as_1500(member_client, draft):
    summary = with_line_breaks(1500, breaks=8)
    assert len(summary) == 1508
    response = member_client.post(edit_url(draft), form_data(draft, summary=summary))
    draft.refresh_from_db()
    assert response.status_code == 302
    assert (len(draft.summary), draft.summary) == (1500, summary.replace("\r\n", "\n"))


@time_machine.travel(DURING_INTAKE, tick=False)
def test_every_long_field_has_a_counter_with_the_servers_limit_and_no_cutting_maxlength(member_client, draft):
    page = member_client.get(edit_url(draft)).content.decode()
    for name, limit in LONG_FIELDS.items():
        tag = textarea(page, name)
        assert "maxlength" not in tag
        assert f'data-limit="{limit}"' in tag and "data-counter" in tag
        assert f'id="id_{name}-counter"' in page


@pytest.mark.parametrize("name", ["approach", "collaboration", "budget_breakdown", "team"])
@time_machine.travel(DURING_INTAKE, tick=False)
def test_a_paste_over_5000_characters_is_refused_at_its_field_and_comes_back_whole(member_client, draft, name):
    pasted = "c" * 5001
    response = member_client.post(edit_url(draft), form_data(draft, **{name: pasted}))
    draft.refresh_from_db()
    assert response.status_code == 400
    assert getattr(draft, name) == ""
    assert response.context["form"].errors[name] == [TOO_LONG_5001]
    assert f">\n{pasted}</textarea>" in response.content.decode()


@time_machine.travel(DURING_INTAKE, tick=False)
def test_a_refused_upload_still_saves_the_typed_text_and_the_next_save_goes_through(member_client, draft):
    opened = form_data(draft, intent="upload", summary="Getypt voor de upload.", attachment=factories.exe_file())
    response = member_client.post(edit_url(draft), opened)
    draft.refresh_from_db()
    assert response.status_code == 400
    assert "attachment" in response.context["form"].errors
    assert (Attachment.objects.count(), draft.summary, draft.lock_version) == (0, "Getypt voor de upload.", 2)
    page = response.content.decode()
    assert 'name="lock_version" value="2"' in page and "Getypt voor de upload." in page
    again = member_client.post(edit_url(draft), form_data(draft, summary="Nog een zin."))
    draft.refresh_from_db()
    assert (again.status_code, draft.summary) == (302, "Nog een zin.")


@time_machine.travel(DURING_INTAKE, tick=False)
def test_an_autosave_answers_in_json_with_the_new_lock_version_and_the_time(member_client, draft, settings):
    response = member_client.post(edit_url(draft), form_data(draft, summary="Half af."), headers=FETCH)
    draft.refresh_from_db()
    assert response.status_code == 200
    assert response.json() == {
        "saved": True,
        "lock_version": 2,
        "message": "Bewaard om 12:00",
        "session_seconds": settings.SESSION_COOKIE_AGE,
    }
    assert (draft.summary, draft.lock_version) == ("Half af.", 2)
    assert list(member_client.get(edit_url(draft)).context["messages"]) == []


@time_machine.travel(DURING_INTAKE, tick=False)
def test_an_autosave_after_a_save_in_another_tab_is_refused_and_changes_nothing(member_client, draft):
    stale = form_data(draft, summary="Uit het eerste tabblad.")
    member_client.post(edit_url(draft), form_data(draft, summary="Uit het tweede tabblad."))
    response = member_client.post(edit_url(draft), stale, headers=FETCH)
    draft.refresh_from_db()
    assert response.status_code == 409
    assert response.json()["saved"] is False and response.json()["conflict"] is True
    assert (draft.summary, draft.lock_version) == ("Uit het tweede tabblad.", 2)


@time_machine.travel(DURING_INTAKE, tick=False)
def test_an_autosave_of_an_overlong_field_answers_with_the_message_and_stores_nothing(member_client, draft):
    response = member_client.post(edit_url(draft), form_data(draft, team="t" * 5001), headers=FETCH)
    draft.refresh_from_db()
    assert response.status_code == 400
    assert response.json()["saved"] is False
    assert response.json()["errors"]["team"] == [TOO_LONG_5001]
    assert (draft.team, draft.lock_version) == ("", 1)


@time_machine.travel(DURING_INTAKE, tick=False)
def test_the_form_loads_its_scripts_from_static_files_and_tells_them_the_session_age(member_client, draft, settings):
    page = member_client.get(edit_url(draft)).content.decode()
    assert "js/autosave.js" in page and "js/session.js" in page and "js/counter.js" in page
    assert re.findall(r"<script>", page) == []
    assert f'data-session-seconds="{settings.SESSION_COOKIE_AGE}"' in page
    assert "data-autosave" in page


@time_machine.travel(DURING_INTAKE, tick=False)
def test_after_an_expired_session_the_typed_text_comes_back_after_logging_in(client, applicant, draft):
    response = client.post(edit_url(draft), form_data(draft, summary="Twee uur lang getypt."))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    login_page = client.get(response.url).content.decode()
    assert "Je sessie was verlopen" in login_page
    client.force_login(applicant)
    page = client.get(edit_url(draft))
    draft.refresh_from_db()
    assert draft.summary == ""
    assert "Twee uur lang getypt." in page.content.decode()
    assert "nog niet bewaard" in page.content.decode()
    assert "Twee uur lang getypt." not in client.get(edit_url(draft)).content.decode()


@time_machine.travel(DURING_INTAKE, tick=False)
def test_a_csrf_failure_shows_a_dutch_page_and_the_typed_text_comes_back(applicant, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)
    data = form_data(draft, summary="Getypt voor het aanmelden in een ander tabblad.", csrfmiddlewaretoken="x" * 64)
    response = client.post(edit_url(draft), data, headers={"Origin": "http://testserver"})
    page = response.content.decode()
    draft.refresh_from_db()
    assert (response.status_code, draft.summary) == (403, "")
    assert "CSRF verification failed" not in page and "DEBUG" not in page
    assert "Wat je typte, is bewaard" in page
    assert f'href="{edit_url(draft)}"' in page
    assert "Getypt voor het aanmelden in een ander tabblad." in client.get(edit_url(draft)).content.decode()


@time_machine.travel(DURING_INTAKE, tick=False)
def test_a_cross_site_post_that_fails_the_csrf_check_is_not_kept(applicant, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)
    data = form_data(draft, summary="Van een andere site.", csrfmiddlewaretoken="x" * 64)
    response = client.post(edit_url(draft), data, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert "Van een andere site." not in client.get(edit_url(draft)).content.decode()


def test_the_kept_text_is_only_given_back_to_the_page_it_was_typed_on(client, applicant, draft):
    with time_machine.travel(DURING_INTAKE, tick=False):
        client.post(edit_url(draft), form_data(draft, summary="Voor de kandidatuur."))
        client.force_login(applicant)
        other = reverse("candidacies:candidacy_detail", args=[draft.pk])
        assert "Voor de kandidatuur." not in client.get(other).content.decode()
        assert "Voor de kandidatuur." in client.get(edit_url(draft)).content.decode()
    assert Candidacy.objects.get().summary == ""


def test_a_csrf_failure_on_a_page_that_gives_nothing_back_keeps_nothing(db):
    client = Client(enforce_csrf_checks=True)
    data = {"username": "an@example.org", "password": "Geheim-wachtwoord-1", "csrfmiddlewaretoken": "x" * 64}
    response = client.post(reverse("accounts:login"), data, headers={"Origin": "http://testserver"})
    assert response.status_code == 403
    assert "Wat je typte, is bewaard" not in response.content.decode()
    assert "kept_input" not in client.session

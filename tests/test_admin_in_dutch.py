"""Every admin page the call manager opens reads in Dutch: a crawl of the seeded call's admin (the start page, each
app, each model's list with and without each filter, a change page, the add page and the history of each model, and
the admin's own pages) searches the text a person sees for English words of the admin, raw stored values and UTC.

The text is the page without its tags, scripts and styles: attribute values and hidden inputs are not read."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.db import models
from django.test import Client, RequestFactory
from django.urls import get_resolver, reverse
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from candidacies.models import Candidacy
from jury.models import PitchSlot
from maasland.admin import DutchMessagesMixin
from tests.security import test_permission_matrix as matrix
from tests.seeded import fresh_copy, seeded_once

# Words, not the database: the crawl runs in the SQLite pass only, as the permission matrix does.
pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_pass]

OUR_APPS = {"accounts", "challenges", "candidacies", "mailtemplates", "jury", "office", "demo"}
ENGLISH = ["Django-beheer", "Model name", "Add link", "Change or view list link", "View history", "EXTENDED_UNTIL"]
ENGLISH_WORDS = ["Changed", "Created", "None"]
UTC = [r"\+00:00", r"\bUTC\b"]


def raw_values():
    """The stored values of the candidacy's status and of every choice with an underscore ("not_selected",
    "extended_until"): a person reads their labels."""
    values = {status.value for status in Candidacy.Status}
    for model in admin.site._registry:
        if model._meta.app_label in OUR_APPS:
            for field in model._meta.get_fields():
                if isinstance(field, models.Field) and field.choices:
                    values |= {str(value) for value, _label in field.flatchoices if "_" in str(value)}
    return sorted(values)


FORBIDDEN = re.compile(
    "|".join(
        [re.escape(text) for text in ENGLISH]
        + [rf"\b{word}\b" for word in ENGLISH_WORDS]
        + [rf"\b{re.escape(value)}\b" for value in raw_values()]
        + UTC
    ),
    re.IGNORECASE,
)
FORBIDDEN_CASED = re.compile("|".join([rf"\b{word}\b" for word in ENGLISH_WORDS]))


class VisibleText(HTMLParser):
    """The text of a page as a person reads it: no tags, attributes, scripts or styles."""

    HIDDEN = {"script", "style", "template"}

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def findings(text):
    """What must not be read: the English words as words (with their case: "None", "Changed"), the rest in any
    case."""
    found = {match.group(0) for match in FORBIDDEN.finditer(text)}
    english_words = {word.lower() for word in ENGLISH_WORDS}
    return sorted(
        found - {word for word in found if word.lower() in english_words}
        | {match.group(0) for match in FORBIDDEN_CASED.finditer(text)}
    )


def confirmation(model, django_message):
    """What the call manager reads after a save: Django's own message, through the model's admin."""
    request = RequestFactory().post("/admin/")
    request.session = {}
    request._messages = FallbackStorage(request)
    with translation.override("nl-be"):
        admin.site._registry[model].message_user(request, django_message)
    return [str(message) for message in get_messages(request)]


def django_changed(model, name):
    return format_lazy(
        gettext_lazy("The {name} “{obj}” was changed successfully."), name=model._meta.verbose_name, obj=name
    )


def test_a_neuter_noun_is_confirmed_with_het_and_the_others_with_de():
    slot = confirmation(PitchSlot, django_changed(PitchSlot, "19 juni 10:00"))
    candidacy = confirmation(Candidacy, django_changed(Candidacy, "MAAS-2023-001"))
    assert (slot, candidacy) == (
        ["Het pitchmoment “19 juni 10:00” is gewijzigd."],
        ["De kandidatuur “MAAS-2023-001” is gewijzigd."],
    )


def test_every_admin_of_our_apps_gives_its_messages_the_right_article():
    admins = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in OUR_APPS and not isinstance(model_admin, DutchMessagesMixin)
    ]
    assert admins == []


@pytest.fixture(scope="module")
def crawled_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """The seeded call with what the permission matrix adds to it (an invitation, an unavailability, a login
    failure...), built once for the module."""
    with seeded_once(django_db_blocker, tmp_path_factory.mktemp("media"), extend=matrix.extend) as seeded:
        yield seeded


@pytest.fixture
def seeded(crawled_module, db, settings):
    settings.MEDIA_ROOT = crawled_module.media_root
    return fresh_copy(crawled_module)


@pytest.fixture
def manager(seeded):
    client = Client(raise_request_exception=True)
    client.force_login(seeded.manager)
    return client


def read(client, url):
    """(status, what a person reads on the page, what must not be there)."""
    response = client.get(url)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return response.status_code, "", []
    text = visible_text(response.content.decode())
    return 200, text, findings(text)


def crawl(client, urls):
    """{url: findings} for the pages that show something they must not, and the number of pages read."""
    found, read_pages = {}, 0
    for url in urls:
        status, _text, wrong = read(client, url)
        read_pages += status == 200
        if wrong:
            found[url] = wrong
    return found, read_pages


def model_pages(seeded, client, page):
    """The URL of `page` (changelist, change, add, history) of every registered model the call manager may view."""
    urls = []
    request = RequestFactory().get(reverse("admin:index"))
    request.user = seeded.manager
    for prefix, model in sorted(matrix.registered_models().items()):
        model_admin = admin.site._registry[model]
        if not model_admin.has_view_permission(request):
            continue
        if page == "changelist":
            urls.append(reverse(f"admin:{prefix}_changelist"))
        elif page == "add":
            if model_admin.has_add_permission(request):
                urls.append(reverse(f"admin:{prefix}_add"))
        else:
            object_id = matrix.admin_object(seeded, model)
            if object_id:
                urls.append(reverse(f"admin:{prefix}_{page}", args=[object_id]))
    return urls


def filtered_lists(client, changelists):
    """Each list with each of its filters set to its first choice (after "All")."""
    urls = []
    for url in changelists:
        changelist = client.get(url).context["cl"]
        for spec in changelist.filter_specs:
            choices = [choice for choice in spec.choices(changelist) if not choice.get("selected")]
            urls += [url + choice["query_string"] for choice in choices[:1]]
    return urls


def test_the_start_page_and_each_app_read_in_dutch(seeded, manager):
    urls = [reverse("admin:index")] + [
        reverse("admin:app_list", args=[label]) for label in ("challenges", "candidacies", "jury", "mailtemplates")
    ]
    found, pages = crawl(manager, urls)
    assert (found, pages) == ({}, len(urls))


def test_the_start_page_carries_the_portals_name(seeded, manager):
    page = manager.get(reverse("admin:index")).content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    header = visible_text(re.search(r'<div id="site-name">(.*?)</div>', page, re.S).group(1))
    assert ("Maasland" in title, "Maasland" in header, "Django" in title + header) == (True, True, False)


def test_every_list_reads_in_dutch_with_and_without_its_filters(seeded, manager):
    changelists = model_pages(seeded, manager, "changelist")
    urls = changelists + filtered_lists(manager, changelists)
    found, pages = crawl(manager, urls)
    assert (found, pages > 50) == ({}, True), pages


@pytest.mark.parametrize(("page", "at_least"), [("change", 20), ("add", 6), ("history", 12)])
def test_every_change_add_and_history_page_reads_in_dutch(seeded, manager, page, at_least):
    urls = model_pages(seeded, manager, page)
    found, pages = crawl(manager, urls)
    assert (found, pages >= at_least) == ({}, True), pages


def custom_pages(seeded):
    """The admin's own pages (the pitch planner, a letter's preview, the weerwoord's assessment, the office's
    coverage, exports and log) that the permission matrix opens for the call manager."""
    patterns = {key: pattern for key, _route, pattern, _namespace in matrix.walk(get_resolver())}
    keys = [
        key
        for key, answers in matrix.MATRIX.items()
        if answers["manager"] == 200
        and key.startswith(("admin:", "office:"))
        and not key.endswith(("_changelist", "_change"))
        and key not in {"admin:index", "admin:app_list", "admin:jsi18n"}
    ]
    return [reverse(key, kwargs=matrix.url_arguments(seeded, key, patterns[key])) for key in keys]


def test_each_models_last_change_reads_in_dutch(seeded, manager):
    """simple_history's page of one version (reached from the history list), for every model with a history."""
    urls = []
    for prefix, model in sorted(matrix.registered_models().items()):
        if hasattr(model, "history") and (object_id := matrix.admin_object(seeded, model)):
            version = model.history.filter(**{model._meta.pk.attname: object_id}).order_by("history_id").last()
            if version is not None:
                urls.append(reverse(f"admin:{prefix}_simple_history", args=[object_id, version.history_id]))
    found, pages = crawl(manager, urls)
    assert (found, pages >= 10) == ({}, True)


def test_the_history_of_a_candidacy_is_its_logbook(seeded, manager):
    candidacy = seeded.candidacy_a
    page = manager.get(reverse("admin:candidacies_candidacy_change", args=[candidacy.pk])).content.decode()
    links = re.findall(r'<a href="([^"]+)" class="historylink">Geschiedenis</a>', page)
    assert links == [reverse("admin:candidacies_candidacy_logbook", args=[candidacy.pk])]


def test_the_weerwoords_title_has_the_brussels_date_as_people_write_it(seeded, manager):
    weerwoord = seeded.weerwoord_a
    page = manager.get(reverse("admin:jury_weerwoord_change", args=[weerwoord.pk])).content.decode()
    title = f"Weerwoord van {weerwoord.decision.candidacy}, ingediend op 12-07-2023"
    assert (title in visible_text(page), "2023-07-12" in visible_text(page)) == (True, False)


def test_the_admins_own_pages_read_in_dutch(seeded, manager):
    found, pages = crawl(manager, custom_pages(seeded))
    assert (found, pages >= 8) == ({}, True)

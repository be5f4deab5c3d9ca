"""The permission matrix: every URL of the portal against every role, on a call with a candidacy in every status.

The URLs come from the URLconf, so a new URL without a row in MATRIX fails `test_every_url_has_a_row`. For the
Django admin, each registered model's changelist and change page has a row, and so has every other admin URL that
is not one of a model's standard pages (add, delete, history). Each URL is filled with organisation A's objects
(its candidacy, attachment, receipt, pitch slot, decision, letter, weerwoord), and asked by each role:

    200      the page
    LOGIN    a redirect to the portal's login page
    ADMIN    a redirect to the admin's login page
    MOVED    a redirect elsewhere (e.g. an applicant's candidacy after the deadline goes to its page)
    403/404  refused; 404 where the user may not even know the thing exists
    405      a POST-only URL asked with GET

While walking, every page a role may see is searched for what that role may never read: another organisation's
candidacy, a conflicted candidacy, another juror's comments.
"""

import datetime
import sys

import pytest
from axes.models import AccessFailureLog
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from candidacies.models import CandidacyVersion, GroupMail, Invitation
from challenges.models import Call
from jury import services as jury_services
from jury.models import Assignment, Conflict, JuryMember, ReminderSent, RoundClosure, Score, ScoreSheet, Unavailability
from maasland.clock import BRUSSELS
from mailtemplates.models import MailTemplate
from tests import factories
from tests.seeded import SeededCall, seed_call

from .database import differences, snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_pass]

# Ten days after the decisions were sent: every round closed, the weerwoord window of organisation A open.
MOMENT = datetime.datetime(2023, 7, 20, 10, 0, tzinfo=BRUSSELS)

ROLES = ("visitor", "applicant_a", "applicant_b", "juror", "conflicted_juror", "chair", "manager", "superuser")
LOGIN, ADMIN, MOVED = "login", "admin login", "moved"
SECOND_FACTOR = "second factor"  # a redirect to the second factor's pages (accounts/two_factor.py)


def row(visitor, applicant_a, applicant_b, juror, conflicted_juror, chair, manager, superuser):
    answers = (visitor, applicant_a, applicant_b, juror, conflicted_juror, chair, manager, superuser)
    return dict(zip(ROLES, answers, strict=True))


def everyone(answer):
    return row(*[answer] * len(ROLES))


STAFF_ONLY = row(ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, 200, 200)  # the call manager's admin pages
SUPERUSER_ONLY = row(ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, 403, 200)  # admin pages of what managers may not see
LOGGED_IN = row(LOGIN, 200, 200, 200, 200, 200, 200, 200)
ANONYMOUS = row(200, MOVED, MOVED, MOVED, MOVED, MOVED, MOVED, MOVED)
POST_ONLY = row(LOGIN, 405, 405, 405, 405, 405, 405, 405)
APPLICANT_A = row(LOGIN, 200, 404, 404, 404, 404, 404, 404)  # organisation A's own pages
APPLICANT_A_AND_STAFF = row(LOGIN, 200, 404, 404, 404, 404, 200, 200)  # its files, which call managers read too
JURY_OF_A = row(LOGIN, 404, 404, 200, 404, 200, 404, 404)  # jurors without a conflict on candidacy A
CHAIR = row(LOGIN, 404, 404, 404, 404, 200, 404, 404)
RANKING = row(LOGIN, 404, 404, 404, 404, 200, 200, 200)

# fmt: off
MATRIX = {
    # The site
    "healthz":                                   everyone(200),
    "robots_txt":                                everyone(200),
    "set_language":                              everyone(MOVED),
    "privacy":                                   everyone(200),
    "accessibility":                             everyone(200),
    # The public call (challenges)
    "challenges:call_list":                      everyone(200),
    "challenges:call_detail":                    everyone(200),
    "challenges:challenge_detail":               everyone(200),
    "challenges:persona_detail":                 everyone(200),
    # Accounts
    "accounts:login":                            ANONYMOUS,
    "accounts:logout":                           everyone(405),
    "accounts:signup":                           ANONYMOUS,
    "accounts:signup_done":                      everyone(200),
    "accounts:confirm":                          everyone(400),
    "accounts:password_reset":                   everyone(200),
    "accounts:password_reset_done":              everyone(200),
    "accounts:password_reset_confirm":           everyone(200),
    "accounts:invitation_password":              everyone(200),
    "accounts:password_reset_complete":          everyone(200),
    "accounts:my_data":                          LOGGED_IN,
    "accounts:my_data_download":                 LOGGED_IN,
    # The second factor: staff passed it (their force_login, tests/conftest.py); the others have none: set it up
    "accounts:two_factor_verify":                row(LOGIN, *[SECOND_FACTOR] * 5, MOVED, MOVED),
    "accounts:two_factor_setup":                 LOGGED_IN,
    "accounts:two_factor_codes":                 LOGGED_IN,
    "accounts:two_factor_turn_off":              POST_ONLY,
    # Organisations and candidacies (the applicant's side)
    "candidacies:organisation_create":           LOGGED_IN,
    "candidacies:organisation_detail":           APPLICANT_A,
    "candidacies:organisation_update":           APPLICANT_A,
    "candidacies:invitation_create":             APPLICANT_A,
    "candidacies:invitation_accept":             row(LOGIN, MOVED, 403, 403, 403, 403, 403, 403),
    "candidacies:candidacy_list":                LOGGED_IN,
    "candidacies:candidacy_create":              row(LOGIN, MOVED, MOVED, MOVED, MOVED, MOVED, MOVED, MOVED),
    "candidacies:candidacy_detail":              APPLICANT_A,
    "candidacies:candidacy_update":              row(LOGIN, MOVED, 404, 404, 404, 404, 404, 404),
    "candidacies:candidacy_withdraw":            POST_ONLY,
    "candidacies:attachment_download":           APPLICANT_A_AND_STAFF,
    "candidacies:receipt_download":              APPLICANT_A_AND_STAFF,
    "candidacies:candidacy_check":               row(LOGIN, MOVED, 404, 404, 404, 404, 404, 404),
    "candidacies:version_detail":                APPLICANT_A,
    # Pitches, decisions and the weerwoord (the applicant's side)
    "jury:pitch":                                APPLICANT_A,
    "jury:pitch_ics":                            APPLICANT_A,
    "jury:pitch_unavailability_remove":          POST_ONLY,
    "jury:weerwoord":                            APPLICANT_A,
    "jury:weerwoord_attachment":                 APPLICANT_A_AND_STAFF,
    "jury:letter_download":                      APPLICANT_A_AND_STAFF,
    # The jury
    "jury:dashboard":                            row(LOGIN, 404, 404, 200, 200, 200, 404, 404),
    "jury:candidacy":                            JURY_OF_A,
    "jury:conflict":                             POST_ONLY,
    "jury:conflict_withdraw":                    POST_ONLY,
    "jury:attachment":                           JURY_OF_A,
    "jury:score_sheet":                          JURY_OF_A,
    "jury:rounds":                               CHAIR,
    "jury:close_round":                          POST_ONLY,
    "jury:reopen_sheet":                         POST_ONLY,
    "jury:decisions":                            CHAIR,
    "jury:weerwoord_assessments":                CHAIR,
    "jury:ranking":                              RANKING,
    "jury:ranking_csv":                          RANKING,
    "jury:ranking_shortlist":                    POST_ONLY,
    "jury:decision_report":                      RANKING,
    "jury:pitch_days":                           row(LOGIN, 404, 404, 200, 200, 200, 404, 404),
    "jury:calendar_feed_renew":                  POST_ONLY,
    # The secret link is the key (a calendar app cannot log in): whoever holds it reads that juror's calendar.
    "jury:calendar_feed":                        everyone(200),
    "office_portal:coverage":                    RANKING,
    "office_portal:coverage_csv":                RANKING,
    # The call manager's pages beside the admin
    "office:coverage":                           STAFF_ONLY,
    "office:coverage_csv":                       STAFF_ONLY,
    "office:exports":                            STAFF_ONLY,
    "office:export_calendar":                    STAFF_ONLY,
    "office:export_download":                    STAFF_ONLY,
    "office:logbook":                            STAFF_ONLY,
    # The admin site
    "admin:index":                               STAFF_ONLY,
    "admin:login":                               row(200, 200, 200, 200, 200, 200, MOVED, MOVED),
    "admin:logout":                              row(MOVED, MOVED, MOVED, MOVED, MOVED, MOVED, 405, 405),
    "admin:password_change":                     STAFF_ONLY,
    "admin:password_change_done":                STAFF_ONLY,
    "admin:autocomplete":                        row(ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, 403, 403),
    "admin:jsi18n":                              STAFF_ONLY,
    "admin:view_on_site":                        row(ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, MOVED, MOVED),
    "admin:app_list":                            STAFF_ONLY,
    "admin:(?P<url>.*)$":                        row(ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, 404, 404),
    # The admin, per model: its list and organisation A's row (or the first)
    "admin:auth_group_changelist":               SUPERUSER_ONLY,
    "admin:auth_group_change":                   SUPERUSER_ONLY,
    "admin:axes_accessattempt_changelist":       SUPERUSER_ONLY,
    "admin:axes_accessattempt_change":           SUPERUSER_ONLY,
    "admin:axes_accesslog_changelist":           SUPERUSER_ONLY,
    "admin:axes_accesslog_change":               SUPERUSER_ONLY,
    "admin:axes_accessfailurelog_changelist":    SUPERUSER_ONLY,
    "admin:axes_accessfailurelog_change":        SUPERUSER_ONLY,
    "admin:accounts_user_changelist":            SUPERUSER_ONLY,
    "admin:accounts_user_change":                SUPERUSER_ONLY,
    "admin:auth_user_password_change":           SUPERUSER_ONLY,
    "admin:challenges_region_changelist":        STAFF_ONLY,
    "admin:challenges_region_change":            STAFF_ONLY,
    "admin:challenges_municipality_changelist":  STAFF_ONLY,
    "admin:challenges_municipality_change":      STAFF_ONLY,
    "admin:challenges_call_changelist":          STAFF_ONLY,
    "admin:challenges_call_change":              STAFF_ONLY,
    "admin:challenges_persona_changelist":       STAFF_ONLY,
    "admin:challenges_persona_change":           STAFF_ONLY,
    "admin:challenges_challenge_changelist":     STAFF_ONLY,
    "admin:challenges_challenge_change":         STAFF_ONLY,
    "admin:challenges_servicetype_changelist":   STAFF_ONLY,
    "admin:challenges_servicetype_change":       STAFF_ONLY,
    "admin:challenges_pitchday_changelist":      STAFF_ONLY,
    "admin:challenges_pitchday_change":          STAFF_ONLY,
    "admin:challenges_callnote_changelist":      STAFF_ONLY,
    "admin:challenges_callnote_change":          STAFF_ONLY,
    "admin:challenges_servicetypepoint_changelist": STAFF_ONLY,
    "admin:challenges_servicetypepoint_change":  STAFF_ONLY,
    "admin:candidacies_organisation_changelist": STAFF_ONLY,
    "admin:candidacies_organisation_change":     STAFF_ONLY,
    "admin:candidacies_invitation_changelist":   STAFF_ONLY,
    "admin:candidacies_invitation_change":       STAFF_ONLY,
    "admin:candidacies_candidacy_changelist":    STAFF_ONLY,
    "admin:candidacies_candidacy_logbook":       STAFF_ONLY,
    "admin:candidacies_candidacy_change":        STAFF_ONLY,
    "admin:candidacies_attachment_changelist":   STAFF_ONLY,
    "admin:candidacies_attachment_change":       STAFF_ONLY,
    "admin:candidacies_candidacyversion_changelist": STAFF_ONLY,
    "admin:candidacies_candidacyversion_change": STAFF_ONLY,
    "admin:candidacies_groupmail_changelist":    STAFF_ONLY,
    "admin:candidacies_groupmail_change":        STAFF_ONLY,
    "admin:jury_jurymember_changelist":          STAFF_ONLY,
    "admin:jury_jurymember_change":              STAFF_ONLY,
    "admin:jury_conflict_changelist":            STAFF_ONLY,
    "admin:jury_conflict_change":                STAFF_ONLY,
    "admin:jury_assignment_changelist":          STAFF_ONLY,
    "admin:jury_assignment_change":              STAFF_ONLY,
    "admin:jury_criterion_changelist":           STAFF_ONLY,
    "admin:jury_criterion_change":               STAFF_ONLY,
    "admin:jury_scoresheet_changelist":          STAFF_ONLY,
    "admin:jury_scoresheet_change":              STAFF_ONLY,
    "admin:jury_roundclosure_changelist":        STAFF_ONLY,
    "admin:jury_roundclosure_change":            STAFF_ONLY,
    "admin:jury_pitchslot_changelist":           STAFF_ONLY,
    "admin:jury_pitchslot_change":               STAFF_ONLY,
    "admin:jury_pitchslot_generate":             STAFF_ONLY,
    "admin:jury_pitchslot_plan":                 STAFF_ONLY,
    "admin:jury_pitchslot_days":                 STAFF_ONLY,
    "admin:jury_unavailability_changelist":      STAFF_ONLY,
    "admin:jury_unavailability_change":          STAFF_ONLY,
    "admin:jury_decision_changelist":            STAFF_ONLY,
    "admin:jury_decision_change":                STAFF_ONLY,
    "admin:jury_decision_preview":               STAFF_ONLY,
    "admin:jury_decisionletter_changelist":      STAFF_ONLY,
    "admin:jury_decisionletter_change":          STAFF_ONLY,
    "admin:jury_weerwoord_changelist":           STAFF_ONLY,
    "admin:jury_weerwoord_change":               STAFF_ONLY,
    "admin:jury_weerwoord_assess":               STAFF_ONLY,
    # Before a founded assessment the revision page sends staff back to the weerwoord, with the refusal.
    "admin:jury_weerwoord_revise":               row(ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, MOVED, MOVED),
    "admin:jury_remindersent_changelist":        STAFF_ONLY,
    "admin:jury_remindersent_change":            STAFF_ONLY,
    "admin:jury_score_changelist":               STAFF_ONLY,
    "admin:jury_score_change":                   STAFF_ONLY,
    "admin:mailtemplates_mailtemplate_changelist": STAFF_ONLY,
    "admin:mailtemplates_mailtemplate_change":   STAFF_ONLY,
    "admin:mailtemplates_mailtemplate_preview":  STAFF_ONLY,
}
# fmt: on

# The admin's standard pages of a registered model, answered by the same permission checks as its change page.
STANDARD_MODEL_PAGES = ("add", "delete", "history", "simple_history")


# The URLconf


def walk(resolver, route="", namespace=""):
    """(key, route, pattern, namespace) for every URL pattern; the key is the route name, or the route if unnamed."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            yield from walk(pattern, route + str(pattern.pattern), inner or namespace)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or route + str(pattern.pattern)
            if namespace == "admin" and not pattern.name:
                name = str(pattern.pattern)
            yield (f"{namespace}:{name}" if namespace else name), route + str(pattern.pattern), pattern, namespace


def registered_models():
    return {f"{model._meta.app_label}_{model._meta.model_name}": model for model in admin.site._registry}


def is_standard_model_page(key):
    """An admin page of a registered model that is not its changelist or change page (add, delete, history), or
    the redirect from `<id>/` to its change page."""
    name = key.removeprefix("admin:")
    models = registered_models()
    if name == "<path:object_id>/":
        return True
    return any(name == f"{prefix}_{page}" for prefix in models for page in STANDARD_MODEL_PAGES)


def urlconf_keys():
    keys = set()
    for key, _route, _pattern, namespace in walk(get_resolver()):
        if namespace == "admin" and is_standard_model_page(key):
            continue
        keys.add(key)
    return keys


def test_every_url_has_a_row_and_every_row_a_url():
    keys = urlconf_keys()
    for prefix in registered_models():
        keys |= {f"admin:{prefix}_changelist", f"admin:{prefix}_change"}
    assert {"missing rows": sorted(keys - MATRIX.keys()), "rows without a URL": sorted(MATRIX.keys() - keys)} == {
        "missing rows": [],
        "rows without a URL": [],
    }


def test_every_row_answers_every_role():
    assert [key for key, answers in MATRIX.items() if tuple(answers) != ROLES] == []


# The seeded call, built once for the module


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The seeded call (tests/seeded.py) plus what it lacks for the matrix: an open invitation of organisation A,
    an unavailability, a weerwoord attachment, and comments only their juror may read."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"), PASSWORD_HASHERS=hashers):
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                call_command("loaddata", "maasland", verbosity=0)
                seeded = seed_call(Call.objects.get(slug="maasland-2023"))
                extend(seeded)
            except BaseException:
                atomic.__exit__(*sys.exc_info())
                raise
        yield seeded
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


SECRET_COMMENT = "Geheime opmerking van Jan Jurylid"


def extend(seeded: SeededCall):
    candidacy = seeded.candidacy_a
    seeded.invitation_a = Invitation.objects.create(
        organisation=seeded.organisation_a, email="nieuwe.collega@example.org", invited_by=seeded.applicant_a
    )
    day = datetime.datetime(2023, 6, 21, 0, 0, tzinfo=BRUSSELS)
    seeded.unavailability_a = Unavailability.objects.create(
        candidacy=candidacy, starts_at=day, ends_at=day + datetime.timedelta(days=1)
    )
    weerwoord = seeded.weerwoord_a
    weerwoord.attachment.save("weerwoord.pdf", ContentFile(factories.pdf_file().read()), save=False)
    weerwoord.attachment_name, weerwoord.attachment_kind = "weerwoord.pdf", "pdf"
    weerwoord.save()
    Score.objects.filter(sheet__jury_member=seeded.juror).update(comment=SECRET_COMMENT)
    # A text the call manager may change (the mails with a login link or a token are a superuser's alone).
    MailTemplate.objects.create(call=seeded.call, kind="receipt", subject="Onderwerp", body="Tekst")
    ReminderSent.objects.create(
        message_id="<herinnering-1@example.org>", call=seeded.call, recipient=seeded.manager.email, sent_at=MOMENT
    )
    GroupMail.objects.create(
        token="1" * 32, call=seeded.call, subject="Herinnering", body="Dag", sent_by=seeded.manager, sent_at=MOMENT
    )
    # A failed login leaves an attempt and a failure in the login-throttling log.
    Client().post(reverse("accounts:login"), {"username": seeded.applicant_b.email, "password": "fout"})
    AccessFailureLog.objects.get_or_create(
        username=seeded.applicant_b.email, defaults={"user_agent": "test", "http_accept": "*/*", "path_info": "/"}
    )
    # An assignment of the juror to organisation A's candidacy (the call itself lets every juror score everything).
    seeded.assignment_a = Assignment.objects.create(
        jury_member=seeded.juror, candidacy=candidacy, created_by=seeded.manager, created_at=MOMENT
    )
    # The conflicted juror's calendar link: the matrix opens it for every role.
    seeded.feed = jury_services.renew_calendar_feed(seeded.conflicted_juror.user, at=MOMENT)
    # A juror who joined late and submitted nothing: other jurors' scores stay hidden from them.
    seeded.newcomer = JuryMember.objects.create(
        call=seeded.call, user=factories.user("laat@example.org", full_name="Lena Laatkomer")
    )


@pytest.fixture
def private_media():
    """The files of the seeded call stay where the module fixture stored them (its MEDIA_ROOT)."""


@pytest.fixture
def users(world):
    return {
        "visitor": None,
        "applicant_a": world.applicant_a,
        "applicant_b": world.applicant_b,
        "juror": world.juror.user,
        "conflicted_juror": world.conflicted_juror.user,
        "chair": world.chair.user,
        "manager": world.manager,
        "superuser": world.superuser,
    }


def client_for(user):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


# Filling the URLs with organisation A's objects


def admin_object(world, model):
    """Organisation A's row where the model has one, else the first row."""
    objects = {
        "candidacies.Candidacy": world.candidacy_a,
        "candidacies.Organisation": world.organisation_a,
        "candidacies.Attachment": world.attachment_a,
        "candidacies.CandidacyVersion": CandidacyVersion.objects.filter(candidacy=world.candidacy_a).first(),
        "candidacies.Invitation": world.invitation_a,
        "jury.JuryMember": world.juror,
        "jury.Conflict": Conflict.objects.filter(candidacy=world.candidacy_a).first(),
        "jury.Assignment": world.assignment_a,
        "jury.ScoreSheet": ScoreSheet.objects.filter(candidacy=world.candidacy_a, jury_member=world.juror).first(),
        "jury.RoundClosure": RoundClosure.objects.filter(call=world.call).first(),
        "jury.PitchSlot": world.slot_a,
        "jury.Unavailability": world.unavailability_a,
        "jury.Decision": world.decision_a,
        "jury.DecisionLetter": world.letter_a,
        "jury.Weerwoord": world.weerwoord_a,
        "jury.Score": Score.objects.filter(sheet__candidacy=world.candidacy_a, sheet__jury_member=world.juror).first(),
        "accounts.User": world.applicant_a,
    }
    found = objects.get(model._meta.label) or model._base_manager.order_by("pk").first()
    return found.pk if found is not None else 0


def url_arguments(world, key, pattern):
    """The URL's arguments, from organisation A's objects."""
    call, candidacy = world.call, world.candidacy_a
    by_key = {
        "challenges:call_detail": {"slug": call.slug},
        "challenges:challenge_detail": {"call_slug": call.slug, "number": 1},
        "challenges:persona_detail": {"call_slug": call.slug, "slug": call.personas.order_by("position").first().slug},
        "accounts:confirm": {"uidb64": "MTIz", "token": "bad-token"},
        "accounts:password_reset_confirm": {"uidb64": "MTIz", "token": "bad-token"},
        "accounts:invitation_password": {"uidb64": "MTIz", "token": "bad-token"},
        "candidacies:invitation_accept": {"token": world.invitation_a.token},
        "candidacies:organisation_detail": {"pk": world.organisation_a.pk},
        "candidacies:organisation_update": {"pk": world.organisation_a.pk},
        "candidacies:invitation_create": {"pk": world.organisation_a.pk},
        "candidacies:receipt_download": {"pk": candidacy.pk, "number": 1},
        "candidacies:version_detail": {"pk": candidacy.pk, "number": 1},
        "jury:letter_download": {"pk": candidacy.pk, "number": world.letter_a.number},
        "jury:close_round": {"call_slug": call.slug, "round": "written"},
        "jury:reopen_sheet": {
            "pk": candidacy.pk,
            "round": "written",
            "sheet_pk": Score.objects.filter(sheet__candidacy=candidacy, sheet__jury_member=world.juror)
            .first()
            .sheet_id,
        },
        "office:export_download": {"call_id": call.pk, "what": "scores", "file_format": "csv"},
        "jury:calendar_feed": {"feed_id": world.feed.pk, "token": world.feed.token},
        "admin:view_on_site": {"content_type_id": _content_type(candidacy).pk, "object_id": candidacy.pk},
        "admin:app_list": {"app_label": "candidacies"},
        "admin:auth_user_password_change": {"id": world.applicant_a.pk},
        "admin:(?P<url>.*)$": {"url": "niet-bestaand/"},
    }
    if key in by_key:
        return by_key[key]
    prefix = key.removeprefix("admin:").rsplit("_", 1)[0]
    if key.startswith("admin:") and prefix in registered_models():
        return (
            {"object_id": admin_object(world, registered_models()[prefix])}
            if "object_id" in route_names(pattern)
            else {}
        )
    by_name = {
        "pk": candidacy.pk,
        "attachment_pk": world.attachment_a.pk,
        "unavailability_pk": world.unavailability_a.pk,
        "call_slug": call.slug,
        "call_id": call.pk,
        "round": "written",
    }
    return {name: by_name[name] for name in route_names(pattern)}


def route_names(pattern):
    """The names of the URL's arguments."""
    return list(dict.fromkeys([*getattr(pattern.pattern, "converters", {}), *pattern.pattern.regex.groupindex]))


def _content_type(instance):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(instance)


def matrix_urls(world):
    patterns = {key: pattern for key, _route, pattern, _namespace in walk(get_resolver())}
    urls = {}
    for key in MATRIX:
        name = key
        if key == "admin:(?P<url>.*)$":
            urls[key] = "/admin/niet-bestaand/"
            continue
        urls[key] = reverse(name, kwargs=url_arguments(world, key, patterns[key]))
    return urls


SECOND_FACTOR_PAGES = reverse("accounts:two_factor_verify").rsplit("/", 2)[0] + "/"


def answer(response):
    if response.status_code in (301, 302, 303):
        location = response["Location"]
        if location.startswith(SECOND_FACTOR_PAGES):
            return SECOND_FACTOR
        if location.startswith(reverse("accounts:login") + "?") or location == reverse("accounts:login"):
            return LOGIN
        if location.startswith(reverse("admin:login")):
            return ADMIN
        return MOVED
    return response.status_code


# What each role may never read


def forbidden_texts(world, role):
    """Titles of candidacies the role may not know of, and comments it may not read yet."""
    titles = {status: candidacy.title for status, candidacy in world.candidacies.items()}
    not_for_the_jury = [titles["draft"], titles["withdrawn"]]
    others = {
        "applicant_a": [*(title for status, title in titles.items() if status != "not_selected"), SECRET_COMMENT],
        "applicant_b": [*(title for status, title in titles.items() if status != "selected"), SECRET_COMMENT],
        "juror": not_for_the_jury,
        "conflicted_juror": [*not_for_the_jury, titles["not_selected"], SECRET_COMMENT],
        "chair": [titles["draft"]],
        "visitor": [*titles.values(), SECRET_COMMENT],
    }
    return others.get(role, [])


# Pages whose secret link is the key: what they show is their owner's, whoever follows the link (checked below).
SECRET_LINKS = {"jury:calendar_feed"}


def read(response):
    """The body; reading a file response to its end also closes it (the test client closes it then)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# The public pages a visitor reads: shared caches may keep them.
PUBLIC_PAGES = {key for key in MATRIX if key.split(":")[0] == "challenges"} | {"privacy", "accessibility", "robots_txt"}


def caching_mistake(role, key, response):
    """What is wrong with the response's Cache-Control: everything a logged-in person is answered (a page, a file, a
    refusal, a redirect) is kept by no cache; a public page answered to a visitor may be."""
    cache_control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    if role != "visitor" and not {"no-store", "private"} <= cache_control:
        return f"Cache-Control {response.get('Cache-Control')!r}, without no-store and private"
    if role == "visitor" and key in PUBLIC_PAGES and cache_control & {"no-store", "private"}:
        return f"Cache-Control {response.get('Cache-Control')!r} on a public page"
    return None


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_the_matrix_says(role, world, users, time_machine):
    time_machine.move_to(MOMENT, tick=False)
    client = client_for(users[role])
    forbidden = forbidden_texts(world, role)
    wrong, leaks, cached = [], [], []
    for key, url in matrix_urls(world).items():
        response = client.get(url)
        body = read(response).decode(errors="replace")
        got, expected = answer(response), MATRIX[key][role]
        if got != expected:
            wrong.append(f"{key:<48} {url:<60} expected {expected!s:<12} got {got}")
        if response.status_code == 200 and key not in SECRET_LINKS:
            leaks += [f"{key:<48} {url:<60} shows {text!r}" for text in forbidden if text in body]
        if mistake := caching_mistake(role, key, response):
            cached.append(f"{key:<48} {url:<60} {mistake}")
    assert (wrong, leaks, cached) == ([], [], []), (
        f"\n{role}: {len(wrong)} answers differ from the matrix:\n"
        + "\n".join(wrong + ["leaks:"] + leaks + ["cacheable:"] + cached)
    )


# Changes by the wrong role: refused, and nothing changes

# fmt: off
WRONG_ROLE_POSTS = [
    ("applicant_b",      "candidacies:candidacy_withdraw",       {"confirm": "yes"},                         404),
    ("applicant_b",      "candidacies:candidacy_update",         {"title": "Overgenomen", "draft": "1"},     404),
    ("applicant_b",      "candidacies:organisation_update",      {"name": "Overgenomen vzw"},                404),
    ("applicant_b",      "candidacies:invitation_create",        {"email": "indringer@example.org"},         404),
    ("applicant_b",      "jury:weerwoord",                       {"text": "Namens A, maar van B."},          404),
    ("applicant_b",      "jury:pitch_unavailability_remove",     {},                                         404),
    ("manager",          "candidacies:candidacy_withdraw",       {"confirm": "yes"},                         404),
    ("juror",            "jury:decisions",                       {"candidacy": "B", "outcome": "selected"},  404),
    ("juror",            "jury:weerwoord_assessments",           {"weerwoord": "W"},                         404),
    ("manager",          "jury:weerwoord_assessments",           {"weerwoord": "W"},                         404),
    ("applicant_a",      "admin:candidacies_candidacy_changelist", {"action": "send_group_mail", "_selected_action": "A", "group_mail_send": "1", "subject": "Hallo", "body": "Hallo {{ titel }}", "token": "0" * 32}, ADMIN),  # noqa: E501
    ("juror",            "jury:close_round",                     {"written-confirm": "on"},                  404),
    ("juror",            "jury:ranking_shortlist",               {"candidacy": "A"},                         404),
    ("chair",            "jury:ranking_shortlist",               {"candidacy": "A"},                         404),
    ("conflicted_juror", "jury:score_sheet",                     {"overall_comment": "Toch", "draft": "1"},  404),
    ("conflicted_juror", "jury:conflict",                        {"reason": "Nog eens", "confirm": "on"},    404),
    ("juror",            "jury:conflict_withdraw",               {},                                         404),
    ("chair",            "jury:conflict_withdraw",               {},                                         404),
    ("conflicted_juror", "jury:conflict_withdraw",               {},                                         MOVED),
    ("applicant_a",      "jury:calendar_feed_renew",             {},                                         404),
    ("applicant_a",      "admin:candidacies_candidacy_change",   {"title": "Via de admin"},                  ADMIN),
    ("manager",          "admin:accounts_user_change",           {"email": "gekaapt@example.org"},           403),
]
# fmt: on


@pytest.mark.parametrize(("role", "key", "data", "expected"), WRONG_ROLE_POSTS)
def test_a_change_by_the_wrong_role_is_refused_and_changes_nothing(
    role, key, data, expected, world, users, time_machine
):
    time_machine.move_to(MOMENT, tick=False)
    patterns = {found: pattern for found, _route, pattern, _namespace in walk(get_resolver())}
    url = reverse(key, kwargs=url_arguments(world, key, patterns[key]))
    references = {"A": str(world.candidacy_a.pk), "B": str(world.candidacy_b.pk), "W": str(world.weerwoord_a.pk)}
    data = {name: references.get(value, value) for name, value in data.items()}
    client = client_for(users[role])  # logging in sets last_login: before the snapshot
    before = snapshot()
    response = client.post(url, data)
    assert (answer(response), differences(before, snapshot())) == (expected, [])


def test_a_juror_who_has_not_submitted_sees_no_other_jurors_scores(world, time_machine):
    time_machine.move_to(MOMENT, tick=False)
    url = reverse("jury:score_sheet", kwargs={"pk": world.candidacy_b.pk, "round": "written"})
    newcomer = client_for(world.newcomer.user).get(url).content.decode()
    chair = client_for(world.chair.user).get(url).content.decode()
    assert [SECRET_COMMENT in newcomer, world.juror.user.full_name in newcomer] == [False, False]
    assert [SECRET_COMMENT in chair, world.juror.user.full_name in chair] == [True, True]


# The second factor (accounts/two_factor.py)

# What a session that has not passed the second factor still opens: logging out, the language, the health check
# and the second factor's own pages.
OPEN_BEFORE_THE_SECOND_FACTOR = {
    "healthz",
    "set_language",
    "accounts:logout",
    "admin:logout",
    "accounts:two_factor_verify",
    "accounts:two_factor_setup",
    "accounts:two_factor_codes",
    "accounts:two_factor_turn_off",
}


@pytest.mark.second_factor
@pytest.mark.parametrize("role", ["manager", "superuser"])
def test_staff_who_did_not_pass_the_second_factor_open_no_url_but_its_own(role, world, users, time_machine):
    time_machine.move_to(MOMENT, tick=False)
    client = client_for(users[role])
    answers = {key: answer(client.get(url)) for key, url in matrix_urls(world).items()}
    assert {key: got for key, got in answers.items() if key not in OPEN_BEFORE_THE_SECOND_FACTOR} == dict.fromkeys(
        MATRIX.keys() - OPEN_BEFORE_THE_SECOND_FACTOR, SECOND_FACTOR
    )
    # The code page of a user without an authenticator leads to setting one up; the other open pages stay put.
    assert answers["accounts:two_factor_verify"] == SECOND_FACTOR
    assert [key for key in OPEN_BEFORE_THE_SECOND_FACTOR if answers[key] == SECOND_FACTOR] == [
        "accounts:two_factor_verify"
    ]


@pytest.mark.second_factor
@pytest.mark.parametrize("role", ["juror", "conflicted_juror", "chair"])
def test_a_jury_that_must_pass_the_second_factor_opens_none_of_its_pages_before(role, world, users, time_machine):
    """Every jury page the matrix opens to the role sends it to the second factor once the call asks for it; what
    the role may not see stays refused as before, so nobody learns more."""
    time_machine.move_to(MOMENT, tick=False)
    Call.objects.filter(pk=world.call.pk).update(jury_requires_two_factor=True)
    client = client_for(users[role])
    # The calendar feed is read by a calendar app with its secret link, not in a session: no second factor there.
    jury_pages = [
        key
        for key in MATRIX
        if key.startswith(("jury:", "office_portal:")) and MATRIX[key][role] == 200 and key != "jury:calendar_feed"
    ]
    expected = {key: SECOND_FACTOR if key in jury_pages else MATRIX[key][role] for key in MATRIX}
    got = {key: answer(client.get(url)) for key, url in matrix_urls(world).items()}
    assert {key: answer for key, answer in got.items() if answer != expected[key]} == {}
    assert jury_pages != []


def test_a_jurors_calendar_shows_nothing_of_their_conflicts_and_a_wrong_token_opens_nothing(world, users, time_machine):
    time_machine.move_to(MOMENT, tick=False)
    feed = world.feed
    calendar = Client().get(reverse("jury:calendar_feed", kwargs={"feed_id": feed.pk, "token": feed.token}))
    wrong = reverse("jury:calendar_feed", kwargs={"feed_id": feed.pk, "token": feed.token[:-1] + "x"})
    body = calendar.content.decode()
    assert (calendar.status_code, "BEGIN:VEVENT" in body) == (200, True)
    assert [text for text in forbidden_texts(world, "conflicted_juror") if text in body] == []
    assert [client_for(users[role]).get(wrong).status_code for role in ROLES] == [404] * len(ROLES)

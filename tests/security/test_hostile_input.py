"""Hostile input on every form of the portal: random and hostile values (very long strings, Unicode edge cases,
HTML and script, SQL fragments, numbers at the limits, missing and duplicated fields) never give a 500, a refusal
comes back as a form with its errors, nothing is stored where the input was refused, and no page shows the input as
raw HTML.

Hypothesis runs with a fixed seed and a bounded number of examples; each example runs in a savepoint that is
rolled back, so every example starts from the same data. In CI it runs in the PostgreSQL pass (`postgres_pass`):
PostgreSQL refuses what SQLite takes (a NUL byte in a text), so it is the stricter of the two.
"""

import datetime
import io
import zipfile

import pytest
from django import forms
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.tokens import email_confirmation_token, invitation_token
from candidacies import services as candidacy_services
from candidacies.models import Attachment
from jury import communication, services
from jury.models import Criterion, JuryMember
from maasland.clock import BRUSSELS
from tests import factories

from .database import differences, rolled_back, snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_pass]

DURING_INTAKE = datetime.datetime(2023, 5, 31, 12, 0, tzinfo=BRUSSELS)
WRITTEN_ROUND = datetime.datetime(2023, 6, 7, 10, 0, tzinfo=BRUSSELS)
DELIBERATION = datetime.datetime(2023, 6, 26, 14, 0, tzinfo=BRUSSELS)
SENDING = datetime.datetime(2023, 7, 14, 10, 30, tzinfo=BRUSSELS)
WEERWOORD_WINDOW = SENDING + datetime.timedelta(days=1)

# Bounded for CI: 10 examples per portal form, 8 per admin form, always the same ones (derandomize).
hostile = settings(
    max_examples=10,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# A page that shows one of these raw (not escaped) would run the input as HTML.
MARKERS = ('<script>alert("xss")</script>', '"><img src=x data-xss=1>', "<b data-xss>vet</b>")
SPECIAL = (
    "",
    " ",
    "\x00",
    "Buddy\x00werk",
    "\u202eevil\u202c",
    "\u200f\u200e",
    "\ufeff",
    "z\u0337\u0322a\u0338l\u0337g\u0335o",
    "\U0001d518\U0001d52b\U0001d526 😀 👩🏽‍🔧",
    "\r\n\t\x0b\x0c",
    "' OR '1'='1' --",
    "1; DROP TABLE candidacies_candidacy; --",
    '"; SELECT pg_sleep(0); --',
    "%s%s%n%x",
    "{{ 7|add:7 }}{% debug %}",
    "1e309",
    "-1e309",
    "-0",
    "99999999999999999999",
    "-99999999999999999999",
    "9223372036854775808",
    "2147483648",
    "NaN",
    "Infinity",
    "-1",
    "0",
    "0x1F",
    "1,5",
    "²",
    "١٢٣",
    "12.345.678,90",
    "../../etc/passwd",
    "javascript:alert(1)",
    "@",
    "a@b",
    "an@example.org\nBcc: all@example.org",
    "x" * 10_000,
    "é" * 1001,
    "a" * 300 + "@example.org",
    *MARKERS,
)


class Missing:
    """A field the post leaves out."""


MISSING = Missing()

text_values = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=80),
    st.builds(str.__add__, st.text(max_size=8), st.sampled_from(MARKERS)),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.floats().map(repr),
)
field_values = st.one_of(text_values, st.just(MISSING), st.lists(text_values, min_size=2, max_size=3))


@st.composite
def posts(draw, valid):
    """A post that is valid except for a few fields (so valid paths store hostile text too), or hostile in all."""
    names = sorted(valid)
    if draw(st.integers(min_value=0, max_value=4)) == 0:
        chosen = names
    else:
        chosen = sorted(draw(st.sets(st.sampled_from(names), min_size=1, max_size=min(3, len(names)))))
    data = dict(valid)
    for name in chosen:
        value = draw(field_values)
        if value is MISSING:
            del data[name]
        else:
            data[name] = value
    return data


# Helpers


def form_errors(response):
    """The errors of the forms and formsets the page was rendered with."""
    found = []
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else context.values():
            form = getattr(value, "form", value)  # the admin wraps its form in an AdminForm
            if isinstance(form, forms.BaseForm) and form.is_bound and form.errors:
                found.append(form.errors)
            if isinstance(value, forms.BaseFormSet) and value.is_bound and not value.is_valid():
                found.append(value.errors or value.non_form_errors())
    return found


def assert_no_raw_markers(response, where):
    content = response.content.decode(errors="replace")
    for marker in MARKERS:
        assert marker not in content, f"{where} shows {marker!r} as raw HTML"


def post_and_check(client, url, data, *, pages=(), refusals=()):
    """Posts `data`; a redirect is success (then every page in `pages` is read back), anything else must be a form
    error (or one of `refusals`) with nothing stored."""
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code < 500
    assert_no_raw_markers(response, url)
    if response.status_code in (301, 302, 303):
        for page_client, page_url in pages:
            page = page_client.get(page_url() if callable(page_url) else page_url)
            assert page.status_code == 200, page_url
            assert_no_raw_markers(page, page_url)
        return True
    assert differences(before, snapshot()) == []
    if response.status_code not in refusals:
        assert response.status_code in (200, 400, 409), response.status_code
        assert form_errors(response) != [], f"{url} answered {response.status_code} without a form error"
    return False


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def strings(data):
    """Values as a browser sends them."""
    return {
        name: [str(item) for item in value] if isinstance(value, list) else str(value) for name, value in data.items()
    }


# The people and the things they fill in


@pytest.fixture
def superuser_client(db):
    return logged_in(factories.user("root@example.org", is_staff=True, is_superuser=True))


@pytest.fixture
def applicant(maasland_call):
    user = factories.user("aanvrager@example.org", full_name="An Aanvrager")
    factories.organisation(user, name="Buddywerk")
    return user


@pytest.fixture
def draft(applicant, maasland_call):
    return factories.candidacy(maasland_call, applicant.organisations.get(), title="Samen sterker")


def submitted(call, name):
    return factories.submitted_candidacy(call, name=name, at=DURING_INTAKE)


@pytest.fixture
def jury(maasland_call):
    """Two submitted candidacies, a juror and a chair."""
    candidacies = [submitted(maasland_call, name) for name in ("Taalhuis", "De Sleutel")]
    juror = JuryMember.objects.create(call=maasland_call, user=factories.user("jurylid@example.org"))
    chair = JuryMember.objects.create(
        call=maasland_call, user=factories.user("voorzitter@example.org"), role=JuryMember.Role.CHAIR
    )
    return {"candidacies": candidacies, "juror": juror, "chair": chair}


@pytest.fixture
def manager(db):
    from demo.services import ensure_call_manager_group

    user = factories.user("beheerder@example.org", is_staff=True)
    user.groups.add(ensure_call_manager_group())
    return user


# Accounts


@hostile
@given(
    data=posts(
        {
            "email": "nieuw@example.org",
            "full_name": "Nieuw Lid",
            "password1": "Lang-en-sterk-2023",
            "password2": "Lang-en-sterk-2023",
        }
    )
)
def test_signup(data, client, superuser_client):
    with rolled_back():
        post_and_check(
            client,
            reverse("accounts:signup"),
            strings(data),
            pages=[(superuser_client, reverse("admin:accounts_user_changelist"))],
        )


@hostile
@given(data=posts({"username": "aanvrager@example.org", "password": "a-Strong-passw0rd"}))
def test_login(data, applicant):
    with rolled_back():
        post_and_check(
            Client(), reverse("accounts:login"), strings(data), pages=[(Client(), reverse("challenges:call_list"))]
        )


@hostile
@given(data=posts({"email": "aanvrager@example.org"}))
def test_password_reset_request(data, client, applicant):
    with rolled_back():
        post_and_check(client, reverse("accounts:password_reset"), strings(data))


@pytest.fixture
def reset_client(applicant):
    """A visitor who opened the reset link: the set-password form is theirs to fill."""
    client = Client()
    uid = urlsafe_base64_encode(force_bytes(applicant.pk))
    token = default_token_generator.make_token(applicant)
    response = client.get(reverse("accounts:password_reset_confirm", args=[uid, token]))
    assert response.status_code == 302
    return client, response.url


@hostile
@given(data=posts({"new_password1": "Nieuw-en-sterk-2023", "new_password2": "Nieuw-en-sterk-2023"}))
def test_password_set(data, reset_client):
    client, url = reset_client
    with rolled_back():
        post_and_check(client, url, strings(data))


@pytest.fixture
def invited_client(db):
    """An appointed juror who opened the invitation's link to choose a password (accounts:invitation_password)."""
    invited = factories.user("jurylid@example.org", full_name="Nieuw Jurylid", is_active=False)
    client = Client()
    uid = urlsafe_base64_encode(force_bytes(invited.pk))
    response = client.get(reverse("accounts:invitation_password", args=[uid, invitation_token.make_token(invited)]))
    assert response.status_code == 302
    return client, response.url


@hostile
@given(data=posts({"new_password1": "Nieuw-en-sterk-2023", "new_password2": "Nieuw-en-sterk-2023"}))
def test_invitation_password(data, invited_client):
    client, url = invited_client
    with rolled_back():
        post_and_check(client, url, strings(data))


@pytest.fixture
def confirm_url(db):
    """The confirmation link of a pending sign-up, opened in a browser that did not sign up: it asks for a password."""
    pending = factories.user("nieuw@example.org", full_name="Nieuw Lid", is_active=False)
    uid = urlsafe_base64_encode(force_bytes(pending.pk))
    return reverse("accounts:confirm", args=[uid, email_confirmation_token.make_token(pending)])


@hostile
@given(data=posts({"new_password1": "Nieuw-en-sterk-2023", "new_password2": "Nieuw-en-sterk-2023"}))
def test_confirm_with_a_new_password(data, confirm_url, superuser_client):
    with rolled_back():
        post_and_check(
            Client(),
            confirm_url,
            strings(data),
            pages=[(superuser_client, reverse("admin:accounts_user_changelist"))],
        )


# The second factor (accounts/two_factor.py): the code after the password, and the first code of a new authenticator


@pytest.mark.second_factor
@hostile
@given(data=posts({"code": "000000", "next": "/jury/"}))
def test_second_factor_code(data, jury):
    user = jury["juror"].user
    factories.authenticator(user)
    client = logged_in(user)  # marked second_factor: the session has not passed it
    with rolled_back():
        post_and_check(client, reverse("accounts:two_factor_verify"), strings(data))


@pytest.mark.second_factor
@hostile
@given(data=posts({"code": "123456", "next": "/admin/"}))
def test_second_factor_setup(data, manager):
    client = logged_in(manager)
    client.get(reverse("accounts:two_factor_setup"))
    with rolled_back():
        post_and_check(client, reverse("accounts:two_factor_setup"), strings(data))
        assert TOTPDevice.objects.filter(user=manager, confirmed=True).count() == 0


# Organisations and invitations


ORGANISATION = {
    "name": "Taalhuis Maasland",
    "enterprise_number": factories.enterprise_number(999),
    "street": "Markt 1",
    "postal_code": "3680",
    "city": "Maaseik",
    "website": "https://www.example.be",
    "contact_name": "Tine Taal",
    "contact_email": "tine@example.org",
    "contact_phone": "089 56 78 90",
}


@hostile
@given(data=posts(ORGANISATION))
def test_organisation_create(data, applicant, superuser_client):
    client = logged_in(applicant)
    with rolled_back():
        post_and_check(
            client,
            reverse("candidacies:organisation_create"),
            strings(data),
            pages=[
                (client, reverse("candidacies:candidacy_list")),
                (superuser_client, reverse("admin:candidacies_organisation_changelist")),
            ],
        )


@hostile
@given(data=posts({**ORGANISATION, "enterprise_number": factories.enterprise_number(998)}))
def test_organisation_edit(data, applicant, superuser_client):
    client = logged_in(applicant)
    organisation = applicant.organisations.get()
    with rolled_back():
        post_and_check(
            client,
            reverse("candidacies:organisation_update", args=[organisation.pk]),
            strings(data),
            pages=[
                (client, reverse("candidacies:organisation_detail", args=[organisation.pk])),
                (client, reverse("candidacies:candidacy_list")),
                (superuser_client, reverse("admin:candidacies_organisation_change", args=[organisation.pk])),
            ],
        )


@hostile
@given(data=posts({"email": "collega@example.org"}))
def test_invitation(data, applicant):
    client = logged_in(applicant)
    organisation = applicant.organisations.get()
    with rolled_back():
        post_and_check(
            client,
            reverse("candidacies:invitation_create", args=[organisation.pk]),
            strings(data),
            pages=[(client, reverse("candidacies:organisation_detail", args=[organisation.pk]))],
        )


# Candidacies


@hostile
@given(data=posts({"organisation": "ORGANISATION", "title": "Samen sterker"}))
def test_candidacy_start(data, applicant, maasland_call, time_machine):
    time_machine.move_to(DURING_INTAKE, tick=False)
    client = logged_in(applicant)
    organisation = applicant.organisations.get()
    data = {name: str(organisation.pk) if value == "ORGANISATION" else value for name, value in data.items()}
    with rolled_back():
        post_and_check(
            client,
            reverse("candidacies:candidacy_create", args=[maasland_call.slug]),
            strings(data),
            pages=[(client, reverse("candidacies:candidacy_list"))],
        )


def candidacy_pages(client, superuser_client, candidacy):
    return [
        (client, reverse("candidacies:candidacy_detail", args=[candidacy.pk])),
        (client, reverse("candidacies:candidacy_update", args=[candidacy.pk])),
        (client, reverse("candidacies:candidacy_list")),
        (superuser_client, reverse("admin:candidacies_candidacy_changelist")),
        (superuser_client, reverse("admin:candidacies_candidacy_change", args=[candidacy.pk])),
    ]


@hostile
@given(intent=st.sampled_from(["draft", "submit"]), data=st.data())
def test_candidacy_form(intent, data, applicant, draft, maasland_call, superuser_client, time_machine):
    time_machine.move_to(DURING_INTAKE, tick=False)
    client = logged_in(applicant)
    valid = strings(factories.complete_form_data(maasland_call, draft))
    post = data.draw(posts({name: value for name, value in valid.items() if value != []}))
    post[intent] = "1"
    with rolled_back():
        post_and_check(
            client,
            reverse("candidacies:candidacy_update", args=[draft.pk]),
            post,
            pages=candidacy_pages(client, superuser_client, draft),
        )


FILE_BODIES = st.one_of(
    st.binary(max_size=300),
    st.sampled_from(
        [
            b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
            b"%PDF-",
            b"MZ\x90\x00\x03" + b"\x00" * 60,
            b"PK\x03\x04" + b"\x00" * 60,
            b"<html><script>alert(1)</script></html>",
            b"\x7fELF\x02\x01\x01",
            b"",
        ]
    ),
    st.sampled_from(["docx", "odt", "zip"]),
)
FILE_NAMES = st.one_of(
    st.sampled_from(
        [
            "plan.pdf",
            "plan.PDF",
            "begroting.docx",
            "plan.odt",
            "../../etc/passwd.pdf",
            "..\\..\\boot.ini.pdf",
            "evil\u202efdp.exe",
            "plan.pdf.exe",
            "plan.exe.pdf",
            '<script>alert("xss")</script>.pdf',
            "a" * 300 + ".pdf",
            ".pdf",
            "con.pdf",
            "plan\x00.pdf",
        ]
    ),
    st.builds(str.__add__, st.text(st.characters(exclude_categories=("Cs",)), max_size=40), st.just(".pdf")),
)


def archive(kind):
    """A real DOCX or ODT, or a ZIP that pretends to be a document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        if kind == "docx":
            zipped.writestr("[Content_Types].xml", "<Types/>")
            zipped.writestr("word/document.xml", "<document/>")
        elif kind == "odt":
            zipped.writestr("mimetype", "application/vnd.oasis.opendocument.text")
            zipped.writestr("content.xml", factories.ODT_CONTENT)
        else:
            zipped.writestr("payload.exe", b"MZ" + b"\x00" * 20)
    return buffer.getvalue()


@hostile
@given(body=FILE_BODIES, name=FILE_NAMES, content_type=st.sampled_from(["application/pdf", "text/html", ""]))
def test_attachment_upload(body, name, content_type, applicant, draft, maasland_call, superuser_client, time_machine):
    time_machine.move_to(DURING_INTAKE, tick=False)
    client = logged_in(applicant)
    content = archive(body) if isinstance(body, str) else body
    upload = SimpleUploadedFile(name.replace("\x00", ""), content, content_type=content_type)
    data = strings(factories.complete_form_data(maasland_call, draft))
    with rolled_back():
        before = Attachment.objects.count()
        response = client.post(
            reverse("candidacies:candidacy_update", args=[draft.pk]), {**data, "attachment": upload, "draft": "1"}
        )
        assert response.status_code in (302, 400)
        assert_no_raw_markers(response, "the candidacy form")
        stored = list(Attachment.objects.filter(candidacy=draft))
        if len(stored) == before:
            assert response.status_code == 400
            assert "attachment" in form_errors(response)[0]
        else:
            attachment = stored[-1]
            assert content.startswith(b"%PDF-") or body in ("docx", "odt")
            assert "/" not in attachment.name and "\\" not in attachment.name and "\x00" not in attachment.name
            for page_client, url in candidacy_pages(client, superuser_client, draft):
                assert_no_raw_markers(page_client.get(url), url)


# The jury


@hostile
@given(data=posts({"reason": "Ik werk er als vrijwilliger.", "confirm": "on"}))
def test_conflict_declaration(data, jury, superuser_client, time_machine):
    time_machine.move_to(WRITTEN_ROUND, tick=False)
    client = logged_in(jury["juror"].user)
    candidacy = jury["candidacies"][0]
    with rolled_back():
        post_and_check(
            client,
            reverse("jury:conflict", args=[candidacy.pk]),
            strings(data),
            pages=[
                (client, reverse("jury:dashboard")),
                (superuser_client, reverse("admin:jury_conflict_changelist")),
                (superuser_client, reverse("admin:jury_jurymember_change", args=[jury["juror"].pk])),
            ],
        )


@hostile
@given(reason=text_values, data=posts({"confirm": "on"}))
def test_conflict_withdrawal(reason, data, jury, maasland_call, superuser_client, time_machine):
    """The withdrawal posts nothing but its token; what the juror typed when declaring is shown on the jury page and,
    after the withdrawal, in the Logboek and to the chair."""
    time_machine.move_to(WRITTEN_ROUND, tick=False)
    juror, candidacy = jury["juror"], jury["candidacies"][0]
    client = logged_in(juror.user)
    with rolled_back():
        services.declare_conflict(juror, candidacy, reason=reason.replace("\x00", ""), by=juror.user, at=WRITTEN_ROUND)
        assert_no_raw_markers(client.get(reverse("jury:dashboard")), "jury:dashboard")
        assert post_and_check(
            client,
            reverse("jury:conflict_withdraw", args=[candidacy.pk]),
            strings(data),
            pages=[
                (client, reverse("jury:dashboard")),
                (logged_in(jury["chair"].user), reverse("jury:rounds", args=[maasland_call.slug])),
                (superuser_client, reverse("office:logbook", args=[maasland_call.pk])),
            ],
        )


@hostile
@given(data=posts({"confirm": "on"}))
def test_calendar_link_renewal(data, jury, maasland_call, time_machine):
    time_machine.move_to(WRITTEN_ROUND, tick=False)
    client = logged_in(jury["juror"].user)
    with rolled_back():
        assert post_and_check(
            client,
            reverse("jury:calendar_feed_renew", args=[maasland_call.slug]),
            strings(data),
            pages=[(client, reverse("jury:pitch_days", args=[maasland_call.slug]))],
        )


@hostile
@given(data=st.data())
def test_score_sheet(data, jury, maasland_call, time_machine):
    time_machine.move_to(WRITTEN_ROUND, tick=False)
    client = logged_in(jury["juror"].user)
    candidacy = jury["candidacies"][0]
    valid = {"overall_comment": "Sterk voorstel."}
    for criterion in Criterion.objects.filter(call=maasland_call, round="written"):
        valid[f"score_{criterion.pk}"] = str(criterion.scale_max)
        valid[f"comment_{criterion.pk}"] = "Goed."
    post = data.draw(posts(valid))
    post[data.draw(st.sampled_from(["draft", "submit"]))] = "1"
    url = reverse("jury:score_sheet", args=[candidacy.pk, "written"])
    with rolled_back():
        post_and_check(
            client,
            url,
            post,
            pages=[
                (client, url),
                (client, reverse("jury:dashboard")),
                (logged_in(jury["chair"].user), url),
                (logged_in(jury["chair"].user), reverse("jury:ranking", args=[maasland_call.slug, "written"])),
            ],
        )


@hostile
@given(data=st.data())
def test_decision(data, jury, maasland_call, time_machine):
    time_machine.move_to(DELIBERATION, tick=False)
    client = logged_in(jury["chair"].user)
    candidacy = jury["candidacies"][0]
    prefix = f"decision-{candidacy.pk}"
    post = data.draw(posts({f"{prefix}-outcome": "not_selected", f"{prefix}-motivation": "Te weinig bereik."}))
    post["candidacy"] = data.draw(st.one_of(st.just(str(candidacy.pk)), text_values))
    url = reverse("jury:decisions", args=[maasland_call.slug])
    with rolled_back():
        if post["candidacy"] != str(candidacy.pk):
            before = snapshot()
            assert client.post(url, strings(post)).status_code == 404  # not a candidacy on this page
            assert differences(before, snapshot()) == []
        else:
            post_and_check(client, url, strings(post), pages=[(client, url)])


@pytest.fixture
def shortlisted(jury, manager):
    return candidacy_services.shortlist(jury["candidacies"][0], by=manager, at=WRITTEN_ROUND)


@hostile
@given(
    data=posts({"day": "2023-06-19", "extent": "hours", "starts": "09:00", "ends": "12:30"}),
)
def test_pitch_unavailability(data, shortlisted, superuser_client, time_machine):
    time_machine.move_to(WRITTEN_ROUND, tick=False)
    client = logged_in(shortlisted.organisation.members.get())
    url = reverse("jury:pitch", args=[shortlisted.pk])
    with rolled_back():
        post_and_check(
            client,
            url,
            strings(data),
            pages=[(client, url), (superuser_client, reverse("admin:jury_unavailability_changelist"))],
        )


@pytest.fixture
def communicated(jury, manager, django_capture_on_commit_callbacks):
    factories.rounds_closed(jury["candidacies"][0].call, jury["chair"], at=DELIBERATION)
    decision = services.record_decision(
        jury["candidacies"][0],
        outcome="not_selected",
        motivation="Te weinig bereik.",
        by=jury["chair"].user,
        at=DELIBERATION,
    )
    with django_capture_on_commit_callbacks(execute=True):
        communication.send_decision(decision, by=manager, at=SENDING)
    decision.refresh_from_db()
    return decision


@hostile
@given(text=field_values, upload=st.one_of(st.none(), st.tuples(FILE_NAMES, FILE_BODIES)))
def test_weerwoord(text, upload, communicated, superuser_client, time_machine):
    time_machine.move_to(WEERWOORD_WINDOW, tick=False)
    candidacy = communicated.candidacy
    client = logged_in(candidacy.organisation.members.get())
    data = {} if text is MISSING else strings({"text": text})
    if upload is not None:
        name, body = upload
        data["attachment"] = SimpleUploadedFile(
            name.replace("\x00", ""), archive(body) if isinstance(body, str) else body
        )
    url = reverse("jury:weerwoord", args=[candidacy.pk])
    with rolled_back():
        post_and_check(
            client,
            url,
            data,
            pages=[
                (client, url),
                (client, reverse("candidacies:candidacy_detail", args=[candidacy.pk])),
                (superuser_client, reverse("admin:jury_weerwoord_changelist")),
            ],
        )


@pytest.fixture
def prepared(communicated, manager):
    """A weerwoord on the communicated decision, its assessment prepared by the call manager for the chair."""
    candidacy = communicated.candidacy
    weerwoord = communication.file_weerwoord(
        communicated, text="Oneens.", by=candidacy.organisation.members.get(), at=WEERWOORD_WINDOW
    )
    return communication.prepare_assessment(
        weerwoord, assessment="founded", motivation="Klopt.", by=manager, at=WEERWOORD_WINDOW
    )


@hostile
@given(data=posts({"weerwoord": "WEERWOORD"}))
def test_weerwoord_assessment_confirmation(data, prepared, jury, superuser_client, time_machine):
    time_machine.move_to(WEERWOORD_WINDOW + datetime.timedelta(hours=1), tick=False)
    client = logged_in(jury["chair"].user)
    url = reverse("jury:weerwoord_assessments", kwargs={"call_slug": prepared.decision.candidacy.call.slug})
    data = {name: str(prepared.pk) if value == "WEERWOORD" else value for name, value in data.items()}
    with rolled_back():
        post_and_check(
            client,
            url,
            strings(data),
            pages=[(client, url), (superuser_client, reverse("admin:jury_weerwoord_changelist"))],
            refusals=(400, 404),
        )


@hostile
@given(
    data=posts(
        {"token": "0123456789abcdef0123456789abcdef", "subject": "Herinnering", "body": "Dag, {{ titel }} loopt af."}
    ),
    step=st.sampled_from(["preview", "send", "edit"]),
)
def test_group_mail(data, step, jury, manager):
    client = logged_in(manager)
    selected = [str(candidacy.pk) for candidacy in jury["candidacies"]]
    url = reverse("admin:candidacies_candidacy_changelist")
    post = {**strings(data), "action": "send_group_mail", "_selected_action": selected, f"group_mail_{step}": "1"}
    with rolled_back():
        before = snapshot()
        response = client.post(url, post)
        assert response.status_code < 500
        assert_no_raw_markers(response, url)
        if response.status_code == 302:
            log = client.get(response["Location"])
            assert log.status_code == 200
            assert_no_raw_markers(log, response["Location"])
        else:
            assert (response.status_code, differences(before, snapshot())) == (200, [])


# The admin's add forms, as a superuser and as the call manager


# The call manager adds these; accounts only a superuser (the manager gets a 403 and nothing is stored).
ADMIN_FORMS = [
    ("challenges.Call", "manager"),
    ("challenges.Region", "manager"),
    ("challenges.Challenge", "manager"),
    ("challenges.Persona", "manager"),
    ("candidacies.Organisation", "manager"),
    ("jury.JuryMember", "manager"),
    ("jury.Criterion", "manager"),
    ("jury.PitchSlot", "manager"),
    ("mailtemplates.MailTemplate", "manager"),
    ("accounts.User", "superuser"),
    ("accounts.User", "manager"),
]


def valid_admin_value(field):
    """A value a browser could post for an admin form field, to keep the other fields valid."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        first = field.queryset.first()
        return [str(first.pk)] if first else []
    if isinstance(field, forms.ModelChoiceField):
        first = field.queryset.first()
        return str(first.pk) if first else ""
    if isinstance(field, forms.SplitDateTimeField):
        return ["2023-06-19", "10:00"]
    if isinstance(field, forms.ChoiceField):
        return str(next(value for value, _label in field.choices if value != ""))
    if isinstance(field, forms.DateField):
        return "2023-06-19"
    if isinstance(field, forms.BooleanField):
        return "on"
    if isinstance(field, forms.EmailField):
        return "nieuw@example.org"
    if isinstance(field, forms.URLField):
        return "https://www.example.be"
    if isinstance(field, forms.DecimalField | forms.IntegerField):
        return "1"
    if isinstance(field, forms.SlugField):
        return "nieuw"
    return "Nieuwe tekst"


def admin_valid_post(client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    response = client.get(url)
    assert response.status_code == 200
    valid = {}
    for name, field in response.context["adminform"].form.fields.items():
        value = valid_admin_value(field)
        if isinstance(field, forms.SplitDateTimeField):
            valid[f"{name}_0"], valid[f"{name}_1"] = value
        elif value != []:
            valid[name] = value
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        valid.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return url, valid


@pytest.mark.parametrize(("label", "who"), ADMIN_FORMS)
def test_admin_add_form(label, who, maasland_call, jury, manager, superuser_client):
    model = apps.get_model(label)
    client = superuser_client if who == "superuser" else logged_in(manager)
    add_url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    if client.get(add_url).status_code == 403:
        before = snapshot()
        assert client.post(add_url, {"name": MARKERS[0]}).status_code == 403
        assert differences(before, snapshot()) == []
        return
    url, valid = admin_valid_post(client, model)
    changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    @settings(hostile, max_examples=8)
    @given(data=posts(valid))
    def run(data):
        with rolled_back():
            post_and_check(client, url, strings(data), pages=[(client, changelist)])

    run()


@pytest.mark.parametrize("value", ["²", "١٢٣", "99999999999999999999", "-1", "1e3", "<script>", "\x00"])
def test_a_forged_attachment_to_remove_is_not_found(value, applicant, draft, maasland_call, time_machine):
    time_machine.move_to(DURING_INTAKE, tick=False)
    data = strings(factories.complete_form_data(maasland_call, draft, remove_attachment=value))
    client = logged_in(applicant)  # logging in sets last_login: before the snapshot
    before = snapshot()
    response = client.post(reverse("candidacies:candidacy_update", args=[draft.pk]), {**data, "draft": "1"})
    assert (response.status_code, differences(before, snapshot())) == (404, [])


@pytest.mark.parametrize(
    "url",
    [
        "admin:jury_pitchslot_changelist",
        "admin:jury_pitchslot_generate",
        "admin:jury_pitchslot_plan",
        "admin:candidacies_candidacy_changelist",
    ],
)
# Not 99999999999999999999: Django's own list filter hands it to SQLite, which overflows (PostgreSQL answers a list).
@pytest.mark.parametrize("value", ["²", "١٢٣", "9223372036854775807", "<script>", "\x00"])
def test_a_forged_call_filter_in_the_admin_is_no_500(url, value, manager, maasland_call):
    response = logged_in(manager).get(reverse(url), {"call__id__exact": value, "call": value})
    assert response.status_code in (200, 302)
    assert_no_raw_markers(response, url)

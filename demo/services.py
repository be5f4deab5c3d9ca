"""The demo a newcomer walks through: the real 2023 call, three copies in other phases, accounts for every role.

Every function here is idempotent: `make run` calls them on every start.
"""

import contextlib
import datetime
import uuid
from base64 import b32decode
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test.utils import override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from candidacies import services as candidacy_services
from candidacies.enterprise_number import normalise_enterprise_number
from candidacies.models import Candidacy, Membership, Organisation
from challenges.models import AttachmentKind, Call
from challenges.services import copy_call_shifted
from jury.roles import ensure_call_manager_group

from .decisions import seed_decisions
from .jury import seed_jury

REAL_CALL_SLUG = "maasland-2023"
DEMO_PASSWORD = "demo-Maasland-2023"
# The demo's staff and jury log in with a second factor too (accounts/two_factor.py): an authenticator with this
# known key, printed by load_demo; `manage.py demo_code` prints its current code. Never a real account's key.
DEMO_AUTHENTICATOR_KEY = "MAASLANDDEMOMAASLANDDEMOMAASLAND"


def demo_authenticator_code():
    """The code an authenticator app with the demo's key shows now."""
    return f"{totp(b32decode(DEMO_AUTHENTICATOR_KEY)):06d}"


def demo_authenticator(user):
    """The demo account's authenticator, with the demo's key (recovery codes are not needed in the demo)."""
    key = b32decode(DEMO_AUTHENTICATOR_KEY).hex()
    TOTPDevice.objects.filter(user=user).exclude(key=key).delete()
    TOTPDevice.objects.get_or_create(user=user, key=key, defaults={"name": "demo authenticator", "confirmed": True})


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str
    is_staff: bool = False
    has_authenticator: bool = True


DEMO_ACCOUNTS = [
    DemoAccount("beheerder@demo.example", "Liesbet Adams (demo)", "call manager", is_staff=True),
    DemoAccount("aanvrager1@demo.example", "An Aanvrager (demo)", "applicant", has_authenticator=False),
    DemoAccount("aanvrager2@demo.example", "Bram Bouwer (demo)", "applicant", has_authenticator=False),
    DemoAccount("jurylid1@demo.example", "Jan Jurylid (demo)", "jury member"),
    DemoAccount("jurylid2@demo.example", "Karin Keurder (demo)", "jury member"),
    DemoAccount("jurylid3@demo.example", "Luc Lezer (demo)", "jury member"),
    DemoAccount("voorzitter@demo.example", "Vera Voorzitter (demo)", "jury chair"),
]


@dataclass(frozen=True)
class DemoCall:
    slug: str
    subtitle: str
    anchor: str  # which date of the real call lands where
    reference_prefix: str

    def shift_days(self, call, today):
        if self.anchor == "deadline_in_two_weeks":
            return (today + datetime.timedelta(days=14) - timezone.localtime(call.deadline).date()).days
        if self.anchor == "pitches_this_week":
            monday = today - datetime.timedelta(days=today.weekday())
            first = call.pitch_dates[0]
            return (monday - (first - datetime.timedelta(days=first.weekday()))).days
        if self.anchor == "decisions_five_days_ago":
            communicated = call.decisions_before - datetime.timedelta(days=1)
            return (today - datetime.timedelta(days=5) - communicated).days
        raise ValueError(self.anchor)


DEMO_CALLS = [
    DemoCall("maasland-demo-indiening", "Demo – indiening open", "deadline_in_two_weeks", "DEMI"),
    DemoCall("maasland-demo-pitches", "Demo – pitches deze week", "pitches_this_week", "DEMP"),
    DemoCall(
        "maasland-demo-weerwoord", "Demo – beslissingen vijf dagen geleden verstuurd", "decisions_five_days_ago", "DEMW"
    ),
]


def load_real_call():
    call_command("loaddata", "maasland", verbosity=0)
    return Call.objects.get(slug=REAL_CALL_SLUG)


def seed_demo_calls(real_call, *, today):
    return [
        copy_call_shifted(
            real_call,
            slug=demo.slug,
            subtitle=demo.subtitle,
            reference_prefix=demo.reference_prefix,
            days=demo.shift_days(real_call, today),
        )
        for demo in DEMO_CALLS
    ]


# The addendum of Maasland names no documents to attach, so the real call asks for none; the demo call that takes
# candidacies shows how a call's list of documents works, with the portal's own examples, marked as such.
DEMO_ATTACHMENT_KINDS = [
    ("Begroting", True),
    ("CV van de trajectbegeleiders", False),
    ("Samenwerkingsakkoord", False),
]


def seed_attachment_kinds(call):
    for position, (name, required) in enumerate(DEMO_ATTACHMENT_KINDS):
        AttachmentKind.objects.get_or_create(
            call=call,
            name=name,
            defaults={
                "position": position,
                "required": required,
                "description": "Voorbeeld van het demoportaal: het addendum van Maasland vraagt geen bijlagen.",
            },
        )


def seed_accounts():
    User = get_user_model()
    manager_group = ensure_call_manager_group()
    users = {}
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        if user is None:
            user = User.objects.create_user(
                account.email, DEMO_PASSWORD, full_name=account.full_name, is_staff=account.is_staff
            )
        if account.is_staff:
            user.groups.add(manager_group)
        if account.has_authenticator:
            demo_authenticator(user)
        users[account.email] = user
    return users


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    enterprise_number: str
    city: str
    member: str  # e-mail of its demo member
    title: str
    summary: str


DEMO_ORGANISATIONS = [
    DemoOrganisation(
        "Buddywerk Maasland vzw",
        "0202.239.951",
        "Maasmechelen",
        "aanvrager1@demo.example",
        "Samen sterker: buddy's voor vrouwen op weg naar werk",
        "Buddy's en taalcoaching op de werkvloer voor vrouwen met een migratieachtergrond.",
    ),
    DemoOrganisation(
        "Taalhuis Lanaken vzw",
        "0203.201.340",
        "Lanaken",
        "aanvrager2@demo.example",
        "Stap voor stap: Nederlands leren terwijl je werkt",
        "Laagdrempelige lessen lezen en schrijven, gekoppeld aan een eerste werkervaring.",
    ),
    DemoOrganisation(
        "De Sleutel Maasland",
        "0200.068.636",
        "Maaseik",
        "sleutel@demo.example",
        "Een dak en een plan: begeleiding na detentie",
        "Outreachende begeleiding rond wonen, verslaving en werk voor mensen met een detentieverleden.",
    ),
    DemoOrganisation(
        "Werkkracht Kinrooi",
        "0201.037.250",
        "Kinrooi",
        "werkkracht@demo.example",
        "Mentaal sterk aan het werk",
        "Laagdrempelige psychische hulp en trajectbegeleiding voor langdurig werkzoekenden.",
    ),
    DemoOrganisation(
        "Huis van het Kind Dilsen-Stokkem",
        "0203.002.093",
        "Dilsen-Stokkem",
        "huisvanhetkind@demo.example",
        "Kinderopvang als opstap",
        "Flexibele kinderopvang en netwerkversterking zodat ouders een job kunnen combineren met het gezin.",
    ),
]

# Per call: what each demo organisation's candidacy is (by position in DEMO_ORGANISATIONS).
CLOSED_CALL_STATUSES = ["submitted", "submitted", "submitted", "withdrawn", "draft"]
OPEN_CALL_STATUSES = ["draft", "submitted", "submitted", "withdrawn", None]


@contextlib.contextmanager
def _no_mail():
    """The demo's receipts are not sent: nobody is behind the demo addresses."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        yield


def seed_organisations():
    User = get_user_model()
    organisations = []
    for demo in DEMO_ORGANISATIONS:
        member = User.objects.filter(email=demo.member).first()
        if member is None:
            member = User.objects.create_user(demo.member, None, full_name=f"Contact {demo.name}")
        organisation, _created = Organisation.objects.get_or_create(
            enterprise_number=normalise_enterprise_number(demo.enterprise_number),
            defaults={
                "name": demo.name,
                "street": "Kerkplein 1",
                "postal_code": {
                    "Maasmechelen": "3630",
                    "Lanaken": "3620",
                    "Maaseik": "3680",
                    "Kinrooi": "3640",
                    "Dilsen-Stokkem": "3650",
                }[demo.city],
                "city": demo.city,
                "contact_name": member.get_full_name(),
                "contact_email": demo.member,
            },
        )
        Membership.objects.get_or_create(organisation=organisation, user=member)
        organisations.append((demo, organisation, member))
    return organisations


def _demo_content(call, demo, organisation):
    challenges = list(call.challenges.order_by("number"))
    position = [item.name for item in DEMO_ORGANISATIONS].index(demo.name)
    challenge = challenges[position % len(challenges)]
    return {
        "title": demo.title,
        "summary": demo.summary,
        "challenges": [challenge],
        "personas": list(challenge.personas.all()),
        "service_types": list(call.service_types.filter(position__in=[1, (position % 5) + 1])),
        "service_points": [],
        "municipalities": list(call.municipalities.filter(name=demo.city)) or list(call.municipalities.all()[:1]),
        "approach": "We werken outreachend en empowerend, vanuit de presentiebenadering, en nemen tijd voor de "
        "cliënt en zijn netwerk.",
        "collaboration": "Met VDAB, de OCMW's van de vijf gemeenten en lokale verenigingen.",
        "expected_participants": 20 + 10 * position,
        "duration_months": 24,
        "budget": Decimal(45000 + 7500 * position),
        "budget_breakdown": "Personeel 80 %, werking 15 %, vorming 5 %.",
        "team": "Twee trajectbegeleiders en een coördinator met ervaring in de regio.",
        "contact_name": organisation.contact_name,
        "contact_email": organisation.contact_email,
        "contact_phone": "089 00 00 00",
    }


def _demo_pdf(title):
    from weasyprint import HTML

    return HTML(string=f"<h1>{title}</h1><p>Projectplan (demo).</p>").write_pdf()


def seed_candidacies(calls, organisations, *, today):
    """Candidacies in draft, submitted and withdrawn; submitted ones wherever the deadline has passed."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    created = []
    for call in calls:
        at = call.deadline - datetime.timedelta(days=3)
        statuses = OPEN_CALL_STATUSES if call.accepts_submissions(timezone.now()) else CLOSED_CALL_STATUSES
        for (demo, organisation, member), status in zip(organisations, statuses, strict=True):
            if status is None or Candidacy.objects.filter(call=call, organisation=organisation).exists():
                continue
            candidacy = candidacy_services.start_candidacy(call, organisation, title=demo.title, by=member, at=at)
            content = _demo_content(call, demo, organisation)
            if status == "draft":
                content = {"title": demo.title, "summary": demo.summary}
                candidacy_services.save_draft(candidacy, content, lock_version=candidacy.lock_version, by=member, at=at)
            else:
                pdf = SimpleUploadedFile("projectplan.pdf", _demo_pdf(demo.title), content_type="application/pdf")
                candidacy_services.add_attachment(candidacy, pdf, by=member, at=at)
                candidacy_services.submit(
                    candidacy, content, lock_version=candidacy.lock_version, token=uuid.uuid4(), by=member, at=at
                )
                if status == "withdrawn":
                    candidacy.refresh_from_db()
                    candidacy_services.withdraw(candidacy, by=member, at=at + datetime.timedelta(hours=1))
            created.append(candidacy)
    return created


def seed(*, today=None):
    today = today or timezone.localdate()
    real_call = load_real_call()
    demo_calls = seed_demo_calls(real_call, today=today)
    seed_attachment_kinds(next(call for call in demo_calls if call.slug == DEMO_CALLS[0].slug))
    users = seed_accounts()
    calls = [real_call, *demo_calls]
    organisations = seed_organisations()
    with _no_mail():
        seed_candidacies(calls, organisations, today=today)
        now = timezone.now()
        seed_jury(calls, users, now=now)
        seed_decisions(calls, users, today=today, now=now)
    return {"calls": calls, "users": users}

"""Small builders for test data; each returns a saved object."""

import io
import itertools
import time
import uuid
import zipfile
from base64 import b32encode
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from candidacies import services as candidacy_services
from candidacies.models import Candidacy, Membership, Organisation

_numbers = itertools.count(1)
_large_calls = itertools.count(0)


def enterprise_number(seed):
    """A valid KBO number (10 digits, modulo-97 check digits) for a small seed."""
    first_eight = f"0{200000 + seed:07d}"
    return f"{first_eight}{97 - int(first_eight) % 97:02d}"


def user(email=None, **fields):
    email = email or f"user{next(_numbers)}@example.org"
    return get_user_model().objects.create_user(email, "a-Strong-passw0rd", **fields)


# The key of every test authenticator (hex, 20 bytes), so a test can compute the code an app would show.
AUTHENTICATOR_KEY = "3132333435363738393031323334353637383930"


def authenticator(user, *, key=AUTHENTICATOR_KEY):
    """The user's confirmed authenticator app (TOTP), made with a known key if there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", key=key, confirmed=True)


def authenticator_code(device, *, at=None):
    """The code the app shows now (or at the Unix time `at`); a step already used gives the next step's code, which
    the portal still accepts (one step of tolerance), since each code is taken once."""
    device.refresh_from_db()
    step = (int(at if at is not None else time.time()) - device.t0) // device.step + device.drift
    step = max(step, device.last_t + 1)
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"


def pass_second_factor(session, user):
    """Marks a session as having passed the second factor with the user's authenticator (made if needed)."""
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id


def pass_second_factor_of(client):
    """The test client's session (logged in) passes the second factor."""
    session = client.session
    pass_second_factor(session, get_user_model().objects.get(pk=session["_auth_user_id"]))
    session.save()


def b32_key(device):
    """The key as an authenticator app takes it by hand (base32)."""
    return b32encode(device.bin_key).decode()


def organisation(*members, name=None, **fields):
    number = next(_numbers)
    values = {
        "name": name or f"Organisatie {number}",
        "enterprise_number": enterprise_number(number),
        "street": "Kerkstraat 1",
        "postal_code": "3630",
        "city": "Maasmechelen",
        "contact_name": "Contact",
        "contact_email": "contact@example.org",
    }
    values.update(fields)
    result = Organisation.objects.create(**values)
    for member in members:
        Membership.objects.create(organisation=result, user=member)
    return result


def candidacy(call, organisation, *, by=None, status=Candidacy.Status.DRAFT, **fields):
    member = by or organisation.members.first()
    values = {"title": "Samen sterker in Maasland"}
    values.update(fields)
    return Candidacy.objects.create(call=call, organisation=organisation, created_by=member, status=status, **values)


def submitted_candidacy(call, *, at, name=None, member=None, of=None, title=None):
    """A candidacy submitted through the service at `at`: of organisation `of` (by `member`), or of a new
    organisation called `name` whose one member is `member` (or a new user)."""
    member = member or user()
    applying = of or organisation(member, name=name)
    content = complete_content(call) | ({"title": title} if title else {})
    draft = candidacy(call, applying, by=member, title=content["title"])
    candidacy_services.submit(draft, content, lock_version=draft.lock_version, token=uuid.uuid4(), by=member, at=at)
    draft.refresh_from_db()
    return draft


def complete_content(call):
    """Everything a candidacy needs to be submitted, as the form's cleaned data."""
    return {
        "title": "Samen sterker in Maasland",
        "summary": "Buddywerking en taalcoaching voor vrouwen in Maasmechelen.",
        "challenges": list(call.challenges.filter(number=1)),
        "personas": list(call.personas.filter(name="Chadia")),
        "service_types": list(call.service_types.filter(position=1)),
        "service_points": [],
        "municipalities": list(call.municipalities.filter(name__in=["Maasmechelen", "Lanaken"])),
        "approach": "Outreachend en empowerend, vanuit de presentiebenadering.",
        "collaboration": "VDAB en de OCMW's van Maasmechelen en Lanaken.",
        "expected_participants": 40,
        "duration_months": 24,
        "budget": Decimal("45000.50"),
        "budget_breakdown": "Personeel 40.000, werking 5.000,50.",
        "team": "Twee trajectbegeleiders met tien jaar ervaring.",
        "contact_name": "An Aanvrager",
        "contact_email": "an@example.org",
        "contact_phone": "089 12 34 56",
    }


def complete_form_data(call, candidacy, **overrides):
    """The same as a browser would post it."""
    content = complete_content(call)
    data = {
        "lock_version": candidacy.lock_version,
        "submission_token": "3f5b6c1e-0d1a-4a53-9a6f-1f6c8f2e9b10",
        "title": content["title"],
        "summary": content["summary"],
        "challenges": [item.pk for item in content["challenges"]],
        "personas": [item.pk for item in content["personas"]],
        "service_types": [item.pk for item in content["service_types"]],
        "municipalities": [item.pk for item in content["municipalities"]],
        "approach": content["approach"],
        "collaboration": content["collaboration"],
        "expected_participants": "40",
        "duration_months": "24",
        "budget": "45.000,50",
        "budget_breakdown": content["budget_breakdown"],
        "team": content["team"],
        "contact_name": content["contact_name"],
        "contact_email": content["contact_email"],
        "contact_phone": content["contact_phone"],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def pdf_bytes(note="", size=None):
    """A small valid PDF (one empty A4 page), `note` in a comment near its start, padded with a comment to `size`
    bytes: the upload check reads PDFs for real (candidacies/filechecks/pdfs.py)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]

    def built(padding):
        body = b"%PDF-1.4\n" + (b"% " + note.encode() + b"\n" if note else b"") + padding
        offsets = []
        for number, content in enumerate(objects, start=1):
            offsets.append(len(body))
            body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
        xref = len(body)
        body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        return body + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)

    body = built(b"")
    filler = size - len(body) - 2 if size else -1
    while filler >= 0 and len(body) != size:  # the startxref number may grow a digit with the padding
        body = built(b"%" + b"0" * filler + b"\n")
        filler -= len(body) - size
    return body


def pdf_file(name="plan.pdf", size=None):
    return SimpleUploadedFile(name, pdf_bytes(size=size), content_type="application/pdf")


# Real packages declare their namespaces: the upload check parses them (candidacies/filechecks/archives.py).
DOCX_CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
ODT_CONTENT = (
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="1.3">'
    "<office:scripts/><office:body><office:text/></office:body></office:document-content>"
)


def docx_file(name="begroting.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", DOCX_CONTENT_TYPES)
        archive.writestr("word/document.xml", "<document/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def odt_file(name="plan.odt"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", ODT_CONTENT)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def exe_file(name="plan.pdf"):
    return SimpleUploadedFile(name, b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, content_type="application/pdf")


def rounds_closed(call, chair, *, at, reason="Testgegevens: de jury beslist zonder alle formulieren."):
    """Both rounds closed by the chair through the service, as decisions come after the pitch round: with a reason,
    since test data rarely has every sheet submitted."""
    from jury import services as jury_services
    from jury.models import Round

    for round in (Round.WRITTEN, Round.PITCH):
        if not jury_services.round_is_closed(call, round):
            jury_services.close_round(call, round, by=chair.user, at=at, reason=reason)


def reopen_round(call, round):
    """Undoes a round's closing for a test that needs the round open again: its stored result first (a closed round's
    result protects its closure; the portal itself never reopens a round)."""
    from jury.models import RoundClosure
    from jury.results import RoundResult

    RoundResult.objects.filter(closure__call=call, closure__round=round).delete()
    RoundClosure.objects.filter(call=call, round=round).delete()


def assessed(weerwoord, *, assessment, motivation, by, at):
    """An assessment that counts, through the services: in a call of two steps prepared by the call manager `by`
    and confirmed by the call's chair at the same moment; in a call of one step recorded by `by` alone."""
    from jury import communication
    from jury.roles import chairs

    if not communication.in_two_steps(weerwoord):
        return communication.assess_weerwoord(weerwoord, assessment=assessment, motivation=motivation, by=by, at=at)
    communication.prepare_assessment(weerwoord, assessment=assessment, motivation=motivation, by=by, at=at)
    chair = chairs(weerwoord.decision.candidacy.call_id).select_related("user").get()
    return communication.confirm_assessment(weerwoord, by=chair.user, at=at)


def large_call(call, *, candidacies, jurors, conflicts, by):
    """A call's written round at scale, in a few inserts (bulk_create, no services): `candidacies` submitted
    candidacies of their own organisations, `jurors` members of its jury, and `conflicts` conflicts of interest set
    by `by`, spread over jurors and candidacies (conflict i: juror i mod jurors, candidacy 7i mod candidacies).
    Returns (candidacies, jurors) in creation order; at most 1,000 candidacies per call of this builder."""
    from jury.models import Conflict, JuryMember

    start = 400_000 + next(_large_calls) * 1_000  # KBO seeds apart from organisation()'s, below 800,000
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Organisatie {start + n}",
            enterprise_number=enterprise_number(start + n),
            street="Kerkstraat 1",
            postal_code="3630",
            city="Maasmechelen",
            contact_name="Contact",
            contact_email="contact@example.org",
        )
        for n in range(candidacies)
    )
    users = get_user_model().objects.bulk_create(
        get_user_model()(email=f"jurylid{start + n}@example.org", full_name=f"Jurylid {n + 1}", password="!")
        for n in range(jurors)
    )
    built = Candidacy.objects.bulk_create(
        Candidacy(
            call=call,
            organisation=organisation,
            created_by=by,
            status=Candidacy.Status.SUBMITTED,
            reference=f"T-{start + n:07d}",
            title=f"Kandidatuur {n + 1}",
        )
        for n, organisation in enumerate(organisations)
    )
    members = JuryMember.objects.bulk_create(JuryMember(call=call, user=member) for member in users)
    if not built or not members:
        return built, members
    Conflict.objects.bulk_create(
        Conflict(
            jury_member=members[n % len(members)],
            candidacy=built[(7 * n) % len(built)],
            source=Conflict.Source.MANAGER,
            created_by=by,
        )
        for n in range(conflicts)
    )
    return built, members

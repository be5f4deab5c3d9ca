"""Decision letters: the PDF the applicant receives, printed from the decision, the call and the jury's scores."""

import copy
import hashlib
import io
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.safestring import mark_safe
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from maasland import pdf
from maasland.clock import BRUSSELS

from . import ranking
from .models import Decision, DecisionLetter, Round, Weerwoord

TEMPLATE = "jury/letters/letter.html"
# A tagged PDF for screen readers; WeasyPrint adds the structure tree, the language and the PDF/UA metadata.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


def _round_caption(round):
    return pgettext("letter", "Written proposal") if round == Round.WRITTEN else pgettext("letter", "Pitch")


def _date_text(moment):
    return date_format(timezone.localtime(moment, BRUSSELS), "DATE_FORMAT")


def _moment_text(moment):
    """'28 juli 2023 om 23:59': the last minute shown, as the window's last second 23:59:59 still counts."""
    return date_format(timezone.localtime(moment, BRUSSELS), "DATETIME_FORMAT")


def one_decimal(total, count):
    return number_format(
        (Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), decimal_pos=1, use_l10n=True
    )


def _averages(candidacy):
    """Per round (written first) and per criterion: the average on the criterion's scale, one decimal, over the
    sheets the ranking counts (jury/ranking.py)."""
    rounds = []
    for row in ranking.criterion_averages(candidacy):
        if not rounds or rounds[-1]["round"] != row["sheet__round"]:
            rounds.append({"round": row["sheet__round"], "caption": _round_caption(row["sheet__round"]), "rows": []})
        rounds[-1]["rows"].append(
            {
                "criterion": row["criterion__name"],
                "average": one_decimal(row["total"], row["count"]),
                "scale": pgettext("letter", "%(low)s to %(high)s")
                % {"low": row["criterion__scale_min"], "high": row["criterion__scale_max"]},
            }
        )
    return rounds


def _replaced_letter_sent_at(decision):
    """When the letter a revision replaces went out: the last letter sent before the revision, else the
    communication."""
    sent = DecisionLetter.objects.filter(decision_id=decision.pk, sent_at__lt=decision.revised_at)
    last = sent.order_by("-sent_at", "-number").values_list("sent_at", flat=True).first()
    return last or decision.communicated_at


def revision_preview_html(decision, *, outcome, motivation, at):
    """The letter a revision would send at `at`, printed from a copy of the decision; nothing is stored."""
    proposed = copy.copy(decision)
    proposed.outcome, proposed.motivation, proposed.revised_at = outcome, motivation.strip(), at
    return render_letter_html(proposed, sent_at=at)


def _letter_context(decision, sent_at):
    candidacy = decision.candidacy
    call = candidacy.call
    organisation = candidacy.organisation
    municipalities = [municipality.name for municipality in call.municipalities.order_by("position", "name")]
    is_revised = decision.revised_at is not None and decision.communicated_at is not None
    deadline = decision.weerwoord_deadline() or call.weerwoord_deadline(sent_at)
    dated = decision.revised_at or decision.communicated_at or sent_at
    return {
        "portal_name": settings.PORTAL_NAME,
        "municipalities": municipalities,
        "partners_text": _("VDAB and the local governments of %(municipalities)s")
        % {"municipalities": get_text_list(municipalities, _("and"))},
        "call_title": str(call),
        "organisation": {
            "name": organisation.name,
            "street": organisation.street,
            "postal_code": organisation.postal_code,
            "city": organisation.city,
        },
        "greeting_name": (candidacy.contact_name or organisation.contact_name).strip(),
        "reference": candidacy.reference,
        "title": candidacy.title,
        "outcome": decision.outcome,
        "outcome_label": str(Decision.Outcome(decision.outcome).label),
        "is_selected": decision.outcome == Decision.Outcome.SELECTED,
        "is_revised": is_revised,
        "replaced_letter_on": _date_text(_replaced_letter_sent_at(decision)) if is_revised else "",
        "motivation": [part.strip() for part in re.split(r"\n\s*\n", decision.motivation) if part.strip()],
        "averages": _averages(candidacy) if call.letters_disclose_scores else None,
        "rank": ranking.letter_place(candidacy) if call.letters_disclose_rank else None,
        "weerwoord": {
            "url": settings.PORTAL_BASE_URL.rstrip("/") + reverse("candidacies:candidacy_detail", args=[candidacy.pk]),
            "deadline": _moment_text(deadline),
            "days": call.weerwoord_days,
            "max_length": number_format(Weerwoord.TEXT_MAX_LENGTH, use_l10n=True, force_grouping=True),
        },
        "date": _date_text(dated),
        "date_iso": timezone.localtime(dated, BRUSSELS).isoformat(),
        "contact": {
            "name": call.contact_name,
            "organisation": call.contact_organisation,
            "email": call.contact_email,
            "phone": call.contact_phone,
        },
    }


def render_letter_html(decision, *, sent_at=None):
    """The letter's HTML, in the portal's language. Before the decision is communicated, the weerwoord's last day
    counts from `sent_at`, the moment the letter goes out (now, if not given); afterwards from the communication."""
    with translation.override(settings.LANGUAGE_CODE):
        context = _letter_context(decision, sent_at or timezone.now())
        context["page_counter_css"] = pdf.page_counter_css()
        context["footer_css"] = mark_safe(
            pdf.css_string(
                _("%(portal)s · decision letter %(reference)s")
                % {"portal": context["portal_name"], "reference": context["reference"]}
            )
        )
        return render_to_string(TEMPLATE, context)


def html_to_pdf(html, *, identifier):
    """A tagged (PDF/UA) A4 PDF."""
    return pdf.html_to_pdf(html, identifier=identifier, **PDF_OPTIONS)


def render_letter_pdf(decision, *, sent_at=None):
    """The letter as PDF, always in the portal's language."""
    return html_to_pdf(render_letter_html(decision, sent_at=sent_at), identifier=decision.candidacy.reference)


def letter_file_name(decision):
    return f"{decision.candidacy.reference}.pdf"


def make_letter(decision, *, by, at):
    """Prints the letter as it goes out at `at` and keeps it: letters are numbered per decision and never replaced,
    so the first letter stays next to the letter of a revised decision."""
    pdf = render_letter_pdf(decision, sent_at=at)
    with transaction.atomic():
        Decision.objects.select_for_update().filter(pk=decision.pk).first()
        letter = DecisionLetter(
            decision=decision,
            number=DecisionLetter.objects.filter(decision=decision).count() + 1,
            outcome=decision.outcome,
            sha256=hashlib.sha256(pdf).hexdigest(),
            created_at=at,
            created_by=by,
        )
        letter.file.save(letter_file_name(decision), ContentFile(pdf), save=False)
        letter.save()
    return letter


def letters_zip(decisions, *, at):
    """One ZIP with a freshly printed letter per decision, named by the candidacy's reference."""
    buffer = io.BytesIO()
    stamp = timezone.localtime(at, BRUSSELS).timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for decision in decisions:
            entry = zipfile.ZipInfo(letter_file_name(decision), date_time=stamp)
            archive.writestr(entry, render_letter_pdf(decision, sent_at=at), compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()

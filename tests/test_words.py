"""The portal's words (docs/words.md): one form of address, "je", in every Dutch text of the portal, its mails and
its letters."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.sqlite_pass

PO = Path(__file__).resolve().parents[1] / "locale" / "nl" / "LC_MESSAGES" / "django.po"
U_FORM = re.compile(r"\b(u|uw|U|Uw|UW)\b")


def dutch_texts():
    """Each msgstr of the Dutch catalogue, its continuation lines joined."""
    entries = PO.read_text().split("\n\n")
    for entry in entries:
        found = re.search(r"^msgstr(?:\[\d\])? ", entry, re.MULTILINE)
        if found:
            yield "".join(re.findall(r'^(?:msgstr(?:\[\d\])? )?"(.*)"$', entry[found.start() :], re.MULTILINE))


def test_no_dutch_text_of_the_portal_addresses_the_reader_with_u():
    assert [text for text in dutch_texts() if U_FORM.search(text)] == []

"""A stored text equal to the default sends exactly the golden mail, so the way through a MailTemplate row is the
same as the fallback. Every test of tests/test_emails_golden.py runs again here, with a row for each kind: the
call's own for the kinds of a call, a portal-wide one for the others."""

import pytest

from mailtemplates.catalogue import KINDS
from mailtemplates.models import MailTemplate
from mailtemplates.rendering import default_text
from tests.test_emails_golden import *  # noqa: F403 (the golden tests and their fixtures, run again)

pytestmark = pytest.mark.sqlite_pass


@pytest.fixture(autouse=True)
def stored_defaults(maasland_call):
    for key, kind in KINDS.items():
        subject, body = default_text(key, language="nl-be")
        MailTemplate.objects.create(call=maasland_call if kind.per_call else None, kind=key, subject=subject, body=body)


def test_every_kind_has_its_stored_text(maasland_call):
    assert MailTemplate.objects.filter(call=maasland_call).count() + MailTemplate.objects.filter(
        call__isnull=True
    ).count() == len(KINDS)

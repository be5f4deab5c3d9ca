"""A juror's calendar feed: a secret link to an .ics of the pitches of their calls (jury/pitch_days.py), which a
calendar app fetches without logging in. The link holds the feed's number and a random token; the token is compared
in constant time, and renewing it (jury.services.renew_calendar_feed) voids the old link at once.

The model is imported by jury/models.py, so Django and the migrations know it as jury's.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TOKEN_BYTES = 32  # 256 bits, 43 URL-safe characters


def new_token():
    return secrets.token_urlsafe(TOKEN_BYTES)


class CalendarFeed(models.Model):
    """One per user: it covers every call whose jury the user sits on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("user")
    )
    token = models.CharField(_("secret token"), max_length=64, default=new_token, editable=False)
    renewed_at = models.DateTimeField(_("made or renewed at"))

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)


def feed_for(feed_id, token):
    """The feed this link opens, or None: a wrong token and an unknown number look the same to the caller. An account
    that is no longer active (closed, or anonymised with its call) opens nothing."""
    feed = CalendarFeed.objects.select_related("user").filter(pk=feed_id).first()
    if feed is None or not secrets.compare_digest(feed.token.encode(), token.encode()):
        return None
    return feed if feed.user.is_active else None

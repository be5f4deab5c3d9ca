"""How many mails anyone can make the portal send: a new password, a sign-up, an invitation to an organisation or
a jury. Per purpose, at most MAIL_LIMIT_PER_ADDRESS go to one address and MAIL_LIMIT_PER_CLIENT leave for one
client (maasland.client_address) in MAIL_LIMIT_WINDOW seconds, counted from the first. Over the limit the mail is
simply not sent: the caller answers exactly as if it was, so the limit tells nobody whether an address has an
account.

The counters live in Django's cache (CACHES, from CACHE_URL): per process with the default local memory, shared by
every process once it points to a shared cache such as Redis.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

PURPOSES = {"password_reset", "signup", "organisation_invitation", "jury_invitation"}


def _key(purpose, scope, value):
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()  # no address in the cache, any length
    return f"mail-limit:{purpose}:{scope}:{digest}"


def _count(key):
    """Adds one to the counter of `key`, which starts with the first mail of its window; returns the new count."""
    cache.add(key, 0, timeout=settings.MAIL_LIMIT_WINDOW)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.add(key, 1, timeout=settings.MAIL_LIMIT_WINDOW)
        return 1


def may_send(purpose, *, address, client=None):
    """Counts one mail of `purpose` to `address`, asked by `client` (an IP address; None when no visitor asked,
    e.g. a call manager's appointment, which counts per address only). False when the address or the client is
    over its limit: then the mail must not be sent."""
    if purpose not in PURPOSES:
        raise ValueError(f"Unknown purpose of a limited mail: {purpose!r}")
    within = _count(_key(purpose, "address", address)) <= settings.MAIL_LIMIT_PER_ADDRESS
    if client:
        within = _count(_key(purpose, "client", client)) <= settings.MAIL_LIMIT_PER_CLIENT and within
    if not within:
        logger.warning("Mail limit reached: a %s mail was not sent.", purpose)
    return within

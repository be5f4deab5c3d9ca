"""The public pages of a call (the call page, each challenge page, each persona page) are kept whole, per page and
language, until the call's data or its phase changes. The one place of that rule (docs/architecture.md).

Versions instead of deletions: every page is kept with the version of its call and the version all calls' pages
share (the header lists the municipalities of every call). A change of a row the pages show gives its call, or all
calls, a new version (`depends_on`, signals), as the change is saved and again once it is committed; a kept page of
an older version is never answered. The apps whose rows the pages show name their models from their
AppConfig.ready(), as jury/call_page.py does for the criteria, so challenges imports no later app. A page lives at
most until its call's next date (`Call.next_change`), while intake is open until the countdown's next minute, and
never longer than LONGEST (changes that send no signal: `QuerySet.update`, a restored back-up).

Only visitors without a login are answered from the cache: a logged-in person's header shows their name, their
roles and a logout form. A page asked with a query string, or with a message waiting, is made anew and not kept. A
kept page holds no CSRF token: each answer gets the asking visitor's own, as Django's `{% csrf_token %}` would.

The pages are kept in the cache PAGE_CACHE (settings): a folder that every process of one server shares by default,
so a change saved through one process is seen by all; several servers share one Redis (PAGE_CACHE_URL).
"""

import datetime
import functools
import math
import re
import secrets
import time

from django.contrib import messages
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

PAGE_CACHE = "pages"
# Raised when what is kept changes shape, so a new release never reads the pages an older one kept.
FORMAT = 2
LONGEST = datetime.timedelta(minutes=10)
MINUTE = datetime.timedelta(minutes=1)
ALL_CALLS = "all"
# Any version given out: a page made while one changed may hold data of before the change, so it is not kept.
ANY_CHANGE = "changed"
# Each process keeps a copy of the pages it answered, so a visit reads only the versions from the shared cache.
_HERE = {}
HERE_MOST = 500
# The value of Django's `{% csrf_token %}`; the quotes around it are never in escaped text of a page.
CSRF_TOKEN = re.compile(rb'(?<=name="csrfmiddlewaretoken" value=")[^"]*(?=")')


def _cache():
    return caches[PAGE_CACHE]


def _version_key(scope):
    return f"call-page-version:{scope}"


def _page_key(request):
    return f"call-page:{FORMAT}:{get_language()}:{request.path}"


def _new_version(scope):
    """A version never given out before, so a page kept under a version that a full cache dropped stays unused.
    ANY_CHANGE first: a page maker who reads the new version of its call then also reads a new ANY_CHANGE."""
    _cache().set(_version_key(ANY_CHANGE), secrets.token_hex(8), None)
    _cache().set(_version_key(scope), secrets.token_hex(8), None)


def drop(call_pk):
    """The pages of the call `call_pk` (None: of every call) are no longer answered; again once the change is
    committed, for a page made by another process in between from the data of before."""
    scope = ALL_CALLS if call_pk is None else call_pk
    _new_version(scope)
    transaction.on_commit(lambda: _new_version(scope))


def _versions(*scopes):
    """The current version of each scope, one made for a scope that has none (yet, or any more)."""
    keys = [_version_key(scope) for scope in scopes]
    found = _cache().get_many(keys)
    for key in keys:
        if key not in found:
            _cache().add(key, secrets.token_hex(8), None)
    if len(found) < len(keys):
        found = _cache().get_many(keys)
    return tuple(found.get(key) for key in keys)


def depends_on(model, call_of=lambda row: row.call_id):
    """The public pages show rows of `model`: saving or deleting one drops the pages of its call, `call_of(row)`
    (None: of every call, when a row does not say its call without a query)."""

    def changed(sender, instance, **kwargs):
        drop(call_of(instance))

    uid = f"page_cache_{model._meta.label_lower}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)


def depends_on_links(through, call_of=lambda row: row.call_id):
    """The public pages show the links of a many-to-many field (its `through` model): adding or taking one off
    drops the pages of the call of the row on either side, `call_of(row)`."""

    def changed(sender, instance, action, **kwargs):
        if action in {"post_add", "post_remove", "post_clear"}:
            drop(call_of(instance))

    m2m_changed.connect(changed, sender=through, weak=False, dispatch_uid=f"page_cache_{through._meta.label_lower}")


def _answered_from_cache(request):
    """A visitor whose page is the same as any other visitor's: no login, no query string, no message waiting."""
    if request.method not in {"GET", "HEAD"} or request.META.get("QUERY_STRING"):
        return False
    return not request.user.is_authenticated and not len(messages.get_messages(request))


def _lifetime(call, made_at):
    """Seconds from now until the page made at `made_at` may read otherwise: the call's next date, the countdown's
    next minute while intake is open, at most LONGEST. Rounded down, so a page never outlives its content."""
    ends = [made_at + LONGEST]
    if (change := call.next_change(made_at)) is not None:
        ends.append(change)
    if call.accepts_submissions(made_at):
        ends.append(made_at + ((call.deadline - made_at) % MINUTE or MINUTE))
    return math.floor((min(ends) - timezone.now()).total_seconds())


def _answer(request, kept):
    """The kept page with the visitor's own CSRF token in its forms."""
    parts = kept["parts"]
    body = get_token(request).encode().join(parts) if len(parts) > 1 else parts[0]
    return HttpResponse(body, content_type=kept["content_type"])


def _keep(response, key, call, changed_before, made_at):
    """Keeps a page made for a visitor, unless a version was given out while it was made."""
    if response.status_code != 200 or response.cookies:
        return
    versions = _versions(call.pk, ALL_CALLS)
    if _versions(ANY_CHANGE) != changed_before:
        return
    seconds = _lifetime(call, made_at)
    if seconds > 0:
        kept = {
            "versions": versions,
            "call": call.pk,
            "parts": CSRF_TOKEN.split(response.content),
            "content_type": response["Content-Type"],
            "until": time.time() + seconds,
        }
        _cache().set(key, kept, seconds)
        _keep_here(key, kept)


def _keep_here(key, kept):
    if len(_HERE) >= HERE_MOST:
        _HERE.clear()
    _HERE[key] = kept


def _current(kept):
    return kept["until"] > time.time() and kept["versions"] == _versions(kept["call"], ALL_CALLS)


def _kept(key):
    """The page kept under `key` if it is still current: this process's copy, else the shared cache's."""
    here = _HERE.get(key)
    if here is not None and _current(here):
        return here
    shared = _cache().get(key)
    if shared is not None and shared is not here and _current(shared):
        _keep_here(key, shared)
        return shared
    return None


def cached_page(view):
    """A public page of a call, answered from the cache when a visitor without a login asks it again. The view
    returns a TemplateResponse whose context holds the call."""

    @functools.wraps(view)
    def page(request, *args, **kwargs):
        if not _answered_from_cache(request):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        if (kept := _kept(key)) is not None:
            return _answer(request, kept)
        made_at, changed_before = timezone.now(), _versions(ANY_CHANGE)
        response = view(request, *args, **kwargs)
        call = response.context_data["call"]
        response.add_post_render_callback(lambda rendered: _keep(rendered, key, call, changed_before, made_at))
        return response

    return page


def _call_of_point(point):
    """A sub-point names its call through its type of service: known without a query when that was loaded with it."""
    return point.service_type.call_id if point._meta.get_field("service_type").is_cached(point) else None


def watch_the_calls_own_rows():
    """The rows of challenges that the public pages show (called from ChallengesConfig.ready)."""
    from .models import (
        AttachmentKind,
        Call,
        CallNote,
        Challenge,
        Municipality,
        Persona,
        PitchDay,
        Region,
        ServiceType,
        ServiceTypePoint,
    )

    for model in (Challenge, Persona, PitchDay, ServiceType, CallNote, AttachmentKind):
        depends_on(model)
    depends_on(ServiceTypePoint, call_of=_call_of_point)
    depends_on_links(Challenge.personas.through)
    # Every page's header and footer name the municipalities of all calls that are not demos.
    for model in (Call, Region, Municipality):
        depends_on(model, call_of=lambda row: None)
    depends_on_links(Call.municipalities.through, call_of=lambda row: None)

"""The demo a newcomer walks through: the real 2023 call, three copies in other phases, accounts for every role.

Every function here is idempotent: `make run` calls them on every start.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.utils import timezone

from challenges.models import Call
from challenges.services import copy_call_shifted

REAL_CALL_SLUG = "maasland-2023"
DEMO_PASSWORD = "demo-Maasland-2023"
CALL_MANAGER_GROUP = "Call managers"
CALL_MANAGER_APPS = ["challenges", "candidacies", "jury"]


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str
    is_staff: bool = False


DEMO_ACCOUNTS = [
    DemoAccount("beheerder@demo.example", "Liesbet Adams (demo)", "call manager", is_staff=True),
    DemoAccount("aanvrager1@demo.example", "An Aanvrager (demo)", "applicant"),
    DemoAccount("aanvrager2@demo.example", "Bram Bouwer (demo)", "applicant"),
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
    DemoCall("maasland-demo-indiening", "Demo – indiening open", "deadline_in_two_weeks"),
    DemoCall("maasland-demo-pitches", "Demo – pitches deze week", "pitches_this_week"),
    DemoCall("maasland-demo-weerwoord", "Demo – beslissingen vijf dagen geleden verstuurd", "decisions_five_days_ago"),
]


def load_real_call():
    call_command("loaddata", "maasland", verbosity=0)
    return Call.objects.get(slug=REAL_CALL_SLUG)


def seed_demo_calls(real_call, *, today):
    return [
        copy_call_shifted(real_call, slug=demo.slug, subtitle=demo.subtitle, days=demo.shift_days(real_call, today))
        for demo in DEMO_CALLS
    ]


def ensure_call_manager_group():
    group, _created = Group.objects.get_or_create(name=CALL_MANAGER_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=CALL_MANAGER_APPS))
    return group


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
        users[account.email] = user
    return users


def seed(*, today=None):
    today = today or timezone.localdate()
    real_call = load_real_call()
    demo_calls = seed_demo_calls(real_call, today=today)
    users = seed_accounts()
    return {"calls": [real_call, *demo_calls], "users": users}

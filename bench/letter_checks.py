"""The letters' checks of bench/topology.py: what arrived at its SMTP sink per letter (by Message-ID), what the
database owes when letters are missing, and the check rows. Delivery to a mail server is at-least-once and exactly
once per Message-ID (docs/tasks.md), so a letter is mailed once when its one Message-ID arrived and no other."""

import re

import smtp_sink


def letter_deliveries(sink, references):
    """Per candidacy reference, the Message-ID of every letter mail that arrived at the mail server (attachment
    beslissing-REF-N.pdf), one entry per delivery: a resend after a crash repeats its Message-ID."""
    deliveries = {}
    for message in sink.parsed():
        for name in smtp_sink.attachment_names(message):
            found = re.fullmatch(r"beslissing-(.+)-\d+\.pdf", name)
            if found and found[1] in references:
                deliveries.setdefault(found[1], []).append(smtp_sink.message_id(message))
    return deliveries


def letter_message_ids(decisions):
    """Per candidacy reference, the Message-ID its letter's outbox row gives its mail (jury/emails.py); None for a
    decision without a letter yet."""
    from jury.models import DecisionLetter
    from mailtemplates.sending import outbox_message_id

    message_ids = dict.fromkeys(decision.candidacy.reference for decision in decisions)
    for letter in DecisionLetter.objects.filter(decision__in=decisions).select_related("decision__candidacy"):
        message_ids[letter.decision.candidacy.reference] = outbox_message_id("letter", letter.pk, letter.number)
    return message_ids


def owed_letters_report(topology, decisions, deliveries):
    """What to look at when letters did not arrive in time: each owed letter's state in the database, the broker's
    queue and unacknowledged tasks, and the tail of the worker's log."""
    import redis
    from django.db import DatabaseError

    from jury.models import Decision, DecisionLetter

    lines = ["letters still owed (reference: decision communicated_at; letter pk, number, sent_at, mailed_at):"]
    try:
        for decision in Decision.objects.filter(pk__in=[d.pk for d in decisions]).select_related("candidacy"):
            reference = decision.candidacy.reference
            if reference in deliveries:
                continue
            letters = DecisionLetter.objects.filter(decision=decision).order_by("number")
            state = "; ".join(f"{one.pk}, {one.number}, {one.sent_at}, {one.mailed_at}" for one in letters)
            lines.append(f"  {reference}: {decision.communicated_at}; {state or 'no letter'}")
    except DatabaseError as error:
        lines.append(f"  the database does not answer: {error}")
    broker = redis.Redis.from_url(topology.environment["CELERY_BROKER_URL"])
    lines.append(
        f"broker: {broker.llen('celery')} tasks queued, {broker.hlen('unacked')} unacknowledged "
        f"(handed out again after CELERY_VISIBILITY_TIMEOUT={topology.environment['CELERY_VISIBILITY_TIMEOUT']} s)"
    )
    lines.append("the worker's log, last 40 lines:")
    lines.extend(f"  {line}" for line in topology.worker.log_text().splitlines()[-40:])
    return "\n".join(lines)


def letter_rows(deliveries, message_ids, figures, total):
    """The letters' check rows and what is broken. A letter is mailed once when its one Message-ID (its row's)
    arrived and no other: delivery to the mail server is at-least-once (a crash between the server's "250" and the
    commit resends the same Message-ID), so repeated deliveries of one Message-ID are counted on rows of their own,
    not as a failure (docs/tasks.md)."""
    once = sum(1 for reference, wanted in message_ids.items() if set(deliveries.get(reference, ())) == {wanted})
    missing = sum(1 for reference in message_ids if not deliveries.get(reference))
    other = sum(1 for reference, wanted in message_ids.items() if set(deliveries.get(reference, ())) - {wanted})
    # A letter the database does not hold (wanted None) but that arrived counts as another Message-ID.
    raw = sum(len(ids) for ids in deliveries.values())
    distinct = sum(len(set(ids)) for ids in deliveries.values())
    before = figures["mailed before SIGKILL"]
    rows = [
        ["letters mailed before the worker's SIGKILL", before],
        [
            "seconds from queuing the batch: SIGKILL / all letters mailed",
            f"{figures['SIGKILL after s']:.1f} / {figures['all mailed after s']:.1f}",
        ],
        [
            "letters mailed once after SIGKILL (their one Message-ID)",
            f"{once} of {total} (missing {missing}, another Message-ID {other})",
        ],
        ["letter mails delivered to the mail server (raw)", raw],
        ["repeated deliveries of one Message-ID (at-least-once, not a failure)", raw - distinct],
    ]
    broken = [f"letters: {rows[2][1]}"] if once != total else []
    if total and not 0 < before < total:
        broken.append(f"the SIGKILL was not in the middle of the batch: {before} of {total} letters mailed before it")
    return rows, broken

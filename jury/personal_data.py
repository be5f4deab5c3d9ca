"""The jury app's part of a person's data download: for applicants the communicated decisions on their
organisations' candidacies and the weerwoorden they filed; for jurors their memberships, conflicts and the
scores they gave (never another juror's)."""

from django.db.models import Prefetch

from accounts.personal_data import register
from candidacies import queries as candidacy_queries

from .models import Conflict, Decision, DecisionLetter, JuryMember, Score, ScoreSheet, Weerwoord


@register("decisions")
def decisions(user):
    """Only decisions that were sent: before that the applicant does not see them either."""
    rows = (
        Decision.objects.filter(candidacy__in=candidacy_queries.of_member(user), communicated_at__isnull=False)
        .select_related("candidacy")
        .prefetch_related(
            Prefetch("letters", queryset=DecisionLetter.objects.filter(sent_at__isnull=False).order_by("number", "pk"))
        )
        .order_by("communicated_at", "pk")
    )
    return [
        {
            "candidacy": decision.candidacy.reference,
            "outcome": decision.outcome,
            "motivation": decision.motivation,
            "communicated_at": decision.communicated_at,
            "revised_at": decision.revised_at,
            "letters": [
                {
                    "number": letter.number,
                    "outcome": letter.outcome,
                    "sha256": letter.sha256,
                    "created_at": letter.created_at,
                    "sent_at": letter.sent_at,
                }
                for letter in decision.letters.all()
            ],
        }
        for decision in rows
    ]


@register("weerwoorden")
def weerwoorden(user):
    rows = Weerwoord.objects.filter(filed_by=user).select_related("decision__candidacy").order_by("filed_at", "pk")
    return [
        {
            "candidacy": row.decision.candidacy.reference,
            "text": row.text,
            "attachment_name": row.attachment_name,
            "attachment_size": row.attachment_size,
            "attachment_sha256": row.attachment_sha256,
            "filed_at": row.filed_at,
            "assessment": row.assessment,
            "assessment_motivation": row.assessment_motivation,
            "assessed_at": row.assessed_at,
        }
        for row in rows
    ]


@register("jury")
def jury(user):
    memberships = list(JuryMember.objects.filter(user=user).select_related("call").order_by("call__deadline", "pk"))
    conflicts = Conflict.objects.filter(jury_member__user=user).select_related("candidacy").order_by("created_at", "pk")
    sheets = (
        ScoreSheet.objects.filter(jury_member__user=user)
        .select_related("jury_member__call", "candidacy")
        .prefetch_related(
            Prefetch("scores", queryset=Score.objects.select_related("criterion").order_by("criterion__position", "pk"))
        )
        .order_by("jury_member__call__deadline", "candidacy__reference", "round", "pk")
    )
    return {
        "memberships": [
            {
                "call": member.call.slug,
                "role": member.role,
                "enterprise_numbers": [line.strip() for line in member.enterprise_numbers.splitlines() if line.strip()],
                "invited_at": member.invited_at,
            }
            for member in memberships
        ],
        "conflicts": [
            {
                "candidacy": conflict.candidacy.reference,
                "source": conflict.source,
                "reason": conflict.reason,
                "created_at": conflict.created_at,
            }
            for conflict in conflicts
        ],
        "score_sheets": [
            {
                "call": sheet.jury_member.call.slug,
                "candidacy": sheet.candidacy.reference,
                "round": sheet.round,
                "overall_comment": sheet.overall_comment,
                "submitted_at": sheet.submitted_at,
                "updated_at": sheet.updated_at,
                "scores": [
                    {"criterion": score.criterion.name, "value": score.value, "comment": score.comment}
                    for score in sheet.scores.all()
                ],
            }
            for sheet in sheets
        ],
    }

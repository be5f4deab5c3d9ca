"""Who may do what with organisations and candidacies: one predicate per question."""


def is_member(user, organisation):
    return user.is_authenticated and organisation.memberships.filter(user=user).exists()


def is_call_manager(user):
    return user.is_authenticated and user.is_staff and user.has_perm("candidacies.view_candidacy")

"""Ranking rows with long names and a value near the mean, for the chart's layout tests (jury and e2e)."""

from types import SimpleNamespace

LONG_NAMES = [
    ("Marie-Christine Vandenbroucke-Van Achterberghe", 64.0),
    ("Jurylid Een", 62.5),
    ("An", 100.0),
    ("Bartholomeus Wouters", 0.0),
    ("Jurylid Twee", 52.0),  # its value label, after the bar, used to cross the mean's line (55.7)
]


def ranking_row(names_and_totals):
    """A ranking row as jury.ranking gives it, with only what the chart reads."""
    totals = [
        SimpleNamespace(juror=SimpleNamespace(user=name), total=total, z_score=0.0) for name, total in names_and_totals
    ]
    mean = sum(total for _name, total in names_and_totals) / len(names_and_totals)
    candidacy = SimpleNamespace(
        pk=1, reference="MAAS-2023-001", title="Buddywerk", organisation=SimpleNamespace(name="X")
    )
    return SimpleNamespace(candidacy=candidacy, totals=totals, mean=mean, z_mean=0.0, jurors_counted=len(totals))

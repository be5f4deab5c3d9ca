"""Which needs of the region the candidacies answer: the call's regional challenges, personas, types of service and
municipalities against the candidacies submitted, shortlisted and selected, so the call manager and the chair see
which need no selected project answers yet.

The sets of candidacies (columns) follow the jury's rounds (queries.ROUND_STATUSES):
- submitted: every candidacy the jury assesses in writing (submitted, shortlisted, pitched, selected, not selected);
  drafts, withdrawn and inadmissible candidacies answer nothing;
- shortlisted: every candidacy that went on to the pitches (shortlisted, pitched, selected, not selected);
- selected: the candidacies whose selection has been communicated (status selected).

A regional challenge is weighed by how recognisable the partners of the enrichment session (the verrijking) found it:
its weight is the share of partners who found it recognisable, more recognisable or very recognisable, as a fraction
(48 + 9 + 38 = 95 % gives 0.95). A challenge's weighted score is its number of candidacies times that weight, so a
need the partners all recognise counts fully and one a part of them found less or not recognisable counts less.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from candidacies.models import Candidacy
from jury.models import Round
from jury.queries import ROUND_STATUSES
from maasland import spreadsheets

from .dashboard import changelist_url

CENT = Decimal("0.01")
RECOGNISED_SHARES = ["share_recognisable", "share_more_recognisable", "share_very_recognisable"]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    statuses: tuple


COLUMNS = [
    Column("submitted", _("Submitted"), tuple(ROUND_STATUSES[Round.WRITTEN])),
    Column("shortlisted", pgettext_lazy("coverage", "Shortlisted"), tuple(ROUND_STATUSES[Round.PITCH])),
    Column("selected", _("Selected"), (Candidacy.Status.SELECTED,)),
]


def challenge_weight(challenge):
    """The share of partners who recognised the challenge at all, as a fraction of 1 (see the module's docstring)."""
    return Decimal(sum(getattr(challenge, name) for name in RECOGNISED_SHARES)) / 100


@dataclass(frozen=True)
class Cell:
    count: int
    weighted: Decimal | None  # challenges only: count × weight
    url: str  # the candidacy list filtered on this need and this column's statuses

    @property
    def value(self):
        """What the colour follows: the weighted score for a challenge, the count otherwise."""
        return self.count if self.weighted is None else self.weighted


@dataclass(frozen=True)
class Row:
    group: str
    label: str
    weight: Decimal | None
    cells: list

    @property
    def is_open(self):
        """No selected project answers this need yet."""
        return self.cells[-1].count == 0


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    rows: list


@dataclass(frozen=True)
class Coverage:
    call: object
    groups: list

    @property
    def columns(self):
        return COLUMNS

    @property
    def rows(self):
        return [row for group in self.groups for row in group.rows]

    @property
    def open_rows(self):
        return [row for row in self.rows if row.is_open]


def _counted(queryset, path, call):
    """The queryset with one count per column of the candidacies (of `call`) reached through `path`."""
    return queryset.annotate(
        **{
            f"count_{column.key}": Count(
                path, filter=Q(**{f"{path}__call": call, f"{path}__status__in": column.statuses}), distinct=True
            )
            for column in COLUMNS
        }
    )


def _row(call, group, item, filter_name, weight=None):
    cells = []
    for column in COLUMNS:
        count = getattr(item, f"count_{column.key}")
        url = changelist_url(
            "candidacies_candidacy",
            call__id__exact=call.pk,
            **{f"{filter_name}__id__exact": item.pk},
            status__in=",".join(column.statuses),
        )
        weighted = None if weight is None else (count * weight).quantize(CENT)
        cells.append(Cell(count=count, weighted=weighted, url=url))
    return Row(group=group, label=str(item), weight=weight, cells=cells)


def coverage(call):
    """The matrix of one call in four queries, whatever the number of candidacies."""
    challenges = _counted(call.challenges.all(), "candidacies", call).order_by("number")
    personas = _counted(call.personas.all(), "candidacies", call).order_by("position", "name")
    service_types = _counted(call.service_types.all(), "candidacies", call).order_by("position")
    municipalities = _counted(call.municipalities.all(), "candidacies", call).order_by("position", "name")
    return Coverage(
        call=call,
        groups=[
            Group(
                "challenges",
                _("Regional challenges"),
                [_row(call, "challenges", item, "challenges", challenge_weight(item)) for item in challenges],
            ),
            Group(
                "personas",
                pgettext_lazy("coverage", "Personas"),
                [_row(call, "personas", item, "personas") for item in personas],
            ),
            Group(
                "service_types",
                _("Types of service"),
                [_row(call, "service_types", item, "service_types") for item in service_types],
            ),
            Group(
                "municipalities",
                pgettext_lazy("coverage", "Municipalities"),
                [_row(call, "municipalities", item, "municipalities") for item in municipalities],
            ),
        ],
    )


# The heat map, drawn on the server

# Light to dark; the text on each is chosen for a contrast of at least 4.5:1 (tests/office/test_coverage.py checks).
FILLS = ["#f1f3f5", "#d3e7f0", "#9fcbde", "#2b6e8c", "#163f52"]
TEXT_ON_FILL = ["#212529", "#212529", "#212529", "#ffffff", "#ffffff"]
OPEN_STROKE = "#8b1e3f"
LABEL_WIDTH = 300
CELL_WIDTH = 130
ROW_HEIGHT = 30
HEADER_HEIGHT = 36
GROUP_HEIGHT = 30
LABEL_CHARACTERS = 42


def level(value, highest):
    """0 for nothing, else 1–4 by the value's share of the column's highest."""
    if not value or not highest:
        return 0
    return min(len(FILLS) - 1, max(1, math.ceil(Decimal(4) * Decimal(value) / Decimal(highest))))


def cell_text(cell, is_open):
    text = str(cell.count)
    if cell.weighted is not None:
        text = f"{text} · {number_format(cell.weighted, 2)}"
    if is_open:
        text = gettext("%(count)s (open)") % {"count": text}
    return text


def heat_map(matrix):
    """Coordinates and texts of the SVG, so the template only places them."""
    highest = [max((row.cells[index].value for row in matrix.rows), default=0) for index in range(len(COLUMNS))]
    y = HEADER_HEIGHT
    headers = [
        {"x": LABEL_WIDTH + index * CELL_WIDTH + CELL_WIDTH // 2, "label": column.label}
        for index, column in enumerate(COLUMNS)
    ]
    lines = []
    for group in matrix.groups:
        lines.append({"kind": "group", "y": y, "text_y": y + 20, "label": group.label})
        y += GROUP_HEIGHT
        for row in group.rows:
            cells = []
            for index, cell in enumerate(row.cells):
                cell_level = level(cell.value, highest[index])
                is_open = row.is_open and index == len(COLUMNS) - 1
                cells.append(
                    {
                        "x": LABEL_WIDTH + index * CELL_WIDTH,
                        "text_x": LABEL_WIDTH + index * CELL_WIDTH + CELL_WIDTH // 2,
                        "fill": FILLS[cell_level],
                        "text_fill": TEXT_ON_FILL[cell_level],
                        "text": cell_text(cell, is_open),
                        "is_open": is_open,
                        "url": cell.url,
                    }
                )
            label = row.label if len(row.label) <= LABEL_CHARACTERS else row.label[: LABEL_CHARACTERS - 1] + "…"
            lines.append({"kind": "row", "y": y, "text_y": y + 20, "label": label, "cells": cells})
            y += ROW_HEIGHT
    return {
        "width": LABEL_WIDTH + CELL_WIDTH * len(COLUMNS),
        "height": y,
        "cell_width": CELL_WIDTH,
        "row_height": ROW_HEIGHT,
        "headers": headers,
        "lines": lines,
        "open_stroke": OPEN_STROKE,
    }


# The CSV


def csv_filename(call, at):
    return f"dekking-{call.slug}-{timezone.localtime(at):%Y-%m-%d}.csv"


def csv_header():
    return [
        pgettext("coverage", "Group"),
        pgettext("coverage", "Need"),
        pgettext("coverage", "Weight"),
        *[str(column.label) for column in COLUMNS],
        *[gettext("Weighted: %(column)s") % {"column": column.label} for column in COLUMNS],
        gettext("No selected project yet"),
    ]


def _decimal(value):
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def csv_rows(matrix):
    labels = {group.key: str(group.label) for group in matrix.groups}
    for row in matrix.rows:
        yield [
            labels[row.group],
            row.label,
            _decimal(row.weight),
            *[cell.count for cell in row.cells],
            *[_decimal(cell.weighted) for cell in row.cells],
            gettext("yes") if row.is_open else gettext("no"),
        ]


def csv_response(matrix, at):
    response, writer = spreadsheets.csv_response(csv_filename(matrix.call, at))
    writer.writerow([spreadsheets.cell(value) for value in csv_header()])
    for row in csv_rows(matrix):
        writer.writerow([spreadsheets.cell(value) for value in row])
    return response

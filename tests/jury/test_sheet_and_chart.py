"""The score sheet keeps what a juror typed, in the browser too (a text field, not a number field that drops "7,5"),
and the ranking chart's labels neither collide with the mean line nor get cut off."""

import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from jury.models import Criterion, Score, ScoreSheet
from jury.views.ranking import chart, text_width

from .chart_rows import LONG_NAMES, ranking_row
from .conftest import WRITTEN_ROUND


def score_input(page, criterion):
    """The <input> tag of a criterion's score, as the page renders it."""
    return re.search(rf'<input[^>]*name="score_{criterion.pk}"[^>]*>', page).group(0)


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["abc", "7,5", "7.5"])
@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_a_refused_score_comes_back_as_typed_in_a_text_field_the_browser_keeps(
    maasland_call, candidacies, jurors, typed
):
    client = Client()
    client.force_login(jurors[0].user)
    criteria = list(Criterion.objects.filter(call=maasland_call, round="written"))
    data = {"draft": "1", "overall_comment": ""}
    for criterion in criteria:
        data[f"score_{criterion.pk}"] = "6"
        data[f"comment_{criterion.pk}"] = ""
    data[f"score_{criteria[-1].pk}"] = typed
    response = client.post(reverse("jury:score_sheet", kwargs={"pk": candidacies[0].pk, "round": "written"}), data)
    page = response.content.decode()
    tag = score_input(page, criteria[-1])
    assert (response.status_code, ScoreSheet.objects.count(), Score.objects.count()) == (400, 0, 0)
    assert ('type="text"' in tag, 'inputmode="numeric"' in tag, f'value="{typed}"' in tag) == (True, True, True)
    assert 'aria-invalid="true"' in tag
    assert response.context["form"].errors[f"score_{criteria[-1].pk}"] == [
        f"Geef “{criteria[-1].name}” een geheel getal van 0 tot 10."
    ]


def boxes(geometry):
    """Estimated boxes (left, top, right, bottom) of every label, as jury.views.ranking lays them out."""
    labels = []
    for bar in geometry["bars"]:
        for line in bar["lines"]:
            labels.append(("name", geometry["name_x"] - text_width(line["text"]), line["y"] - 9, geometry["name_x"]))
        labels.append(("value", bar["value_x"] - bar["value_width"], bar["text_y"] - 9, bar["value_x"]))
    half = text_width(geometry["mean_label"]) / 2
    labels.append(
        ("mean", geometry["mean_label_x"] - half, geometry["mean_label_y"] - 9, geometry["mean_label_x"] + half)
    )
    return labels


def test_the_chart_keeps_every_label_clear_of_the_bars_and_the_mean_line_and_inside_the_chart():
    geometry = chart(ranking_row(LONG_NAMES))
    mean_x, plot_right = geometry["mean_x"], geometry["plot_right"]
    labels = boxes(geometry)
    assert [kind for kind, left, top, right in labels if left < 0 or right > geometry["width"]] == []
    assert [kind for kind, left, top, right in labels if kind != "mean" and left <= mean_x <= right] == []
    assert [right for kind, left, top, right in labels if kind == "name" and right > geometry["axis_x"] - 4] == []
    assert [left for kind, left, top, right in labels if kind == "value" and left < plot_right + 4] == []
    mean_label = labels[-1]
    assert mean_label[2] > geometry["plot_bottom"] and geometry["mean_label_y"] <= geometry["height"]
    # The line stops at the plot's bottom, above its label.
    assert geometry["plot_bottom"] < geometry["mean_label_y"] - 9


def test_a_long_name_wraps_on_two_lines_and_ends_in_an_ellipsis_with_the_full_name_kept():
    geometry = chart(ranking_row(LONG_NAMES))
    first = geometry["bars"][0]
    assert [line["text"] for line in first["lines"]] == ["Marie-Christine", "Vandenbroucke-Va…"]
    assert first["juror"] == "Marie-Christine Vandenbroucke-Van Achterberghe"
    assert [line["text"] for line in geometry["bars"][3]["lines"]] == ["Bartholomeus", "Wouters"]
    assert [line["text"] for line in geometry["bars"][1]["lines"]] == ["Jurylid Een"]
    assert geometry["mean_label"] == "gemiddelde 55,7"
    # Rows do not overlap: each bar starts below the previous row's last name line.
    tops = [bar["y"] for bar in geometry["bars"]]
    assert tops == sorted(tops)
    assert all(
        nxt["lines"][0]["y"] - 9 > prev["lines"][-1]["y"]
        for prev, nxt in zip(geometry["bars"], geometry["bars"][1:], strict=False)
    )

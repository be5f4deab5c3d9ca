"""A juror's score sheet on a tablet (768 px): the actions and the live total stay in the viewport while the first and
the last criterion have the focus, and the focused field is never under them; no horizontal scrolling at 768 or
360 px; "7,5" typed in a whole-number field comes back as typed after the refused save. axe-core at each step."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from jury.models import Criterion, JuryMember
from jury.views.ranking import chart
from tests import factories
from tests.jury.chart_rows import LONG_NAMES, ranking_row

from .conftest import call_shifted_to, submitted_candidacy

pytestmark = pytest.mark.sqlite_pass

IN_VIEW = """([selector, barSelector]) => {
    const field = document.querySelector(selector).getBoundingClientRect();
    const bar = document.querySelector(barSelector).getBoundingClientRect();
    return {
        barInViewport: bar.top >= 0 && bar.bottom <= window.innerHeight,
        fieldAboveBar: field.top >= 0 && field.bottom <= bar.top,
        focused: document.activeElement === document.querySelector(selector),
    };
}"""

UNDER_THE_BAR = """(selector) => {
    const field = document.querySelector(selector).getBoundingClientRect();
    const bar = document.querySelector("#sheet-actions").getBoundingClientRect();
    window.scrollBy(0, field.top - bar.top - 8);
}"""


def assert_actions_reachable(page, selector):
    """The field at `selector` has the focus, the action bar is wholly in the viewport and the field is above it."""
    assert page.evaluate(IN_VIEW, [selector, "#sheet-actions"]) == {
        "barInViewport": True,
        "fieldAboveBar": True,
        "focused": True,
    }
    actions = page.locator("#sheet-actions")
    for action in (
        actions.get_by_role("button", name="Opslaan als concept"),
        actions.get_by_role("button", name="Indienen", exact=True),
        actions.get_by_role("link", name="Terug naar de jury"),
    ):
        expect(action).to_be_in_viewport(ratio=1)


def test_the_sheet_keeps_its_actions_in_reach_on_a_tablet_and_keeps_what_was_typed(
    page, live_server, e2e_maasland_call, journey, log_in
):
    call = call_shifted_to(
        e2e_maasland_call, slug="e2e-tablet", first_pitch_day=timezone.localdate() + datetime.timedelta(days=5)
    )
    candidacy = submitted_candidacy(call, "De Brug")
    juror = JuryMember.objects.create(call=call, user=factories.user("jurylid@example.org", full_name="Jurylid Een"))
    criteria = list(Criterion.objects.filter(call=call, round="written"))
    first, last = (f"#id_score_{criteria[0].pk}", f"#id_score_{criteria[-1].pk}")
    log_in(juror.user)
    page.set_viewport_size({"width": 768, "height": 1024})
    page.emulate_media(reduced_motion="reduce")  # Bootstrap's smooth scrolling off: the focus scrolls at once
    journey.visit(page, reverse("jury:score_sheet", kwargs={"pk": candidacy.pk, "round": "written"}), "sheet-768")
    assert page.evaluate("document.documentElement.scrollWidth") <= 768

    # Keyboard only: from the first criterion's score to the last one's, the actions stay in reach.
    page.locator(first).focus()
    assert_actions_reachable(page, first)
    page.keyboard.type("8")
    for criterion in criteria[1:]:
        if criterion == criteria[-1]:
            # The hard case: the last score lies in the viewport but under the bar when the focus reaches it.
            page.evaluate(UNDER_THE_BAR, last)
        page.keyboard.press("Tab")  # the comment of the criterion before
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == f"id_score_{criterion.pk}"
        page.keyboard.type("7")
    assert_actions_reachable(page, last)
    page.keyboard.press("Backspace")
    page.keyboard.type("7,5")
    expect(page.locator("#sheet-total")).to_have_text("nog niet elk criterium heeft een score")

    # A Belgian decimal comma in a whole-number scale: refused at the field, kept as typed, nothing lost.
    page.locator("#sheet-actions").get_by_role("button", name="Opslaan als concept").click()
    expect(page.locator(last)).to_have_value("7,5")
    expect(page.locator(first)).to_have_value("8")
    expect(page.locator(f"#error_1_id_score_{criteria[-1].pk}")).to_have_text(
        f"Geef “{criteria[-1].name}” een geheel getal van 0 tot 10."
    )
    journey.check(page, "sheet-768-refused")

    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator(last).focus()
    assert_actions_reachable(page, last)
    journey.check(page, "sheet-360-refused")


CHART_BOXES = """() => {
    const svg = document.querySelector("svg");
    const box = (element) => { const b = element.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; };
    const line = svg.querySelector(".chart-mean");
    return {
        view: svg.viewBox.baseVal.width,
        height: svg.viewBox.baseVal.height,
        meanX: line.x1.baseVal.value,
        lineBottom: line.y2.baseVal.value,
        plotLeft: svg.querySelector("rect").x.baseVal.value,
        names: [...svg.querySelectorAll(".chart-name")].map(box),
        values: [...svg.querySelectorAll(".chart-value")].map(box),
        bars: [...svg.querySelectorAll("rect")].map(box),
        meanLabel: box(svg.querySelector(".chart-mean-label")),
        titles: [...svg.querySelectorAll(".chart-name > title")].map((title) => title.textContent),
    };
}"""


def test_the_ranking_charts_labels_touch_neither_the_mean_line_nor_each_other_in_a_real_browser(page):
    """The chart as the ranking page includes it, measured by the browser's own text layout (getBBox)."""
    row = ranking_row(LONG_NAMES)
    with translation.override("nl"):
        html = render_to_string("jury/includes/ranking_chart.html", {"row": row, "chart": chart(row)})
    page.set_content(f'<!doctype html><html lang="nl"><body>{html}</body></html>')
    seen = page.evaluate(CHART_BOXES)
    labels = seen["names"] + seen["values"] + [seen["meanLabel"]]
    outside = [box for box in labels if box[0] < 0 or box[2] > seen["view"] or box[1] < 0 or box[3] > seen["height"]]
    assert outside == []
    assert [box for box in seen["names"] + seen["values"] if box[0] <= seen["meanX"] <= box[2]] == []
    assert [box for box in seen["names"] if box[2] > seen["plotLeft"]] == []
    assert [box for box in seen["values"] if any(box[0] < bar[2] for bar in seen["bars"])] == []
    assert seen["meanLabel"][1] >= seen["lineBottom"]
    rows = sorted(seen["names"], key=lambda box: box[1])
    assert [(a, b) for a, b in zip(rows, rows[1:], strict=False) if a[3] > b[1]] == []
    assert seen["titles"] == [name for name, _total in LONG_NAMES]

"""The chair's coverage of the region's needs in the portal, in a real browser: the table keeps its columns (each
cell stands under its header), and the page passes axe-core (journey.check)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .conftest import chair_of

pytestmark = pytest.mark.sqlite_pass

# For each row of figures: the cells whose left or right edge is not that of their column's header (in CSS pixels).
MISALIGNED_CELLS = """() => {
    const table = document.getElementById("coverage-table");
    const headers = [...table.querySelectorAll("thead tr:last-child th")].map(th => th.getBoundingClientRect());
    const rows = [...table.querySelectorAll("tbody tr")].filter(row => row.cells.length === headers.length);
    const wrong = [];
    rows.forEach((row, rowIndex) => [...row.cells].forEach((cell, index) => {
        const box = cell.getBoundingClientRect();
        if (Math.abs(box.left - headers[index].left) > 1 || Math.abs(box.right - headers[index].right) > 1) {
            wrong.push(`row ${rowIndex} cell ${index}: ${box.left}-${box.right}, header ${headers[index].left}-`
                + `${headers[index].right}`);
        }
    }));
    return {rows: rows.length, columns: headers.length, wrong: wrong};
}"""


def test_each_cell_of_the_chairs_coverage_table_stands_under_its_header(page, e2e_maasland_call, journey, log_in):
    chair = chair_of(e2e_maasland_call)
    log_in(chair.user)

    journey.visit(page, reverse("office_portal:coverage", args=[e2e_maasland_call.slug]), "coverage")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dekking van de noden van de regio")
    layout = page.evaluate(MISALIGNED_CELLS)

    # The real call: the needs of its challenges, personas and service types, each a row under the same columns.
    assert (layout["rows"] > 10, layout["columns"] > 3, layout["wrong"]) == (True, True, [])

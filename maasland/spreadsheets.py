"""CSV and XLSX files as Belgian Excel opens them: UTF-8 with BOM, semicolons, real dates and numbers, and no cell
that Excel runs as a formula (in a CSV a leading quote keeps it text; in an XLSX a text cell is a string cell, shown
as typed)."""

import csv
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from maasland.clock import BRUSSELS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_response(filename):
    """An attachment response and a writer onto it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response.write("\ufeff")
    return response, csv.writer(response, delimiter=";")


def cell(value):
    """For a CSV, where a spreadsheet evaluates what looks like a formula: such text gets a leading quote."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return "" if value is None else value


# Tables written as CSV or XLSX: the exports of the call manager (candidacies/exports.py, office/exports.py).

TEXT, INTEGER, DECIMAL, DATE, MOMENT = "text", "integer", "decimal", "date", "moment"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_FORMATS = {INTEGER: "0", DECIMAL: "#,##0.00", DATE: "yyyy-mm-dd", MOMENT: "yyyy-mm-dd hh:mm:ss"}
XLSX_WIDTH_MIN, XLSX_WIDTH_MAX = 8, 60


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = TEXT
    places: int = 2


@dataclass
class Table:
    """One export: a sheet name, typed columns, and rows of Python values (str, int, Decimal, float, date, an aware
    datetime or None). Moments are shown in Brussels time, in both formats."""

    name: str
    columns: list
    rows: list = field(default_factory=list)

    @property
    def header(self):
        return [str(column.title) for column in self.columns]


def brussels(moment):
    return timezone.localtime(moment, BRUSSELS).replace(tzinfo=None)


def csv_text(column, value):
    """A value as Belgian Excel reads it from a CSV: decimal commas, moments in Brussels time."""
    if value is None or value == "":
        return ""
    if column.kind == DECIMAL:
        rounded = Decimal(repr(value) if isinstance(value, float) else value).quantize(
            Decimal(1).scaleb(-column.places), rounding=ROUND_HALF_UP
        )
        return str(rounded if rounded else abs(rounded)).replace(".", ",")  # never "-0,00"
    if column.kind == MOMENT:
        return brussels(value).strftime("%Y-%m-%d %H:%M:%S")
    if column.kind == DATE:
        return value.isoformat()
    return cell(value)


def table_csv(table, filename):
    response, writer = csv_response(filename)
    writer.writerow([cell(title) for title in table.header])
    for row in table.rows:
        writer.writerow([csv_text(column, value) for column, value in zip(table.columns, row, strict=True)])
    return response


def xlsx_value(column, value):
    """Numbers stay numbers, dates real dates (Brussels time: Excel knows no time zones), text as it is (written as
    a string cell by `text_cells`, so it is never a formula)."""
    if value is None:
        return None
    if column.kind == MOMENT:
        return brussels(value)
    if column.kind == DECIMAL and isinstance(value, float):
        return round(value, column.places)
    return value


def text_cells(row):
    """Every text cell of a row a string cell (data type "s"): openpyxl makes text that starts with "=" a formula."""
    for sheet_cell in row:
        if isinstance(sheet_cell.value, str):
            sheet_cell.data_type = "s"


def xlsx_width(column, values):
    longest = max(
        [len(str(column.title))]
        + [len(str(csv_text(column, value))) for value in values if value is not None and column.kind != TEXT]
        + [max(map(len, str(value).splitlines() or [""])) for value in values if value and column.kind == TEXT]
    )
    return min(max(longest + 2, XLSX_WIDTH_MIN), XLSX_WIDTH_MAX)


def table_xlsx_bytes(table):
    # openpyxl is imported here, not with the module: most processes never write a workbook.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.name[:31]
    sheet.append(table.header)
    for header_cell in sheet[1]:
        header_cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([xlsx_value(column, value) for column, value in zip(table.columns, row, strict=True)])
    for row in sheet.iter_rows():
        text_cells(row)
    for index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        values = [row[index - 1] for row in table.rows]
        sheet.column_dimensions[letter].width = xlsx_width(column, values)
        if column.kind in XLSX_FORMATS:
            for data_cell in sheet[letter][1:]:
                data_cell.number_format = XLSX_FORMATS[column.kind]
    sheet.freeze_panes = "A2"
    if table.rows:
        sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_xlsx(table, filename):
    response = HttpResponse(table_xlsx_bytes(table), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def table_response(table, filename_stem, file_format):
    """The table as `<stem>.csv` or `<stem>.xlsx`."""
    if file_format == "xlsx":
        return table_xlsx(table, f"{filename_stem}.xlsx")
    return table_csv(table, f"{filename_stem}.csv")


def export_stem(call, what, at):
    """`<call reference prefix or slug>-<what>-<YYYY-MM-DD>`, the day in Brussels; "alle" for several calls."""
    call_part = "alle" if call is None else (call.reference_prefix or call.slug)
    return f"{call_part}-{what}-{timezone.localdate(at, BRUSSELS):%Y-%m-%d}"

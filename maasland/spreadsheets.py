"""CSV files as Belgian Excel opens them: UTF-8 with BOM, semicolons, and no cell that Excel runs as a formula."""

import csv

from django.http import HttpResponse
from django.utils.http import content_disposition_header

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_response(filename):
    """An attachment response and a writer onto it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response.write("\ufeff")
    return response, csv.writer(response, delimiter=";")


def cell(value):
    """Text that Excel would read as a formula is kept as text."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return "" if value is None else value

"""Every admin page of the portal that is not a model's, in the namespace `office` (included once, under
`admin/office/`, from maasland/urls.py); staff only, through the admin's login (`admin.site.admin_view`).

The two ways to add a page to admin:
- a page about one model, or one object of it (a form behind an action, a planner, a step of a procedure), goes in
  that model's ModelAdmin.get_urls(), Django's way, and is named `admin:<app>_<model>_<what>`;
- any other page (about a call as a whole, or about several models) is a view in office/admin_views.py with its
  path here, named `office:<what>`.
"""

from django.contrib import admin
from django.urls import path

from . import admin_views

app_name = "office"

urlpatterns = [
    # The coverage of the region's needs, and its CSV.
    path("coverage/<int:call_id>/", admin.site.admin_view(admin_views.coverage), name="coverage"),
    path("coverage/<int:call_id>/csv/", admin.site.admin_view(admin_views.coverage_csv), name="coverage_csv"),
    # The call's Logboek: every step of its procedure (candidacies/logbook.py).
    path("logboek/<int:call_id>/", admin.site.admin_view(admin_views.logbook_page), name="logbook"),
    # A call's exports: the page of links, the pitch schedule as .ics, each spreadsheet as CSV or XLSX.
    path("exports/<int:call_id>/", admin.site.admin_view(admin_views.exports_page), name="exports"),
    path(
        "exports/<int:call_id>/pitchschema.ics",
        admin.site.admin_view(admin_views.export_calendar),
        name="export_calendar",
    ),
    path(
        "exports/<int:call_id>/<slug:what>.<slug:file_format>",
        admin.site.admin_view(admin_views.export_download),
        name="export_download",
    ),
]

"""The call manager's exports of a call (views/exports.py), behind the admin's login."""

from django.contrib import admin
from django.urls import path

from . import exports

app_name = "jury_exports"

urlpatterns = [
    path("<int:call_id>/", admin.site.admin_view(exports.exports_page), name="page"),
    path("<int:call_id>/pitchschema.ics", admin.site.admin_view(exports.calendar), name="calendar"),
    path("<int:call_id>/<slug:what>.<slug:file_format>", admin.site.admin_view(exports.download), name="download"),
]

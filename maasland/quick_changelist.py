"""Changelists for the lists the call manager works in all day: counted without extra queries, rows built in one pass.

Django admin counts a list twice before it reads it (the rows matching the filters, then all rows). A list that fits
on its first page is counted here from the rows read; the total is counted only when a filter or a search is on.

Django admin builds every cell on its own: it looks the column up again (`lookup_field`), renders each row's checkbox
through the form widget templates and reverses each row's link. Here each column is looked up once per page and each
row's cells are joined into one string, with Django's own display functions: the HTML is Django's, cell for cell
(tests/test_quick_changelist.py compares the two). A list that edits rows in place, a popup, or a column this module
does not know (a `__` lookup) gets Django's rows.
"""

import datetime

from django.contrib.admin import FieldListFilter, ModelAdmin, helpers
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
)
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

PK_STAND_IN = "0QuickRowsPk0"
NOWRAP_FIELDS = (models.DateField, models.TimeField, models.ForeignKey)
DATE_TYPES = (datetime.date, datetime.time)


class QuickChangeListMixin:
    """A ModelAdmin whose changelist is counted (QuickChangeList) and whose rows are built by this module
    (`{% quick_result_list %}` in admin/quick_change_list.html)."""

    change_list_template = "admin/quick_change_list.html"
    # The fields the list's rows need (QuerySet.only): a list shows a few columns of rows that hold long texts. None
    # reads every field. A field missing here costs a query per row, which the query count tests see.
    list_only_fields = None

    def get_changelist(self, request, **kwargs):
        return QuickChangeList


class QuickChangeList(ChangeList):
    def get_results(self, request):
        """Django's, except that the first page is read with one row more than fits: if that row is not there, the
        rows read are all there are, and their number is the count. A list that edits rows in place (its formset
        needs a queryset) or asks for another page is counted as Django does. The rows hold `list_only_fields`."""
        if self.list_editable:
            return super().get_results(request)
        fields = self.model_admin.list_only_fields
        every_field = self.queryset
        self.queryset = every_field.only(*fields) if fields else every_field
        try:
            self.get_counted_results(request)
        finally:
            self.queryset = every_field

    def get_counted_results(self, request):
        if self.page_num != 1 or self.show_all:
            return super().get_results(request)
        rows = list(self.queryset[: self.list_per_page + 1])
        if len(rows) > self.list_per_page:
            return super().get_results(request)
        self.paginator = self.model_admin.get_paginator(request, self.queryset, self.list_per_page)
        self.paginator.count = len(rows)  # a cached_property: no COUNT query
        self.result_count = len(rows)
        self.show_full_result_count = self.model_admin.show_full_result_count
        self.full_result_count = None
        if self.show_full_result_count:
            self.full_result_count = self.result_count if self.shows_every_row() else self.root_queryset.count()
        self.show_admin_actions = not self.show_full_result_count or bool(self.full_result_count)
        self.result_list = rows
        self.can_show_all = self.result_count <= self.list_max_show_all
        self.multi_page = False

    def shows_every_row(self):
        """No search, no lookup in the address, and only field filters (which filter nothing without their
        parameter, unlike a SimpleListFilter that may have a default): the list's rows are all the rows."""
        return (
            not self.query
            and not self.get_filters_params()
            and all(isinstance(spec, FieldListFilter) for spec in self.filter_specs)
        )


def result_list(cl):
    """The context of Django's `{% result_list %}` (admin/change_list_results.html): each row one cell of joined HTML,
    or Django's own rows when this module cannot build them."""
    headers = list(admin_list.result_headers(cl))
    rows = quick_rows(cl)
    if rows is None:
        rows = list(admin_list.results(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(admin_list.result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for header in headers if header["sortable"] and header["sorted"]),
        "results": rows,
    }


def quick_rows(cl):
    if getattr(cl, "formset", None) is not None or cl.is_popup or cl.to_field:
        return None
    url = change_url_parts(cl)
    columns = []
    first = True
    for index, name in enumerate(cl.list_display):
        linked = link_in_column(first, name, cl)
        tag = None
        if linked:
            tag = "th" if first else "td"
            first = False
        cell = column_cell(cl, index, name, tag, url)
        if cell is None:
            return None
        columns.append(cell)
    return [
        admin_list.ResultList(None, [mark_safe("".join([cell(row) for cell in columns]))]) for row in cl.result_list
    ]


def link_in_column(is_first, name, cl):
    """As Django's items_for_result decides which columns link to the change page."""
    if cl.list_display_links is None:
        return False
    if is_first and not cl.list_display_links:
        return True
    return name in cl.list_display_links


def change_url_parts(cl):
    """The escaped change page link of any row as (before the pk, after it): reversed once, with the list's filters
    kept, instead of once per row. None if the model has no change page, or its keys are not whole numbers (whose
    text reverse() would quote differently)."""
    if not isinstance(cl.lookup_opts.pk, models.IntegerField):
        return None
    try:
        url = reverse(
            f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change",
            args=(PK_STAND_IN,),
            current_app=cl.model_admin.admin_site.name,
        )
    except NoReverseMatch:
        return None
    url = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)
    before, found, after = escape(url).partition(PK_STAND_IN)
    if not found or PK_STAND_IN in after:
        return None
    return before, after


def column_cell(cl, index, name, tag, url):
    """A function that gives one row's cell of the column `name`, as items_for_result would write it."""
    model_admin = cl.model_admin
    empty = model_admin.get_empty_value_display()
    name_class = f"field-{admin_list._coerce_field_name(name, index)}"
    if tag is not None and url is None:
        return None
    if name == "action_checkbox" and type(model_admin).action_checkbox is ModelAdmin.action_checkbox:
        return checkbox_cell()
    try:
        field = _get_non_gfk_field(cl.lookup_opts, name)
    except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
        field = None
    if field is not None and not field.auto_created:
        content = field_content(field, name, empty, avoid_link=tag is not None)
        fixed_class = f"{name_class} nowrap" if isinstance(field, NOWRAP_FIELDS) else name_class
        fixed_classes = {False: f' class="{fixed_class}"', True: f' class="{fixed_class}"'}
    else:
        content = value_content(cl, name, field, empty)
        if content is None:
            return None
        fixed_classes = {False: f' class="{name_class}"', True: f' class="{name_class} nowrap"'}
    failed_class = f' class="{name_class}"'
    if tag is None:

        def cell(row):
            try:
                html, nowrap = content(row)
            except ObjectDoesNotExist:
                return f"<td{failed_class}>{empty}</td>"
            return f"<td{fixed_classes[nowrap]}>{html}</td>"

        return cell
    before, after = url
    pk_name = cl.lookup_opts.pk.attname

    def linked_cell(row):
        try:
            html, nowrap = content(row)
        except ObjectDoesNotExist:
            html, row_class = empty, failed_class
        else:
            row_class = fixed_classes[nowrap]
        href = f"{before}{getattr(row, pk_name)}{after}"
        return f'<{tag}{row_class}><a href="{href}">{html}</a></{tag}>'

    return linked_cell


def checkbox_cell():
    """ModelAdmin.action_checkbox's widget, written out: Django renders a CheckboxInput template per row."""
    label = gettext("Select this object for an action - {}")
    name = helpers.ACTION_CHECKBOX_NAME

    def cell(row):
        return (
            f'<td class="action-checkbox"><input type="checkbox" name="{name}" value="{escape(str(row.pk))}"'
            f' class="action-select" aria-label="{label.format(escape(str(row)))}"></td>'
        )

    return cell


def field_content(field, name, empty, *, avoid_link):
    """A model field's cell: its related object, or display_for_field of its value (each distinct value once)."""
    if isinstance(field.remote_field, models.ManyToOneRel):
        attribute = field.name

        def related(row):
            value = getattr(row, attribute)
            return (empty if value is None else conditional_escape(value)), False

        return related
    shown = {}

    def content(row):
        value = getattr(row, name)
        if isinstance(value, str) and value.strip() == "":
            value = ""
        key = (type(value), value)
        try:
            return shown[key], False
        except KeyError:
            html = shown[key] = conditional_escape(display_for_field(value, field, empty, avoid_link=avoid_link))
        except TypeError:  # not hashable
            html = conditional_escape(display_for_field(value, field, empty, avoid_link=avoid_link))
        return html, False

    return content


def value_content(cl, name, field, empty):
    """A column of a callable, a ModelAdmin method, or an auto-created field such as `id`, shown with
    display_for_value as Django does. None for what only Django's lookup_field knows (properties, `__` lookups)."""
    model_admin = cl.model_admin
    if field is not None:
        attribute = None
    elif callable(name):
        attribute = name
    elif hasattr(model_admin, name) and name != "__str__":
        attribute = getattr(model_admin, name)
    else:
        return None
    empty = getattr(attribute, "empty_value_display", empty)
    boolean = getattr(attribute, "boolean", False)
    shown = {}

    def content(row):
        value = getattr(row, name) if attribute is None else attribute(row)
        if isinstance(value, str) and value.strip() == "":
            value = ""
        nowrap = isinstance(value, DATE_TYPES)
        key = (type(value), value)
        try:
            return shown[key], nowrap
        except KeyError:
            html = shown[key] = conditional_escape(display_for_value(value, empty, boolean))
        except TypeError:  # not hashable
            html = conditional_escape(display_for_value(value, empty, boolean))
        return html, nowrap

    return content

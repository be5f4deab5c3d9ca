"""Sections that a later app adds to a call's public page. challenges may not import those apps (the import order
of docs/architecture.md), so each registers a function here from its AppConfig.ready(): `section(call)` returns the
template to include and its context (a dict with "template"), or None to show nothing. jury/call_page.py adds how
the jury judges (the criteria and weights of both rounds)."""

SECTIONS = []


def register_section(section):
    SECTIONS.append(section)
    return section


def extra_sections(call):
    """The added sections for this call's page, in the order their apps were loaded."""
    return [shown for shown in (section(call) for section in SECTIONS) if shown]

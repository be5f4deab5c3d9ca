"""`{% quick_result_list cl %}`: Django's `{% result_list %}` with the rows of maasland/quick_changelist.py.
`{% quick_nav_sidebar %}`: Django's admin/nav_sidebar.html, rendered once per process for each thing it shows."""

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.template.defaultfilters import urlencode
from django.utils.translation import get_language

from maasland import quick_changelist

register = template.Library()


@register.tag(name="quick_result_list")
def quick_result_list_tag(parser, token):
    return InclusionAdminNode(
        parser, token, func=quick_changelist.result_list, template_name="change_list_results.html", takes_context=False
    )


NAV_SIDEBARS = {}
NAV_SIDEBARS_KEPT = 256


def nav_sidebar_key(context):
    """Everything admin/nav_sidebar.html and admin/app_list.html show: the language, and for each app and model the
    names and links, and whether the page's path holds the link (the current app and model)."""
    path = urlencode(context["request"].path)
    return (
        get_language(),
        tuple(
            (
                app["app_label"],
                app["app_url"],
                str(app["name"]),
                app["app_url"] in path,
                tuple(
                    (
                        model["object_name"],
                        str(model["name"]),
                        model.get("admin_url"),
                        model.get("add_url"),
                        bool(model.get("admin_url")) and model["admin_url"] in path,
                    )
                    for model in app["models"]
                ),
            )
            for app in context.get("available_apps") or ()
        ),
    )


@register.simple_tag(takes_context=True)
def quick_nav_sidebar(context):
    """The admin's navigation sidebar: the same for every page of the same user rights and language, but Django renders
    its few hundred template nodes on every admin page."""
    key = nav_sidebar_key(context)
    html = NAV_SIDEBARS.get(key)
    if html is None:
        if len(NAV_SIDEBARS) >= NAV_SIDEBARS_KEPT:
            NAV_SIDEBARS.clear()
        html = NAV_SIDEBARS[key] = context.template.engine.get_template("admin/nav_sidebar.html").render(context)
    return html

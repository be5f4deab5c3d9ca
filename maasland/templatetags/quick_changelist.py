"""`{% quick_result_list cl %}`: Django's `{% result_list %}` with the rows of maasland/quick_changelist.py."""

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode

from maasland import quick_changelist

register = template.Library()


@register.tag(name="quick_result_list")
def quick_result_list_tag(parser, token):
    return InclusionAdminNode(
        parser, token, func=quick_changelist.result_list, template_name="change_list_results.html", takes_context=False
    )

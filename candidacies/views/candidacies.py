"""Candidacy views. (Being written.)"""

from django.http import Http404


def _missing(*args, **kwargs):
    raise Http404


candidacy_list = candidacy_create = candidacy_detail = candidacy_update = candidacy_withdraw = _missing
attachment_upload = attachment_download = attachment_delete = receipt_download = _missing

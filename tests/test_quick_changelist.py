"""maasland/quick_changelist.py: its counts are Django admin's counts, its rows Django admin's rows, cell for cell, on
every list of our apps."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.views.main import ChangeList
from django.urls import reverse
from django.utils import translation

from candidacies.models import Attachment, Candidacy
from maasland import quick_changelist
from maasland.clock import BRUSSELS
from tests import factories
from tests.test_admin_changelists import our_models

CANDIDACY_LIST = reverse("admin:candidacies_candidacy_changelist")


@pytest.fixture
def superuser(db):
    return factories.user("beheer@example.org", is_staff=True, is_superuser=True)


def changelist(rf, user, model, *, django=False, **params):
    """The list's ChangeList (Django's own with `django`), as changelist_view makes it."""
    request = rf.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"), params)
    request.user = user
    model_admin = admin.site._registry[model]
    if django:
        model_admin = type(model_admin)(model, admin.site)
        model_admin.get_changelist = lambda request, **kwargs: ChangeList
    cl = model_admin.get_changelist_instance(request)
    cl.formset = None  # as changelist_view sets it for a list that edits no rows in place
    return cl


def counts(cl):
    return {
        "rows": [row.pk for row in cl.result_list],
        "result_count": cl.result_count,
        "full_result_count": cl.full_result_count,
        "show_admin_actions": cl.show_admin_actions,
        "multi_page": cl.multi_page,
        "can_show_all": cl.can_show_all,
        "pages": cl.paginator.num_pages,
    }


def django_rows(cl):
    return ["".join(cells) for cells in admin_list.results(cl)]


def quick_rows(cl):
    rows = quick_changelist.quick_rows(cl)
    return None if rows is None else ["".join(cells) for cells in rows]


def tricky_candidacies(call):
    """Rows with what a cell must escape, empty values, an extension and attachments, one removed."""
    member = factories.user()
    bakker = factories.organisation(member, name='Bakker & Zonen <b>"bv"</b>')
    draft = factories.candidacy(call, bakker, title="<script>alert('x')</script> & co", reference="")
    extended = factories.candidacy(
        call,
        factories.organisation(member, name="Maas   "),
        status=Candidacy.Status.SUBMITTED,
        reference="MAAS-2023-901",
        title="   ",
        submitted_at=datetime.datetime(2023, 3, 26, 2, 30, tzinfo=datetime.UTC),
        extended_until=datetime.datetime(2023, 10, 29, 2, 30, tzinfo=BRUSSELS),
        extension_reason="Ziekte",
    )
    for removed_at in (None, None, datetime.datetime(2023, 5, 1, tzinfo=BRUSSELS)):
        Attachment.objects.create(
            candidacy=extended,
            file="attachments/test/plan.pdf",
            name="plan.pdf",
            kind=Attachment.Kind.PDF,
            size=1234,
            sha256="a" * 64,
            uploaded_by=member,
            removed_at=removed_at,
        )
    return draft, extended


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"status__exact": "submitted"},
        {"q": "MAAS"},
        {"q": "geen-enkele"},
        {"status": "submitted"},
        {"o": "3"},
        {"p": "2"},
        {"all": ""},
    ],
    ids=["plain", "filtered", "searched", "found-nothing", "looked-up", "sorted", "second-page", "show-all"],
)
@pytest.mark.parametrize("per_page", [2, 3, 100])
def test_the_candidacy_list_counts_as_django_does(rf, superuser, maasland_call, monkeypatch, params, per_page):
    tricky_candidacies(maasland_call)
    factories.candidacy(maasland_call, factories.organisation(factories.user()), status=Candidacy.Status.SUBMITTED)
    monkeypatch.setattr(admin.site._registry[Candidacy], "list_per_page", per_page)
    monkeypatch.setattr(type(admin.site._registry[Candidacy]), "list_per_page", per_page)
    if params.get("p") == "2" and per_page == 100:
        params = {}
    quick, django = (
        changelist(rf, superuser, Candidacy, **params),
        changelist(rf, superuser, Candidacy, django=True, **params),
    )
    assert type(quick) is not ChangeList
    assert counts(quick) == counts(django)


def test_the_candidacy_list_is_built_by_the_quick_rows(client, superuser, maasland_call):
    tricky_candidacies(maasland_call)
    client.force_login(superuser)
    response = client.get(CANDIDACY_LIST)
    assert "admin/quick_change_list.html" in [template.name for template in response.templates]
    assert quick_rows(response.context["cl"]) is not None


@pytest.mark.parametrize("language", ["nl-be", "en"])
@pytest.mark.parametrize(
    "params",
    [{}, {"status__exact": "submitted", "o": "-2.5"}, {"q": "Bakker", "call__id__exact": "1"}],
    ids=["plain", "filtered-and-sorted", "searched"],
)
def test_the_quick_rows_of_the_candidacy_list_are_djangos(rf, superuser, maasland_call, language, params):
    tricky_candidacies(maasland_call)
    factories.candidacy(maasland_call, factories.organisation(factories.user()), status=Candidacy.Status.SUBMITTED)
    params = {key: (str(maasland_call.pk) if key == "call__id__exact" else value) for key, value in params.items()}
    with translation.override(language):
        cl = changelist(rf, superuser, Candidacy, **params)
        quick, django = quick_rows(cl), django_rows(cl)
    assert len(django) >= 1
    assert quick == django


def test_the_quick_rows_are_djangos_on_every_list_of_our_apps(rf, superuser, seeded_call):
    tricky_candidacies(seeded_call.call)
    built = []
    with translation.override("nl-be"):
        for model in our_models():
            cl = changelist(rf, superuser, model)
            quick = quick_rows(cl)
            if quick is not None:
                assert (model._meta.label, quick) == (model._meta.label, django_rows(cl))
                built.append(model._meta.label)
    assert len(built) >= 20
    assert "candidacies.Candidacy" in built


def test_a_list_that_edits_rows_in_place_or_a_popup_gets_djangos_rows(rf, superuser, maasland_call):
    tricky_candidacies(maasland_call)
    editing, popup = changelist(rf, superuser, Candidacy), changelist(rf, superuser, Candidacy, _popup="1")
    editing.formset = Candidacy.objects.none()
    assert quick_changelist.quick_rows(changelist(rf, superuser, Candidacy)) is not None
    assert (quick_changelist.quick_rows(editing), quick_changelist.quick_rows(popup)) == (None, None)


def test_the_candidacy_list_reads_only_the_fields_of_its_columns(rf, superuser, maasland_call):
    tricky_candidacies(maasland_call)
    row = changelist(rf, superuser, Candidacy).result_list[0]
    assert {"summary", "approach", "team", "budget_breakdown"} <= row.get_deferred_fields()
    assert {"intro", "deadline"} <= row.call.get_deferred_fields()
    assert "reference" not in row.get_deferred_fields()


@pytest.mark.parametrize("language", ["nl-be", "en"])
def test_the_admin_sidebar_is_djangos_on_every_page_and_rendered_once_per_rights_and_language(
    client, rf, superuser, maasland_call, language
):
    from django.template.loader import render_to_string

    from maasland.templatetags import quick_changelist as tags

    tags.NAV_SIDEBARS.clear()
    client.force_login(superuser)
    client.cookies["django_language"] = language
    pages = [
        CANDIDACY_LIST,
        reverse("admin:candidacies_organisation_changelist"),
        reverse("admin:challenges_call_change", args=[maasland_call.pk]),
        reverse("admin:challenges_call_history", args=[maasland_call.pk]),
    ]
    for path in [*pages, CANDIDACY_LIST]:
        response = client.get(path)
        request = rf.get(path)
        request.user = superuser
        with translation.override(language):
            django = render_to_string(
                "admin/nav_sidebar.html", {"available_apps": admin.site.get_app_list(request), "request": request}
            )
        assert response.status_code == 200
        assert django in response.content.decode()
    assert len(tags.NAV_SIDEBARS) == 3  # the call's change and history pages mark the same model: one sidebar

"""Static files are served without `Access-Control-Allow-Origin`, and the source maps and the manifest that
collectstatic leaves beside them are not served at all: in production (WhiteNoise serving the collected files) and in
development (WhiteNoise finding them in the apps and packages)."""

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_pass]

# A STATIC_ROOT as collectstatic leaves it with the production storage (CompressedManifestStaticFilesStorage): each
# file under its own and its hashed name, Bootstrap's source maps among them, and the manifest at the top. Collecting
# the real files takes minutes; their names are what matters here.
COLLECTED = {
    "bootstrap/css/bootstrap.min.css": "body{}\n/*# sourceMappingURL=bootstrap.min.css.map */",
    "bootstrap/css/bootstrap.min.0123456789ab.css": "body{}\n/*# sourceMappingURL=bootstrap.min.css.0123abcd.map */",
    "bootstrap/css/bootstrap.min.css.map": "{}",
    "bootstrap/css/bootstrap.min.css.0123abcd.map": "{}",
    "bootstrap/js/bootstrap.min.js.map": "{}",
    "staticfiles.json": '{"paths": {}, "version": "1.1", "hash": "0123456789ab"}',
}


@pytest.fixture
def production(settings, tmp_path):
    """WhiteNoise as with DEBUG off: the collected files only, read once when it starts."""
    for name, content in COLLECTED.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content)
    settings.STATIC_ROOT = tmp_path
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    return Client()


@pytest.fixture
def development(settings, tmp_path):
    """WhiteNoise as with DEBUG on (`make run`): files found in the apps and packages at each request."""
    settings.STATIC_ROOT = tmp_path
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    return Client()


def fetch(client, path):
    response = client.get(path)
    if response.streaming:
        b"".join(response.streaming_content)  # read to its end, the test client closes the file
    return response.status_code, response.get("Access-Control-Allow-Origin")


@pytest.mark.parametrize("serving", ["production", "development"])
def test_a_static_file_is_served_without_allowing_other_origins(serving, request):
    client = request.getfixturevalue(serving)
    assert fetch(client, "/static/bootstrap/css/bootstrap.min.css") == (200, None)


def test_in_production_no_source_map_and_no_manifest_is_served(production):
    refused = {path: fetch(production, f"/static/{path}")[0] for path in COLLECTED if path.endswith((".map", ".json"))}
    served = fetch(production, "/static/bootstrap/css/bootstrap.min.0123456789ab.css")
    assert (refused, served) == (dict.fromkeys(refused, 404), (200, None))


def test_in_development_no_source_map_is_served(development):
    paths = ["/static/bootstrap/css/bootstrap.min.css.map", "/static/bootstrap/js/bootstrap.min.js.map"]
    assert [fetch(development, path)[0] for path in paths] == [404, 404]

"""The portal's own settings with one change, for `bench/rush.py --skip-static` only: static URLs without the manifest
of collected files, so a short run (the test of tests/test_bench_scripts.py) need not collect and compress them first,
which takes minutes. The rush fetches no static file."""

from maasland.settings import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405

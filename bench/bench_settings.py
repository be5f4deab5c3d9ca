"""The portal's own settings with one change, for bench/throughput.py only: the URLconf adds a bare view."""

from maasland.settings import *  # noqa: F403

ROOT_URLCONF = "bare_urls"

"""gunicorn's settings for the portal, for every instance: deploy/systemd/maasland-gunicorn@.service starts one per
port (`--bind 127.0.0.1:%i`) and bench/topology.py starts two the same way. The environment file
(deploy/maasland.env.example) sets the portal's settings and GUNICORN_WORKERS.
"""

import os

wsgi_app = "maasland.wsgi:application"
# Sync workers: each serves one request at a time, nginx buffers slow clients in front of them. About two per core.
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
worker_class = "sync"
# A request that takes longer is killed (its worker restarted); nginx waits 125 s (deploy/nginx/maasland.conf).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
# On stop or reload (SIGHUP) a worker finishes its request first.
graceful_timeout = 30
backlog = 2048
# A worker is replaced after this many requests (the jitter keeps them from restarting at once), so memory that a
# large PDF or spreadsheet took is given back.
max_requests = 2000
max_requests_jitter = 200
# nginx writes the access log; errors and tracebacks go to standard error (the journal under systemd).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Only nginx on this host may tell gunicorn the scheme; the portal itself reads X-Forwarded-Proto
# (SECURE_PROXY_SSL_HEADER) and X-Forwarded-For (TRUSTED_PROXIES).
forwarded_allow_ips = "127.0.0.1"

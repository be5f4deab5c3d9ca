"""The Celery app "maasland": the work that leaves the request (mails, receipts, letters, reminders) runs as tasks.

`celery -A maasland worker` runs them and `celery -A maasland beat` starts the ones on a schedule. The project imports
no app: each app's `tasks.py` is found by autodiscovery. Without CELERY_BROKER_URL (the default, `make run` and the
tests) every task runs in the process that queues it (settings: CELERY_TASK_ALWAYS_EAGER), so nothing else is needed.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maasland.settings")

app = Celery("maasland")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

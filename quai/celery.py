"""The Celery application: Redis broker, JSON only, late acks, time limits (see settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quai.settings")

app = Celery("quai")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

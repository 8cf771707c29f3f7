import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
application = get_wsgi_application()

# Everything loaded at start-up (Django, the apps, their modules) lives as long as the worker:
# move it out of the collector's generations so that full collections stop walking it. Full
# collections paused a request ~90 ms every ~15 requests and set the list pages' p95 (issue 12).
gc.collect()
gc.freeze()

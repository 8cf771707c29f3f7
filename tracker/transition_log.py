"""django-fsm-log's storage, able to hold a bulk service's transition logs for one insert.

Outside `collecting()` every transition's StateLog row is saved as it runs, exactly as
django-fsm-log's SimpleBackend does. Inside it (a bulk service: tracker.workflow.run_transitions),
the rows are built the same way — same fields, same values, same moment — and kept in a list
that the service saves with one bulk_create once the transitioned records are saved.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django_fsm_log.backends import SimpleBackend, _pre_transition_callback

_pending: ContextVar[list | None] = ContextVar("pending_state_logs", default=None)


class _Collector:
    """Stands in for StateLog.objects: `create` builds the row and keeps it, unsaved."""

    def __init__(self, pending: list):
        self.pending = pending

    def create(self, **values):
        from django.contrib.contenttypes.models import ContentType
        from django_fsm_log.models import StateLog

        # The same row content_object= would make, without the generic relation's checks.
        obj = values.pop("content_object")
        values["content_type"] = ContentType.objects.get_for_model(obj)
        values["object_id"] = obj.pk
        log = StateLog(**values)
        self.pending.append(log)
        return log


class Backend(SimpleBackend):
    @staticmethod
    def post_transition_callback(sender, instance, name, source, target, **kwargs):
        pending = _pending.get()
        if pending is None:
            return SimpleBackend.post_transition_callback(
                sender, instance=instance, name=name, source=source, target=target, **kwargs
            )
        return _pre_transition_callback(
            sender, instance, name, source, target, _Collector(pending), **kwargs
        )


@contextmanager
def collecting():
    """Transition logs made inside are kept, unsaved, in the list this yields."""
    pending: list = []
    token = _pending.set(pending)
    try:
        yield pending
    finally:
        _pending.reset(token)

"""Background tasks (django-tasks). The immediate backend runs them in-process after commit; in
production the database backend (django-tasks-db) stores them and `db_worker` runs them."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def deliver_lead(delivery_id: int) -> str:
    from .delivery import deliver

    return deliver(delivery_id)


@task()
def send_notice(kind: str, pk: int) -> str:
    """Self-service notices (issue 14): to the coordinators, "taking_leads" (an
    OrganizationChange) or "contact_change" (a ContactChange); to the organization's designated
    address, "thread_answer" (MNsure's Message)."""
    from . import emails
    from .models import ContactChange, Message, OrganizationChange

    if kind == "taking_leads":
        change = OrganizationChange.objects.select_related("organization").get(pk=pk)
        emails.taking_leads_email(change).send()
    elif kind == "contact_change":
        change = ContactChange.objects.select_related("organization", "requested_by").get(pk=pk)
        emails.contact_change_email(change).send()
    elif kind == "thread_answer":
        message = Message.objects.select_related("thread__organization").get(pk=pk)
        emails.thread_answer_email(message).send()
    else:
        raise ValueError(f"No notice called {kind!r}")
    return kind


def enqueue_notice(kind: str, pk: int) -> None:
    """Called after commit. The change is on the organization's page and the coordinators'
    lists whatever happens to the email, so a queue that is down is logged, not raised."""
    try:
        send_notice.enqueue(kind, pk)
    except Exception:
        logger.exception("Could not enqueue the %s notice %s", kind, pk)

"""Background tasks (django-tasks). The immediate backend runs them in-process after commit; in
production the database backend (django-tasks-db) stores them and `db_worker` runs them."""

from django_tasks import task


@task()
def deliver_lead(delivery_id: int) -> str:
    from .delivery import deliver

    return deliver(delivery_id)

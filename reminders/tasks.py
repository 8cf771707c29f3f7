"""The reminder email task (django-tasks; see referrals/tasks.py for the backends)."""

from django_tasks import task


@task()
def send_reminder(reminder_ids: list[int]) -> str:
    from .services import reminder_deliver

    return reminder_deliver(reminder_ids=reminder_ids)

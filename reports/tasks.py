"""Background tasks of the reports app (django-tasks; see referrals/tasks.py for the backends)."""

from django_tasks import task


@task()
def build_export(job_id: int) -> str:
    from .export_jobs import run_export

    return run_export(job_id)

"""The imports run by the task worker (immediately in tests), queued by `services.import_job_start`."""

from django_tasks import task


@task()
def run_project_import(job_id: int) -> None:
    from .services import import_job_run  # the services queue this task: imported when it runs

    import_job_run(job_id)

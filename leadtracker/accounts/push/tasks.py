from django_tasks import task

from leadtracker.accounts.push import sender


@task()
def send_push(
    notification_id: int, kind: str, lead_id: int | None = None, attempt: int = 1, only=None
) -> dict:
    """Push a notification to the member's browsers; a failed send waits and tries again a few
    times (sender.BACKOFF), for the browsers that failed only."""
    done = sender.send(notification_id, kind, lead_id, only)
    when = sender.retry_at(attempt) if done.get("retry") else None
    if when is not None:
        send_push.using(run_after=when).enqueue(notification_id, kind, lead_id, attempt + 1, done["retry"])
        done["retry_at"] = when.isoformat()
    return done

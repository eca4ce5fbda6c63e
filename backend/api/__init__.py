"""REST API blueprints under /api/v1."""

from flask_smorest import Api


def register_api(api: Api) -> None:
    from backend.api import (
        accounts,
        appointments,
        calendar_feeds,
        caregivers,
        checkins,
        courses,
        files,
        milestones,
        mood,
        pauses,
        programmes,
        push,
        reminders,
        report,
        sources,
        supply,
    )

    # A wall-clock time without offset: a plain string in the spec (its pattern says the form), not date-time.
    api.register_field(appointments.LocalDateTime, "string", None)

    for blueprint in (
        accounts.blp,
        courses.blp,
        pauses.blp,
        milestones.blp,
        push.blp,
        reminders.blp,
        appointments.blp,
        sources.blp,
        checkins.blp,
        mood.blp,
        supply.blp,
        report.blp,
        files.blp,
        calendar_feeds.blp,
        programmes.blp,
        caregivers.blp,
    ):
        api.register_blueprint(blueprint, url_prefix="/api/v1")

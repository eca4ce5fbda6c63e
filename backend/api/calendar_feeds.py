"""Calendar feeds: create / list / revoke secret subscription URLs, and the public `.ics` they serve."""

from __future__ import annotations

from flask import Response, url_for
from flask.views import MethodView
from flask_smorest import abort

from backend.api.blueprint import Blueprint
from backend.api.limits import check_feed_cap
from backend.api.owned import COURSE_NOT_FOUND, course_or_404
from backend.api.schemas.record import FeedCreatedSchema, FeedCreateSchema, FeedSchema
from backend.auth import SECURITY, auth_required, current_patient_id
from backend.services import calendar_feeds

blp = Blueprint("calendar_feeds", __name__, description="Calendar feeds (iCalendar subscriptions)")

NOT_FOUND = "No such calendar feed."


@blp.route("/calendar-feeds")
class Feeds(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(FeedCreateSchema)
    @blp.response(201, FeedCreatedSchema)
    @blp.alt_response(404, description=COURSE_NOT_FOUND)
    @blp.alt_response(409, description="The account already holds MAX_CALENDAR_FEEDS_PER_PATIENT feeds.")
    def post(self, data: dict):
        """A new secret feed URL for one course (shown once; `webcal_url` subscribes in one tap).
        At most MAX_CALENDAR_FEEDS_PER_PATIENT feeds (409 beyond)."""
        course = course_or_404(data["course_id"])
        check_feed_cap(current_patient_id())
        feed, token = calendar_feeds.create_feed(current_patient_id(), course, data["include_doses"])
        url = url_for("calendar_feeds.CalendarFile", token=token, _external=True)
        return {
            "id": feed.id,
            "course_id": feed.course_id,
            "include_doses": feed.include_doses,
            "created_at": feed.created_at,
            "last_fetched_at": None,
            "url": url,
            "webcal_url": "webcal://" + url.split("://", 1)[1],
        }

    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(200, FeedSchema(many=True))
    def get(self):
        """This patient's feeds (their URLs are not stored and cannot be shown again)."""
        return calendar_feeds.list_feeds(current_patient_id())


@blp.route("/calendar-feeds/<string:feed_id>")
class FeedById(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(204)
    @blp.alt_response(404, description=NOT_FOUND)
    def delete(self, feed_id: str):
        """Revoke a feed: its URL answers 404 from now on."""
        feed = calendar_feeds.get_feed(current_patient_id(), feed_id)
        if feed is None:
            abort(404, message=NOT_FOUND)
        calendar_feeds.revoke_feed(feed)


@blp.route("/calendar/<string:token>.ics")
class CalendarFile(MethodView):
    @blp.response(200, content_type="text/calendar", description="The course as iCalendar.")
    @blp.doc(
        responses={
            "200": {
                "description": "The course as iCalendar.",
                "content": {"text/calendar": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    )
    @blp.alt_response(404, description=NOT_FOUND)
    def get(self, token: str):
        """The feed itself, for calendar apps: the secret in the URL is the only credential."""
        feed = calendar_feeds.feed_by_token(token)
        if feed is None:
            abort(404, message=NOT_FOUND)
        return Response(
            calendar_feeds.render_feed(feed),
            mimetype="text/calendar",
            headers={
                "Cache-Control": "no-cache, private",
                "Content-Disposition": 'inline; filename="clearcourse.ics"',
            },
        )

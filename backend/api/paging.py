"""Paged lists: at most `limit` items a request, the next page named by `Link: <…>; rel="next"`."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from flask import Response, request
from marshmallow import fields, validate

PAGE_MAX = 100
# A check-in is the heaviest item (a note of up to 2,000 characters and its triage, ~8 KB): a month a page
# keeps the biggest page's work near the other lists' (bench/RESULTS.md §10d).
CHECKINS_PAGE_MAX = 31

LINK_HEADER = {
    "Link": {
        "description": 'When more follow: `<URL of the next page>; rel="next"`.',
        "schema": {"type": "string"},
    }
}


def limit_field(what: str, most: int = PAGE_MAX) -> fields.Integer:
    """The `limit` query field: 1–`most` `what` a page, `most` by default."""
    return fields.Integer(
        load_default=most,
        validate=validate.Range(min=1, max=most),
        metadata={
            "description": f"At most this many {what} (1–{most}, the default); when more follow, "
            'the `Link` header names the next page (`rel="next"`).'
        },
    )


def next_from(day: date | None, query: dict) -> dict[str, str | int] | None:
    """The next page of a list paged by date: from `day` (None: no next page), the same `limit` and `to`."""
    if day is None:
        return None
    following: dict[str, str | int] = {"from": day.isoformat(), "limit": query["limit"]}
    if query.get("to"):
        following["to"] = query["to"].isoformat()
    return following


def link_next(response: Response, following: dict[str, str | int] | None) -> Response:
    """Name the next page (this path with the `following` query) when there is one."""
    if following is not None:
        response.headers["Link"] = f'<{request.path}?{urlencode(following)}>; rel="next"'
    return response

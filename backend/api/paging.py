"""Paged lists: at most `limit` items a request, the next page named by `Link: <…>; rel="next"`."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from flask import Response, request
from marshmallow import fields, validate

PAGE_MAX = 100

LINK_HEADER = {
    "Link": {
        "description": 'When more follow: `<URL of the next page>; rel="next"`.',
        "schema": {"type": "string"},
    }
}


def limit_field(what: str) -> fields.Integer:
    """The `limit` query field: 1–PAGE_MAX `what` a page, PAGE_MAX by default."""
    return fields.Integer(
        load_default=PAGE_MAX,
        validate=validate.Range(min=1, max=PAGE_MAX),
        metadata={
            "description": f"At most this many {what} (1–{PAGE_MAX}, the default); when more follow, "
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

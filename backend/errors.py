"""One JSON error shape for every error: {code, status, message, errors?}."""

from __future__ import annotations

import logging
import traceback

from flask import Flask, jsonify, request
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException, InternalServerError

from backend.i18n import current_locale
from backend.i18n.errors import translate_errors, translate_message

log = logging.getLogger(__name__)

DEFAULT_MESSAGES = {
    400: "The request could not be understood.",
    401: "A valid bearer token is required.",
    404: "Not found.",
    405: "That method is not allowed here.",
    409: "This conflicts with what is already stored.",
    413: "The request body is too large.",
    415: "Send a JSON body with Content-Type: application/json.",
    422: "Some fields are not valid.",
    429: "Too many requests; slow down and try again shortly.",
    500: "Something went wrong on our side.",
}


# Extra keys an abort() may add to the error body (e.g. the id that a 409 collided with).
EXTRA_KEYS = ("existing_id",)


def error_payload(code: int, name: str, message: str | None, errors: dict | None = None) -> dict:
    """The error body, its messages in the reader's language (field names as they are)."""
    language = current_locale()
    text = message or DEFAULT_MESSAGES.get(code, name)
    payload: dict = {"code": code, "status": name, "message": translate_message(text, language)}
    if errors:
        payload["errors"] = translate_errors(errors, language)
    return payload


def handle_http_exception(error: HTTPException):
    """Render any HTTPException (including smorest/webargs aborts) as the one shape."""
    data = getattr(error, "data", None) or {}
    message = data.get("message")
    errors = data.get("errors") or data.get("messages")
    if message is None and error.code not in DEFAULT_MESSAGES:
        message = error.description
    if error.code == 422 and errors and message is None:
        fields = sorted(_field_names(errors))
        if fields:
            message = "Some fields are not valid: " + ", ".join(fields) + "."
    headers = dict(data.get("headers") or {})
    if error.code == 429 and not headers:
        headers = dict(error.get_headers()) if hasattr(error, "get_headers") else {}
        headers.pop("Content-Type", None)
    if error.code == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    payload = error_payload(error.code or 500, error.name, message, errors)
    for extra in EXTRA_KEYS:
        if data.get(extra) is not None:
            payload[extra] = data[extra]
    response = jsonify(payload)
    response.status_code = error.code or 500
    for key, value in headers.items():
        response.headers[key] = value
    return response


def handle_unexpected(error: Exception):
    if isinstance(error, DBAPIError):
        # The driver's message may quote the row (PostgreSQL's "Failing row contains (…)"), keys and
        # all: log the error's class, SQLSTATE and stack only.
        log.error(
            "database error on %s %s: %s (SQLSTATE %s)\n%s",
            request.method,
            request.path,
            type(error.orig).__name__,
            getattr(error.orig, "sqlstate", None),
            "".join(traceback.format_tb(error.__traceback__)),
        )
    else:
        log.exception("unhandled error on %s %s", request.method, request.path)
    return handle_http_exception(InternalServerError())


def _field_names(errors: dict, prefix: str = "") -> list[str]:
    names: list[str] = []
    for location, value in errors.items():
        if isinstance(value, dict):
            key = str(location)
            nested_prefix = (
                "" if key in {"json", "query", "path", "headers"} and not prefix else f"{prefix}{key}."
            )
            names.extend(_field_names(value, nested_prefix))
        else:
            names.append(f"{prefix}{location}")
    return names


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)

"""The language a request's texts are written in: the best match of ``Accept-Language`` (es-MX → es,
de-CH → de, else en) until ``auth_required`` finds the patient's stored choice. Answers that hold texts
say which language with ``Content-Language`` and vary by ``Accept-Language``."""

from __future__ import annotations

from flask import Flask, Response, request

from backend.i18n import best_match, current_locale, set_locale


def _negotiate() -> None:
    set_locale(best_match(request.headers.get("Accept-Language")))


def _label(response: Response) -> Response:
    if request.path.startswith("/api/") and response.mimetype in ("application/json", "application/pdf"):
        response.headers.setdefault("Content-Language", current_locale())
        response.vary.add("Accept-Language")
    return response


def _forget(_exc: BaseException | None) -> None:
    set_locale(None)  # a worker thread's next request starts from its own header


def register(app: Flask) -> None:
    app.before_request(_negotiate)
    app.after_request(_label)
    app.teardown_request(_forget)

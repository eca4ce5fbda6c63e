"""The API's Blueprint: flask-smorest's, reading the body parsed at the edge and requiring it.

`backend.web.guards` parses every write's JSON body once, safely; the arguments parser here takes
that value instead of parsing again. A JSON body argument that is required (the default) answers
422 when the body is empty or missing, instead of validating `{}` (which would, say, erase quiet
hours).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import flask_smorest
from flask_smorest import abort
from marshmallow.utils import missing
from webargs.flaskparser import FlaskParser

from backend.web.guards import parsed_body

BODY_REQUIRED = "Send a JSON body (Content-Type: application/json); this request needs one."


class EdgeParsedArguments(FlaskParser):
    """webargs' Flask parser, with the JSON body taken from the edge instead of parsed again."""

    def _raw_load_json(self, req: Any) -> Any:
        return parsed_body()


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = EdgeParsedArguments()

    def arguments(self, schema: Any, *, location: str = "json", required: bool = True, **kwargs: Any):
        decorate = super().arguments(schema, location=location, required=required, **kwargs)
        if location != "json" or not required:
            return decorate

        def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
            view = decorate(func)

            @wraps(view)
            def needs_body(*args: Any, **kw: Any) -> Any:
                if parsed_body() is missing:
                    abort(422, message=BODY_REQUIRED, errors={"json": {"_schema": [BODY_REQUIRED]}})
                return view(*args, **kw)

            return needs_body

        return decorator

"""Field types shared by the API schemas."""

from __future__ import annotations

import math
import re
from datetime import date, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from marshmallow import Schema, ValidationError, fields, validate

_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
HHMM_PATTERN = _HHMM.pattern

# Every date and date-time the API takes lies in this range (a course, a dose, an appointment…).
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 1, 1)
sane_date = validate.Range(min=EARLIEST_DATE, max=LATEST_DATE)
RANGE_TEXT = f"from {EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}"


class StrictFloat(fields.Float):
    """A JSON number only: strings and booleans are rejected, as are NaN and infinities."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationError("Must be a number.")
        try:
            finite = math.isfinite(value)
        except OverflowError:  # an integer too large for a float
            finite = False
        if not finite:
            raise ValidationError("Must be a finite number.")
        return float(value)


class StrictInteger(fields.Integer):
    """A JSON integer only (no strings, booleans or fractions)."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise ValidationError("Must be an integer.")
        return super()._deserialize(value, attr, data, **kwargs)


class BoundedAwareDateTime(fields.AwareDateTime):
    """An ISO 8601 date-time with an offset, its date within the API's range (so any UTC
    conversion stays far from datetime's limits)."""

    def __init__(self, **kwargs):
        metadata = {"description": f"ISO 8601 with an offset, {RANGE_TEXT}", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        result = super()._deserialize(value, attr, data, **kwargs)
        if not EARLIEST_DATE <= result.date() <= LATEST_DATE:
            raise ValidationError(f"Must be {RANGE_TEXT}.")
        return result


class BoundedDate(fields.Date):
    """An ISO 8601 date within the API's range."""

    def __init__(self, **kwargs):
        metadata = {"description": f"ISO 8601 date, {RANGE_TEXT}", **kwargs.pop("metadata", {})}
        super().__init__(validate=sane_date, metadata=metadata, **kwargs)


class StrictBoolean(fields.Boolean):
    """A JSON true/false only (no "yes", "1", 0 …)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise ValidationError("Must be true or false.")
        return value


class LocalTime(fields.String):
    """A local wall-clock time written "HH:MM" (24-hour)."""

    def __init__(self, **kwargs):
        metadata = {"pattern": HHMM_PATTERN, "example": "08:00", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> time:
        text = super()._deserialize(value, attr, data, **kwargs)
        match = _HHMM.match(text)
        if not match:
            raise ValidationError("Use a 24-hour time written HH:MM, e.g. 08:00.")
        return time(int(match.group(1)), int(match.group(2)))

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        if isinstance(value, time):
            return value.strftime("%H:%M")
        return str(value)


def validate_timezone(name: str) -> None:
    """Accept only IANA zone names that this machine's tz database knows."""
    if not name or name.strip() != name or name.lower() == "localtime":
        raise ValidationError("Use an IANA time zone name such as Europe/Berlin.")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ValidationError(f"Unknown time zone {name!r}; use an IANA name such as Europe/Berlin.") from exc


class TimeZoneName(fields.String):
    def __init__(self, **kwargs):
        super().__init__(validate=validate_timezone, **kwargs)


def _writer(field: fields.Field):
    """A function dumping one value as `field` does, for the field types of the lists dumped this way."""
    if isinstance(field, fields.Nested):
        nested = plain_dumper(field.nested)
        return (lambda v: [nested(x) for x in v]) if field.many else nested
    if isinstance(field, fields.List):
        inner = _writer(field.inner)
        return lambda v: [inner(x) for x in v]
    if isinstance(field, fields.Date | fields.DateTime):
        return lambda v: v.isoformat()
    if isinstance(field, fields.Float):
        return float
    if isinstance(field, fields.String | fields.Integer | fields.Boolean):
        return lambda v: v
    if isinstance(field, fields.Dict):  # of plain strings (a reminder's placeholder values)
        return dict
    raise TypeError(f"no plain dump for {type(field).__name__}")


def plain_dumper(schema: type[Schema] | Schema):
    """`schema`'s dump of a dict written out once: the same keys (a declared field present in the dict)
    and values, without marshmallow's per-field work for every item of a long list."""
    declared = (schema if isinstance(schema, type) else type(schema))._declared_fields
    writers = {key: _writer(field) for key, field in declared.items()}

    def dump(item: dict) -> dict:
        return {
            key: None if item[key] is None else write(item[key])
            for key, write in writers.items()
            if key in item
        }

    return dump

"""Web Push: the VAPID public key, this patient's push subscriptions, and a test notification."""

from __future__ import annotations

import base64
import binascii
from datetime import timedelta

from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app, url_for
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import Schema, ValidationError, fields, validate, validates
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from backend.api.blueprint import Blueprint
from backend.api.limits import too_many
from backend.auth import SECURITY, auth_required, current_device, current_patient_id
from backend.extensions import db
from backend.models import PushSubscription, patient_devices
from backend.models.types import utcnow
from backend.push import DEFAULT_PUSH_SERVICES, EndpointRefused, check_endpoint
from backend.reminders import dispatch
from backend.services import push_tests
from backend.services.window_quota import QuotaSpent

blp = Blueprint("push", __name__, description="Web Push keys, subscriptions and test notifications")

NOT_FOUND = "No such push subscription."


def b64url_decode(text: str) -> bytes:
    """Strict-ish base64url (padding optional); raises ValueError."""
    if not isinstance(text, str) or not text or any(c not in _B64URL for c in text.rstrip("=")):
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(text.rstrip("=") + "=" * (-len(text.rstrip("=")) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64url") from exc


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


class PushKeysSchema(Schema):
    p256dh = fields.String(
        required=True,
        validate=validate.Length(max=128),
        metadata={"description": "base64url of the 65-byte uncompressed P-256 public key"},
    )
    auth = fields.String(
        required=True,
        validate=validate.Length(max=64),
        metadata={"description": "base64url of the 16-byte auth secret"},
    )

    @validates("p256dh")
    def _p256dh(self, value: str, **kwargs) -> None:
        try:
            raw = b64url_decode(value)
        except ValueError:
            raise ValidationError("Must be base64url.") from None
        if len(raw) != 65 or raw[0] != 0x04:
            raise ValidationError("Must be a 65-byte uncompressed P-256 point (starting with 0x04).")
        try:
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
        except ValueError:
            raise ValidationError("This is not a point on the P-256 curve.") from None

    @validates("auth")
    def _auth(self, value: str, **kwargs) -> None:
        try:
            raw = b64url_decode(value)
        except ValueError:
            raise ValidationError("Must be base64url.") from None
        if len(raw) != 16:
            raise ValidationError("Must be 16 bytes.")


class PushSubscriptionInSchema(Schema):
    """The browser's PushSubscription.toJSON()."""

    endpoint = fields.String(required=True, validate=validate.Length(min=1, max=2048))
    expirationTime = fields.Raw(load_default=None, allow_none=True)
    keys = fields.Nested(PushKeysSchema, required=True)
    user_agent = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=255))


class PushSubscriptionChangeSchema(Schema):
    """What the service worker sends after `pushsubscriptionchange`: the old endpoint and the new one."""

    old_endpoint = fields.String(
        required=True,
        allow_none=True,
        validate=validate.Length(min=1, max=2048),
        metadata={"description": "the replaced subscription's endpoint (null when the browser did not say)"},
    )
    subscription = fields.Nested(
        PushSubscriptionInSchema, required=True, metadata={"description": "the new PushSubscription.toJSON()"}
    )


class PushSubscriptionSchema(Schema):
    id = fields.String()
    device_id = fields.String(
        allow_none=True,
        metadata={
            "description": "the linked device that registered it (null: registered before devices "
            "were recorded)"
        },
    )
    current = fields.Method(
        "_current",
        metadata={"type": "boolean", "description": "registered by the device making this request"},
    )
    endpoint_origin = fields.Method("_origin")
    user_agent = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    last_seen_at = fields.AwareDateTime()
    last_success_at = fields.AwareDateTime(allow_none=True)
    last_failure_at = fields.AwareDateTime(allow_none=True)
    last_status = fields.Integer(allow_none=True)
    last_error = fields.String(allow_none=True)

    def _current(self, sub) -> bool:
        return sub.device_id is not None and sub.device_id == current_device().id

    def _origin(self, sub) -> str:
        from urllib.parse import urlsplit

        parts = urlsplit(sub.endpoint)
        return f"{parts.scheme}://{parts.netloc}"


class VapidPublicKeySchema(Schema):
    public_key = fields.String(metadata={"description": "applicationServerKey (base64url)"})


class PushTestResultSchema(Schema):
    subscription_id = fields.String()
    status_code = fields.Integer(allow_none=True)
    ok = fields.Boolean()
    gone = fields.Boolean()
    error = fields.String(allow_none=True)


class PushTestSchema(Schema):
    id = fields.String()
    status = fields.String(
        metadata={"enum": ["queued", "sending", "done"], "description": "done: `results` is filled"}
    )
    created_at = fields.AwareDateTime()
    finished_at = fields.AwareDateTime(allow_none=True)
    results = fields.List(
        fields.Nested(PushTestResultSchema),
        allow_none=True,
        metadata={"description": "one per device, once done (null before)"},
    )
    subscription_id = fields.String(
        allow_none=True, metadata={"description": "the one device tested; null: every device"}
    )


class PushTestRequestSchema(Schema):
    subscription_id = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=36),
        metadata={
            "description": "test only this device's subscription (its Test button); left out: every device"
        },
    )


@blp.route("/push/vapid-public-key")
class VapidPublicKey(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(200, VapidPublicKeySchema)
    def get(self):
        """The server's VAPID public key, for pushManager.subscribe({applicationServerKey})."""
        return {"public_key": dispatch.get_vapid().public_key_b64url}


def _allowlist() -> list[str]:
    configured = current_app.config.get("PUSH_SERVICE_ALLOWLIST") or []
    return [*DEFAULT_PUSH_SERVICES, *configured]


def endpoint_or_422(endpoint: str, field: tuple[str, ...] = ("endpoint",)) -> None:
    """422 naming `field` (a path into the JSON body) unless `endpoint` is a known push service's."""
    try:
        check_endpoint(
            endpoint,
            allow_local=bool(current_app.config.get("PUSH_ALLOW_LOCAL_ENDPOINTS")),
            allowlist=_allowlist(),
        )
    except EndpointRefused as err:
        errors: dict = {field[-1]: [err.reason]}
        for name in reversed(field[:-1]):
            errors = {name: errors}
        abort(422, message=f"This push endpoint is refused: {err.reason}.", errors={"json": errors})


UPSERT_ATTEMPTS = 3
CAREGIVER_ENDPOINT = "This push endpoint is a caregiver's; leave caregiving on this phone first."
MOVE_NEEDS_KEYS = "This push endpoint is registered to another account; it moves only with the same keys."


def _upsert_subscription(data: dict) -> tuple[PushSubscription, bool]:
    """Insert or update by endpoint and commit; IntegrityError when a concurrent insert won.

    An endpoint moves to this patient only when the request proves the same keys (p256dh and auth):
    knowing another patient's endpoint is not enough to take their reminders.
    """
    now = utcnow()
    patient_id = current_patient_id()  # read before any pending change (autoflush)
    device_id = current_device().id
    keys = data["keys"]
    sub = db.session.scalars(
        select(PushSubscription).where(PushSubscription.endpoint == data["endpoint"])
    ).first()
    created = sub is None
    if created:
        limit = current_app.config["MAX_PUSH_SUBSCRIPTIONS_PER_PATIENT"]
        held = db.session.scalar(
            select(func.count())
            .select_from(PushSubscription)
            .where(PushSubscription.patient_id == patient_id, patient_devices())
        )
        if held >= limit:
            abort(
                409,
                message=f"At most {limit} push subscriptions per account; remove an old device's first.",
            )
        sub = PushSubscription(endpoint=data["endpoint"], patient_id=patient_id, created_at=now)
        db.session.add(sub)
    elif sub.caregiver_id is not None:
        abort(409, message=CAREGIVER_ENDPOINT, errors={"json": {"endpoint": [CAREGIVER_ENDPOINT]}})
    elif sub.patient_id != patient_id and (sub.p256dh, sub.auth) != (keys["p256dh"], keys["auth"]):
        abort(409, message=MOVE_NEEDS_KEYS, errors={"json": {"keys": [MOVE_NEEDS_KEYS]}})
    sub.patient_id = patient_id
    sub.device_id = device_id
    sub.p256dh = keys["p256dh"]
    sub.auth = keys["auth"]
    sub.last_seen_at = now
    if data.get("user_agent"):
        sub.user_agent = data["user_agent"]
    db.session.commit()
    return sub, created


OLD_NOT_YOURS = "This device has no push subscription with this endpoint."


def _change_subscription(old_endpoint: str | None, data: dict) -> tuple[PushSubscription, bool]:
    """Swap this device's subscription `old_endpoint` for the new one (see `SubscriptionChange`)."""
    patient_id = current_patient_id()
    device_id = current_device().id
    if old_endpoint is None or old_endpoint == data["endpoint"]:
        return _upsert_subscription(data)
    old = db.session.scalars(
        select(PushSubscription).where(PushSubscription.endpoint == old_endpoint)
    ).first()
    if old is not None and (
        old.patient_id != patient_id or old.device_id not in (None, device_id) or old.caregiver_id is not None
    ):
        abort(404, message=OLD_NOT_YOURS, errors={"json": {"old_endpoint": [OLD_NOT_YOURS]}})
    new = db.session.scalars(
        select(PushSubscription).where(PushSubscription.endpoint == data["endpoint"])
    ).first()
    if old is None or new is not None:
        # Already swapped (a replay from the outbox), the old one retired after a 410, or the app
        # registered the new one at start: register the new one and drop the old one, if any.
        if old is not None:
            db.session.delete(old)
            db.session.flush()
        return _upsert_subscription(data)
    # Swap in place: the same row (id, history, pending deliveries) now points at the new endpoint.
    keys = data["keys"]
    old.endpoint = data["endpoint"]
    old.p256dh = keys["p256dh"]
    old.auth = keys["auth"]
    old.device_id = device_id
    old.last_seen_at = utcnow()
    old.last_status = None
    old.last_error = None
    old.failure_count = 0
    if data.get("user_agent"):
        old.user_agent = data["user_agent"]
    db.session.commit()
    return old, False


@blp.route("/push/subscriptions/change")
class SubscriptionChange(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(PushSubscriptionChangeSchema)
    @blp.response(200, PushSubscriptionSchema, description="Swapped (or already swapped: a replay).")
    @blp.alt_response(
        201, schema=PushSubscriptionSchema, description="The old one was already gone: registered."
    )
    @blp.alt_response(404, description="`old_endpoint` belongs to another device or account.")
    @blp.alt_response(409, description="The new endpoint is another account's, or the cap is reached.")
    @blp.alt_response(422, description="The new endpoint is refused (named in `errors`).")
    def post(self, data: dict):
        """The browser replaced this device's push subscription (`pushsubscriptionchange`): swap it.

        The old endpoint must be this device's own subscription (404 naming `old_endpoint`
        otherwise; nothing changes). The row keeps its id and delivery history and points at the
        new endpoint and keys from now on. Idempotent: sent again (the outbox replays it after a
        lost answer), it finds the new endpoint registered and answers 200. When the old one is
        already gone (the dispatcher retired it after a 404/410) the new one is registered (201).
        """
        new = data["subscription"]
        endpoint_or_422(new["endpoint"], ("subscription", "endpoint"))
        for _attempt in range(UPSERT_ATTEMPTS):
            try:
                sub, created = _change_subscription(data["old_endpoint"], new)
                break
            except IntegrityError:
                db.session.rollback()
        else:
            abort(409, message="This push endpoint is being registered by another request; try again.")
        return sub, (201 if created else 200)


@blp.route("/push/subscriptions")
class Subscriptions(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(PushSubscriptionInSchema)
    @blp.response(
        200, PushSubscriptionSchema, description="Already known: updated (and moved to this patient)."
    )
    @blp.alt_response(201, schema=PushSubscriptionSchema, description="New subscription.")
    @blp.alt_response(409, description="Another account's endpoint without its keys, or the cap reached.")
    def post(self, data: dict):
        """Register (upsert by endpoint) this device's push subscription; send it at every app start.

        The subscription belongs to the calling device: unlinking that device deletes it. An upsert
        from another device of the same patient moves it there; one from another patient moves it
        only with the same keys (409 otherwise). At most MAX_PUSH_SUBSCRIPTIONS_PER_PATIENT (409).
        """
        endpoint_or_422(data["endpoint"])
        for _attempt in range(UPSERT_ATTEMPTS):
            try:
                sub, created = _upsert_subscription(data)
                break
            except IntegrityError:  # the same endpoint registered at the same moment: read it again
                db.session.rollback()
        else:
            abort(409, message="This push endpoint is being registered by another request; try again.")
        return sub, (201 if created else 200)

    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(200, PushSubscriptionSchema(many=True))
    def get(self):
        """This patient's subscriptions with their device, `current` for this device's own, and the last
        delivery success / failure."""
        return db.session.scalars(
            select(PushSubscription)
            .where(PushSubscription.patient_id == current_patient_id(), patient_devices())
            .order_by(PushSubscription.created_at)
        ).all()


@blp.route("/push/subscriptions/<string:subscription_id>")
class SubscriptionById(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(204)
    @blp.alt_response(404, description=NOT_FOUND)
    def delete(self, subscription_id: str):
        """Forget a device's subscription (no more pushes to it)."""
        sub = db.session.get(PushSubscription, subscription_id)
        if sub is None or sub.patient_id != current_patient_id() or sub.caregiver_id is not None:
            abort(404, message=NOT_FOUND)
        db.session.delete(sub)
        db.session.commit()


@blp.route("/push/test")
class PushTestQueue(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(PushTestRequestSchema, required=False)
    @blp.response(202, PushTestSchema, description="Queued (or the test already in flight).")
    @blp.alt_response(404, description="`subscription_id` is not one of this patient's devices.")
    @blp.alt_response(429, description="Too many tests lately; Retry-After says when to ask again.")
    def post(self, data: dict | None = None):
        """Queue a test notification to every device of this patient, or to the one device named by
        `subscription_id`; poll `GET /push/tests/{id}`.

        The reminder worker sends it within about a second (PUSH_TEST_POLL_SECONDS), never this
        request. One test per patient and device set is in flight at a time (asking again returns
        it; an all-devices test in flight covers a one-device request); at most
        PUSH_TESTS_PER_WINDOW per PUSH_TEST_WINDOW_MINUTES (429 with Retry-After beyond).
        """
        config = current_app.config
        limit, minutes = config["PUSH_TESTS_PER_WINDOW"], config["PUSH_TEST_WINDOW_MINUTES"]
        subscription_id = (data or {}).get("subscription_id")
        if subscription_id is not None:
            sub = db.session.get(PushSubscription, subscription_id)
            if sub is None or sub.patient_id != current_patient_id() or sub.caregiver_id is not None:
                abort(404, message=NOT_FOUND, errors={"json": {"subscription_id": [NOT_FOUND]}})
        try:
            test, _created = push_tests.queue_test(
                current_patient_id(), utcnow(), limit, timedelta(minutes=minutes), subscription_id
            )
        except QuotaSpent as refused:
            too_many(refused, "test notifications")
        return test, 202, {"Location": url_for("push.PushTestById", test_id=test.id)}


@blp.route("/push/tests/<string:test_id>")
class PushTestById(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(200, PushTestSchema)
    @blp.alt_response(404, description="No such test.")
    def get(self, test_id: str):
        """A queued test notification: its status and, once done, one result per device."""
        test = push_tests.get_test(current_patient_id(), test_id)
        if test is None:
            abort(404, message="No such test notification.")
        return test

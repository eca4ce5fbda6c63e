"""Web Push: VAPID keys, the SSRF guard for endpoints, and the batch sender.

Framework-free: nothing here imports Flask. The app passes plain config values in.
"""

from .guard import DEFAULT_PUSH_SERVICES, EndpointRefused, check_endpoint
from .sender import PushMessage, PushResult, PushSender, PushTarget, make_topic
from .vapid import VapidKeys, load_vapid, validate_subject

__all__ = [
    "DEFAULT_PUSH_SERVICES",
    "EndpointRefused",
    "PushMessage",
    "PushResult",
    "PushSender",
    "PushTarget",
    "VapidKeys",
    "check_endpoint",
    "load_vapid",
    "make_topic",
    "validate_subject",
]

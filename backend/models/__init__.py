"""SQLAlchemy models, one module per aggregate. Importing this package registers them all."""

from backend.models.caregiver import Caregiver, CaregiverInvite
from backend.models.course import Course, CoursePause, DoseLog, MilestoneAnswer, WeightRecord
from backend.models.jobs import FileJob
from backend.models.patient import DeviceToken, LinkCode, Patient
from backend.models.record import CalendarFeed, CheckIn, MoodCheck, SupplyPickup
from backend.models.reminders import (  # noqa: F401  (reminders, push subscriptions, appointments)
    Appointment,
    PushSubscription,
    PushTest,
    ReminderDelivery,
    ReminderOccurrence,
    ReminderRule,
    ReminderSettings,
    patient_devices,
)
from backend.models.worker import PushServiceAlert, WorkerHeartbeat

__all__ = [
    "CalendarFeed",
    "Caregiver",
    "CaregiverInvite",
    "CheckIn",
    "Course",
    "CoursePause",
    "DeviceToken",
    "DoseLog",
    "FileJob",
    "LinkCode",
    "MilestoneAnswer",
    "MoodCheck",
    "Patient",
    "PushServiceAlert",
    "SupplyPickup",
    "WeightRecord",
    "WorkerHeartbeat",
]

"""The patient's own record, pure: check-in triage, supply arithmetic, the doctor report and the calendar."""

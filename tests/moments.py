"""Hypothesis strategies for moments, shared by the date and timestamp tests."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

# Zones with the awkward offsets: half-hour DST, +05:45, +14, and both DST hemispheres.
ZONES = [
    ZoneInfo("UTC"),
    ZoneInfo("Europe/Athens"),
    ZoneInfo("America/New_York"),
    ZoneInfo("America/Los_Angeles"),
    ZoneInfo("Australia/Lord_Howe"),  # 30-minute DST shift
    ZoneInfo("Asia/Kathmandu"),  # +05:45
    ZoneInfo("Pacific/Kiritimati"),  # +14
]

aware_datetimes = st.datetimes(
    min_value=datetime(1900, 1, 2),
    max_value=datetime(2200, 12, 30),
    timezones=st.sampled_from(ZONES),
    allow_imaginary=False,
)

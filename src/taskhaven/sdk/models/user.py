"""V2 user objects: sign-on, the two-factor challenge, status, profile and statistics."""

from __future__ import annotations

from typing import Any

from pydantic import UUID4, EmailStr

from taskhaven.sdk.models._base import CamelModel


class UserSignOnWithTOTPV2(CamelModel):
    """The sign-on answer for an account with two-factor authentication: a challenge."""

    auth_id: str
    expire_time: int


class UserSignOnV2(CamelModel):
    """The sign-on answer: ``token`` is the cookie ``t`` of every later call."""

    inbox_id: str
    token: str
    user_id: str
    username: EmailStr
    active_team_user: bool
    ds: bool
    free_trial: bool
    freq: str | None = None
    grace_period: bool | None = None
    need_subscribe: bool
    pro: bool
    pro_end_date: str
    pro_start_date: str | None = None
    subscribe_freq: str | None = None
    subscribe_type: str | None = None
    team_pro: bool
    team_user: bool
    user_code: UUID4


class UserStatusV2(CamelModel):
    """``GET user/status``."""

    user_id: str
    user_code: UUID4
    username: EmailStr
    team_pro: bool
    pro_start_date: str | None = None
    pro_end_date: str
    subscribe_type: str | None = None
    subscribe_freq: str | None = None
    need_subscribe: bool
    freq: str | None = None
    inbox_id: str
    team_user: bool
    active_team_user: bool
    free_trial: bool
    pro: bool
    ds: bool
    time_stamp: int
    grace_period: bool | None = None


class UserProfileV2(CamelModel):
    """``GET user/profile`` (``extenalId`` is TickTick's spelling, beside ``externalId``)."""

    etimestamp: Any
    username: EmailStr
    site_domain: str
    created_campaign: str | None
    created_device_info: Any
    filled_password: bool
    account_domain: Any
    extenal_id: Any
    email: Any
    verified_email: bool
    faked_email: bool
    phone: Any
    name: str | None = None
    given_name: Any
    family_name: Any
    link: Any
    picture: str
    gender: Any
    locale: str
    user_code: UUID4
    ver_code: Any
    ver_key: Any
    external_id: Any
    phone_without_country_code: Any
    display_name: str


class TaskCountV2(CamelModel):
    complete_count: int
    not_complete_count: int


class UserStatisticsV2(CamelModel):
    """``GET statistics/general``: scores and counts by day (``YYYYMMDD`` keys)."""

    score: int
    level: int
    yesterday_completed: int
    today_completed: int
    total_completed: int
    score_by_day: dict[str, int]
    task_by_day: dict[str, TaskCountV2]
    task_by_week: dict[str, TaskCountV2]
    task_by_month: dict[str, TaskCountV2]
    today_pomo_count: int
    yesterday_pomo_count: int
    total_pomo_count: int
    today_pomo_duration: int
    yesterday_pomo_duration: int
    total_pomo_duration: int
    pomo_goal: int
    pomo_duration_goal: int
    pomo_by_day: dict[str, Any]
    pomo_by_week: dict[str, Any]
    pomo_by_month: dict[str, Any]

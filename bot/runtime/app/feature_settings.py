"""The slices of `Settings` the features are handed: each feature takes only what it needs."""

from __future__ import annotations

import datetime as dt

from bot.console.settings import ConsoleSettings
from bot.content.settings import ContentSettings
from bot.reporting.settings import ReportSettings
from bot.runtime.config import Settings
from bot.suggestions.settings import SuggestSettings
from knowledge.offices import OfficeDirectory


def report_settings(settings: Settings, offices: OfficeDirectory | None = None) -> ReportSettings:
    """What the report command and the weekly digest read; `offices` names the offices."""
    return ReportSettings(
        faq_path=settings.faq_path,
        zone=settings.office_hours.zone,
        remind_after=dt.timedelta(minutes=settings.remind_after_minutes),
        digest_at=settings.digest_at,
        offices=offices.names() if offices else {},
    )


def suggest_settings(settings: Settings) -> SuggestSettings:
    """What `kb suggest` reads."""
    return SuggestSettings(
        faq_path=settings.faq_path,
        zone=settings.office_hours.zone,
        thresholds=settings.thresholds,
        min_people=settings.learn_min_people,
    )


def console_settings(settings: Settings) -> ConsoleSettings:
    """What the admin console reads (its session key comes from the environment or the data
    dir, like the user-hash salt)."""
    return ConsoleSettings(
        faq_path=settings.faq_path,
        history_dir=settings.data_dir / "faq-history",
        session_key=settings.session_key(),
        zone=settings.office_hours.zone,
        remind_after=dt.timedelta(minutes=settings.remind_after_minutes),
        min_people=settings.learn_min_people,
        session_hours=settings.admin_session_hours,
    )


def content_settings(settings: Settings) -> ContentSettings:
    """What the weekly content kit reads: the report's figures and the office's look."""
    return ContentSettings(
        faq_path=settings.faq_path,
        zone=settings.office_hours.zone,
        remind_after=dt.timedelta(minutes=settings.remind_after_minutes),
        look=settings.content_look,
    )

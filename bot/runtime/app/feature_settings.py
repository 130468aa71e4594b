"""The slices of `Settings` the features are handed: each feature takes only what it needs."""

from __future__ import annotations

import datetime as dt

from bot.reporting.settings import ReportSettings
from bot.runtime.config import Settings
from bot.suggestions.settings import SuggestSettings


def report_settings(settings: Settings) -> ReportSettings:
    """What the report command and the weekly digest read."""
    return ReportSettings(
        faq_path=settings.faq_path,
        zone=settings.office_hours.zone,
        remind_after=dt.timedelta(minutes=settings.remind_after_minutes),
        digest_at=settings.digest_at,
    )


def suggest_settings(settings: Settings) -> SuggestSettings:
    """What `kb suggest` reads."""
    return SuggestSettings(
        faq_path=settings.faq_path,
        zone=settings.office_hours.zone,
        thresholds=settings.thresholds,
        min_people=settings.learn_min_people,
    )

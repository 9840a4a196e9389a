"""A handbook's dates: when it was made and last changed, from the content, never the clock."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from handpress.site.model import Page


def handbook_dates(declared: str | None, pages: list[Page],
                   project: Path) -> tuple[dt.datetime | None, dt.datetime | None]:
    """(created, modified) from the content: the handbook's ``date`` and the pages' ``updated``/``date``.
    Without any, ``SOURCE_DATE_EPOCH``; without that, none: the handbook is undated. Never the clock
    nor file times (a fresh clone would date it today), so a rebuild of the same sources is
    byte-identical wherever it runs."""
    days = [d for d in [parse_date(declared), *(p.updated for p in pages)] if d is not None]
    if days:
        return _midnight(min(days)), _midnight(max(days))
    epoch = source_date_epoch()
    if epoch is None:
        return None, None
    stamp = dt.datetime.fromtimestamp(epoch, dt.timezone.utc)
    return stamp, stamp


def source_date_epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None


def parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()) if value else None
    except ValueError:
        return None


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)

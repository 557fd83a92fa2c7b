"""The date by which a platform should finish a closure: N working days after submission."""
from __future__ import annotations

import datetime as dt


def add_working_days(start: dt.date, days: int) -> dt.date:
    """Monday–Friday count as working days. Public holidays are not known here, so the real
    deadline can fall a little later around Chinese holidays; reports say so."""
    current = start
    added = 0
    while added < days:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            added += 1
    return current

"""Fault knobs that make a local portal behave like a flaky real one."""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass
class Faults:
    latency_ms: int = 0
    error_rate: float = 0.0
    session_expiry_after: int | None = None  # expire the first session that makes more requests (once)
    redesign: bool = False
    seed: int | None = None

    def update(self, changes: dict[str, Any]) -> None:
        """Change knobs in place, so a running portal sees them at once."""
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"unknown fault knobs: {sorted(unknown)}")
        for name, value in changes.items():
            setattr(self, name, _coerce(name, value))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _coerce(name: str, value: Any) -> Any:
    # JSON and argparse hand us loosely typed values; keep the dataclass honest.
    if name == "latency_ms":
        return max(0, int(value))
    if name == "error_rate":
        rate = float(value)
        if not 0.0 <= rate <= 1.0:
            raise ValueError("error_rate must be between 0 and 1")
        return rate
    if name == "redesign":
        return bool(value)
    if value is None:
        return None
    return int(value)


class Chance:
    """The one seeded random source of a portal; threads share it safely."""

    def __init__(self, seed: int | None = None) -> None:
        self._lock = threading.Lock()
        self._random = random.Random(seed)

    def reseed(self, seed: int | None) -> None:
        with self._lock:
            self._random.seed(seed)

    def random(self) -> float:
        with self._lock:
            return self._random.random()

    def randint(self, low: int, high: int) -> int:
        with self._lock:
            return self._random.randint(low, high)

    def digits(self, count: int) -> str:
        with self._lock:
            return "".join(self._random.choice("0123456789") for _ in range(count))

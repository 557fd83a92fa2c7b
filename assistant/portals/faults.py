"""Fault knobs that make a local portal behave like a flaky real one."""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass, fields
from typing import Any

from .web import Request, Response, html_response, json_response

SERVER_BUSY_ZH = "服务器繁忙，请稍后重试"
SERVER_BUSY_EN = "Server busy, please try again later."


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


def server_busy(request: Request) -> Response:
    """What an overloaded gateway answers: 500 with a bilingual message."""
    if request.is_api:
        return json_response({"ok": False, "message": SERVER_BUSY_ZH, "message_en": SERVER_BUSY_EN}, 500)
    return html_response(_BUSY_PAGE, 500)


_BUSY_PAGE = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1">
<link rel="icon" href="data:,">
<title>服务器繁忙</title>
<style>
body {{ margin: 0; font-family: "Noto Sans CJK SC", "PingFang SC", sans-serif; background: #f5f6f8;
  color: #333; display: flex; min-height: 100vh; align-items: center; justify-content: center; }}
.busy {{ text-align: center; padding: 32px; }}
.busy h1 {{ font-size: 18px; font-weight: 500; margin: 16px 0 6px; }}
.busy p {{ color: #999; font-size: 13px; margin: 0 0 24px; }}
.busy button {{ border: 1px solid #1677ff; color: #1677ff; background: #fff; border-radius: 18px;
  padding: 8px 28px; font-size: 14px; }}
</style></head>
<body><div class="busy">
<div style="font-size:40px">⚠</div>
<h1>{SERVER_BUSY_ZH}</h1>
<p>{SERVER_BUSY_EN}</p>
<button type="button" onclick="location.reload()">重新加载</button>
</div></body></html>
"""

"""When a portal's pop-up (advertisement, cookie banner, red packet) shows.

The portal decides, per page view, never the visitor's timing:

- `never`: no pop-up (the default in test mode, so no test races one by chance);
- `always`: on every page view that can have one, at once (it is there when the page is ready);
- `site`: what the real site does, for the demo and the reliability suite: a share of page views,
  after a random delay, both drawn from the portal's seeded random source.

A test pins exactly what it wants through POST /__test__/popups (`PortalClient.set_popups`), until
the next reset: the mode, on which `pages` (paths) only, for the first `times` page views only, after
a fixed `delay_ms`, or only when the pointer reaches the element whose text is `on_hover` (the
pop-up then catches the click that follows, as it does when a real one shows at the wrong moment).
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass

from .faults import POPUP_MODES, Chance


@dataclass(frozen=True)
class Popup:
    """One page view's pop-up: when the page shows it."""

    delay_ms: int = 0  # after the page script runs; 0: at once
    on_hover: str | None = None  # instead of a timer: when the pointer reaches the element with this text


@dataclass(frozen=True)
class PopupPlan:
    show: str
    pages: tuple[str, ...] | None = None
    times: int | None = None
    delay_ms: int = 0
    on_hover: str | None = None

    @classmethod
    def parse(cls, data: dict) -> PopupPlan:
        """The hook's JSON, checked: a wrong value is a 400 with a sentence, never a silent default."""
        unknown = set(data) - {"show", "pages", "times", "delay_ms", "on_hover"}
        if unknown:
            raise ValueError(f"unknown pop-up settings: {sorted(unknown)}")
        show = data.get("show", "always")
        if show not in POPUP_MODES:
            raise ValueError(f"show must be one of {', '.join(POPUP_MODES)}")
        pages = data.get("pages")
        if pages is not None and (not isinstance(pages, list) or not all(isinstance(p, str) for p in pages)):
            raise ValueError("pages must be a list of paths, e.g. [\"/me\"]")
        times = data.get("times")
        if times is not None and (not isinstance(times, int) or times < 0):
            raise ValueError("times must be a whole number, 0 or more")
        delay_ms = data.get("delay_ms", 0)
        if not isinstance(delay_ms, int) or not 0 <= delay_ms <= 60_000:
            raise ValueError("delay_ms must be a whole number of milliseconds from 0 to 60000")
        on_hover = data.get("on_hover")
        if on_hover is not None and (not isinstance(on_hover, str) or not on_hover.strip()):
            raise ValueError("on_hover must be the text of an element on the page")
        return cls(show, None if pages is None else tuple(pages), times, delay_ms, on_hover)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["pages"] = None if self.pages is None else list(self.pages)
        return data


class PopupPolicy:
    """One portal's pop-up: the site's own share and delays, and the plan a test pinned."""

    def __init__(self, share: float, min_delay_ms: int, max_delay_ms: int) -> None:
        self.share, self.min_delay_ms, self.max_delay_ms = share, min_delay_ms, max_delay_ms
        self._lock = threading.Lock()
        self._pinned: PopupPlan | None = None
        self._shown = 0

    def pin(self, plan: PopupPlan) -> None:
        with self._lock:
            self._pinned, self._shown = plan, 0

    def reset(self) -> None:
        with self._lock:
            self._pinned, self._shown = None, 0

    def plan(self, mode: str) -> PopupPlan:
        """What holds now: the pinned plan, else the portal's mode (the `popups` knob)."""
        return self._pinned or PopupPlan(mode)

    def decide(self, path: str, mode: str, chance: Chance) -> Popup | None:
        """This page view's pop-up, or None."""
        with self._lock:
            plan = self._pinned or PopupPlan(mode)
            if plan.show == "never" or (plan.pages is not None and path not in plan.pages):
                return None
            if plan.times is not None and self._shown >= plan.times:
                return None
            if plan.show == "site":
                if self.share <= 0 or (self.share < 1 and chance.random() >= self.share):
                    return None
                popup = Popup(chance.randint(self.min_delay_ms, self.max_delay_ms))
            else:
                popup = Popup(plan.delay_ms, plan.on_hover)
            self._shown += 1
            return popup

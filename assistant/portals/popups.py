"""When a portal's pop-up (advertisement, cookie banner, red packet) shows.

Real sites decide per page view and show it after a delay the visitor cannot
predict. Tests may pin both through POST /__test__/popups (e.g. on every page,
at once) to prove the driver gets past it; a reset restores the randomness.
"""

from __future__ import annotations

from dataclasses import dataclass

from .faults import Chance


@dataclass
class PopupPolicy:
    share: float            # of page views that get the pop-up
    min_delay_ms: int
    max_delay_ms: int

    def __post_init__(self) -> None:
        self._site = (self.share, self.min_delay_ms, self.max_delay_ms)

    def delay(self, chance: Chance) -> int | None:
        """Milliseconds after load when this page view's pop-up shows, or None for no pop-up."""
        if self.share <= 0 or (self.share < 1 and chance.random() >= self.share):
            return None
        return chance.randint(self.min_delay_ms, self.max_delay_ms)

    def pin(self, share: float, delay_ms: int | None = None) -> None:
        if not 0.0 <= share <= 1.0:
            raise ValueError("share must be between 0 and 1")
        self.share = share
        if delay_ms is not None:
            if delay_ms < 0:
                raise ValueError("delay_ms cannot be negative")
            self.min_delay_ms = self.max_delay_ms = delay_ms

    def unpin(self) -> None:
        self.share, self.min_delay_ms, self.max_delay_ms = self._site

    def as_dict(self) -> dict:
        return {"share": self.share, "min_delay_ms": self.min_delay_ms, "max_delay_ms": self.max_delay_ms}

"""Boxes on a slide or page, in EMU (914,400 per inch; 12,700 per point)."""

from __future__ import annotations

from dataclasses import dataclass

EMU_PER_INCH = 914_400
EMU_PER_PT = 12_700
EMU_PER_CM = 360_000

#: The default 16:9 slide (13.333 x 7.5 in) and the DESIGN.md grid.
SLIDE_WIDTH = 12_192_000
SLIDE_HEIGHT = 6_858_000
MARGIN = EMU_PER_INCH // 2


def inches(value: float) -> int:
    return round(value * EMU_PER_INCH)


def points(value: float) -> int:
    return round(value * EMU_PER_PT)


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle: left, top, width, height in EMU."""

    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    def inset(self, dx: int, dy: int | None = None) -> Box:
        dy = dx if dy is None else dy
        return Box(self.left + dx, self.top + dy, self.width - 2 * dx, self.height - 2 * dy)

    def split_columns(self, n: int, gap: int = 0) -> tuple[Box, ...]:
        """``n`` side-by-side boxes of equal width separated by ``gap``."""
        width = (self.width - gap * (n - 1)) // n
        return tuple(
            Box(self.left + i * (width + gap), self.top, width, self.height) for i in range(n)
        )

    def split_rows(self, heights: tuple[int, ...], gap: int = 0) -> tuple[Box, ...]:
        """Stacked boxes of the given heights (the last one takes what is left if 0)."""
        boxes, top = [], self.top
        for i, h in enumerate(heights):
            h = (self.bottom - top) if (h == 0 and i == len(heights) - 1) else h
            boxes.append(Box(self.left, top, self.width, h))
            top += h + gap
        return tuple(boxes)

    def contains(self, other: Box) -> bool:
        return (
            other.left >= self.left
            and other.top >= self.top
            and other.right <= self.right
            and other.bottom <= self.bottom
        )

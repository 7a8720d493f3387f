"""The briefing's charts as PNG images, drawn with Pillow in the briefing's CJK font: a horizontal bar per
county, the bars sorted as ranked, and for the investment rate the line of 序时进度."""

import io
from dataclasses import dataclass
from decimal import Decimal

from PIL import Image, ImageDraw, ImageFont

from .fonts import font_file

SCALE = 2  # drawn at twice the size it is printed, to stay sharp
BAR = "#2f6fb2"
BEHIND = "#c0392b"
MARK = "#e67e22"
INK = "#222222"
GRID = "#dddddd"


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None  # a share: 0.718


def bar_chart(title: str, bars: list[Bar], *, mark: Decimal | None = None, mark_label: str = "") -> bytes:
    """Bars of shares from 0 to 100% (wider when a share passes it), with an optional vertical mark."""
    s = SCALE
    regular = ImageFont.truetype(str(font_file("regular")), 13 * s)
    bold = ImageFont.truetype(str(font_file("bold")), 15 * s)
    longest = max((regular.getlength(b.label) for b in bars), default=0)
    row, label_width, left_pad, width = 26 * s, int(longest) + 16 * s, 12 * s, 760 * s
    top = 44 * s
    height = top + row * max(len(bars), 1) + 30 * s
    plot_left, plot_right = left_pad + label_width, width - 70 * s
    top_value = max([Decimal(1), *(b.value for b in bars if b.value is not None)])
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((left_pad, 10 * s), title, font=bold, fill=INK)

    def x_of(value: Decimal) -> int:
        return plot_left + int((plot_right - plot_left) * float(value / top_value))

    for tick in range(0, int(top_value * 100) + 1, 20):
        x = x_of(Decimal(tick) / 100)
        draw.line([(x, top - 4 * s), (x, height - 26 * s)], fill=GRID, width=s)
        draw.text((x, height - 22 * s), f"{tick}%", font=regular, fill=INK, anchor="ma")
    for i, bar in enumerate(bars):
        y = top + i * row
        draw.text((plot_left - 8 * s, y + row // 2), bar.label, font=regular, fill=INK, anchor="rm")
        if bar.value is None:
            draw.text((plot_left + 4 * s, y + row // 2), "—", font=regular, fill=INK, anchor="lm")
            continue
        behind = mark is not None and bar.value < mark
        draw.rectangle(
            [(plot_left, y + 5 * s), (max(x_of(bar.value), plot_left + s), y + row - 5 * s)],
            fill=BEHIND if behind else BAR,
        )
        text = f"{(bar.value * 100).quantize(Decimal('0.1'))}%"
        draw.text((x_of(bar.value) + 5 * s, y + row // 2), text, font=regular, fill=INK, anchor="lm")
    if mark is not None:
        x = x_of(mark)
        draw.line([(x, top - 6 * s), (x, height - 26 * s)], fill=MARK, width=2 * s)
        draw.text((x + 4 * s, top - 8 * s), mark_label, font=regular, fill=MARK, anchor="ld")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()

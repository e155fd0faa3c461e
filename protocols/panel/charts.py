"""Server-side SVG bar charts (no JavaScript, no CDN): each bar is a link."""

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Bar:
    label: str  # under the bar (may be empty to thin out the axis)
    value: float
    href: str
    title: str  # tooltip and accessible name
    caption: str = ""  # above the bar


def bar_chart(
    bars: list[Bar],
    *,
    title: str,
    max_value: float | None = None,
    height: int = 160,
    bar_width: int = 22,
    gap: int = 6,
    color: str = "#00995d",
) -> SafeString:
    """A responsive (viewBox) vertical bar chart; every bar links to `href`."""
    top, bottom = 20, 24
    width = len(bars) * (bar_width + gap) + gap
    peak = max_value or max((b.value for b in bars), default=0) or 1
    usable = height - top - bottom
    parts = []
    for index, bar in enumerate(bars):
        x = gap + index * (bar_width + gap)
        h = max(0.0, usable * bar.value / peak)
        y = top + usable - h
        parts.append(
            format_html(
                '<a href="{}" aria-label="{}"><title>{}</title>'
                '<rect x="{}" y="{}" width="{}" height="{}" rx="2" fill="{}"></rect>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="transparent"></rect>'
                '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#333">{}</text>'
                '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#555">{}</text></a>',
                bar.href,
                bar.title,
                bar.title,
                x,
                f"{y:.1f}",
                bar_width,
                f"{max(h, 1 if bar.value else 0):.1f}",
                color,
                x,
                top,
                bar_width,
                usable,  # the whole column is clickable, also for zero
                x + bar_width / 2,
                f"{y - 4:.1f}",
                bar.caption,
                x + bar_width / 2,
                height - 8,
                bar.label,
            )
        )
    axis = format_html(
        '<line x1="0" y1="{}" x2="{}" y2="{}" stroke="#999" stroke-width="1"></line>',
        top + usable,
        width,
        top + usable,
    )
    return format_html(
        '<svg class="gpu-chart" viewBox="0 0 {} {}" role="img" aria-label="{}" preserveAspectRatio="xMinYMin meet">'
        "<title>{}</title>{}{}</svg>",
        width,
        height,
        title,
        title,
        axis,
        mark_safe("".join(parts)),  # noqa: S308 — built with format_html
    )

"""Cascade's colours, defined once for the stylesheets, the graph and its legend.

Stdlib only. The graph (`cascade.graph.build`) and its legend read these values directly;
the CSS reads them as custom properties from `static/css/palette.css`, which
`python -m cascade.palette` writes from this module (a test keeps the file in step).
`pairs()` lists every text colour with the backgrounds it is shown on, and every line or
shape that carries meaning with the canvas it is drawn on, so that a test holds each one
to WCAG AA.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass

TEXT = 4.5  # WCAG AA, normal text
GRAPHIC = 3.0  # WCAG AA, large text and the lines and shapes that carry meaning

INK = "#1b2430"
MUTED = "#5b6675"  # secondary text; in the graph also node outlines and faded labels
LINE = "#d9dee5"  # hairlines between things: decoration nobody needs to find an edge by
BOUNDARY = "#858f9c"  # edges that must be seen: form fields, unit boxes, chart axes
PAPER = "#ffffff"
WASH = "#f4f6f9"
ON_SOLID = "#ffffff"  # text on a solid colour (buttons, severity labels, counts)
BRAND = "#1f4e79"
BRAND_2 = "#2f6fa8"  # links and primary buttons
NAV = "#173d60"  # the strip of workspace areas under the top bar
NAV_INK = "#e6eef7"
ACCENT = "#f2b134"  # the amber mark of the current area, on the dark top bar
FOCUS = "#b47b0c"  # the same amber, dark enough for a focus ring on light backgrounds
OK = "#2d794d"  # #2e7d4f fell a hair short of 4.5:1 on the green badge
WARN = "#b7791f"
BAD = "#b42318"
AMBER = "#d47406"  # medium severity and stale translations: outlines and lines
SLATE = "#6b7280"  # low severity: outlines and lines


@dataclass(frozen=True)
class Tone:
    """A badge: text on its background, inside a thin border."""

    text: str
    background: str
    border: str


TONES = {
    "neutral": Tone(MUTED, WASH, LINE),
    "plain": Tone(MUTED, PAPER, LINE),
    "grey": Tone(MUTED, "#f3f4f6", LINE),
    "draft": Tone("#4b5563", "#eef0f3", LINE),
    "blue": Tone("#2d4fa3", "#e8efff", "#c7d6fb"),
    "green": Tone(OK, "#e8f5ee", "#bfe3cd"),
    "red": Tone(BAD, "#fdecea", "#f6c6c0"),
    "amber": Tone("#9a4f00", "#fff4e5", "#fcd9a8"),
    "stale": Tone("#92400e", "#fdf4e3", "#f5d9a8"),
    "unit": Tone(BRAND, "#eef3f9", "#cfdcea"),
    "horizon": Tone("#5b3fa0", "#f5f0ff", "#dcd0f5"),
}


@dataclass(frozen=True)
class Status:
    """A node status: the node's fill in the graph and its badge on the pages."""

    fill: str
    badge: Tone


STATUSES = {
    "draft": Status("#e4e7eb", TONES["draft"]),
    "proposed": Status("#dbe6fb", TONES["blue"]),
    "agreed": Status("#d9f0e1", TONES["green"]),
    "retired": Status("#f4f5f7", TONES["grey"]),
}


@dataclass(frozen=True)
class Severity:
    """A finding severity: `stroke` outlines nodes and marks lists, `solid` is the ground
    of a label or count in white, `text` colours words on paper, `badge` is the soft pill."""

    stroke: str
    solid: str
    text: str
    badge: Tone


SEVERITIES = {
    "high": Severity(BAD, BAD, BAD, TONES["red"]),
    "medium": Severity(AMBER, "#b45309", "#92400e", TONES["amber"]),
    "low": Severity(SLATE, SLATE, SLATE, TONES["grey"]),
}


@dataclass(frozen=True)
class Edge:
    """A kind of line in the graph: its stroke, colour and what the legend says it means."""

    style: str  # solid | bold | dashed | dotted | bold-dashed

    @property
    def graphviz(self) -> str:
        """The style as Graphviz spells it."""
        return "dashed,bold" if self.style == "bold-dashed" else self.style
    colour: str
    label: str


EDGES = {
    "tree": Edge("solid", "#7b8794", "translates (parent → child)"),
    "stale": Edge("bold", AMBER, "stale translation"),
    "depends_on": Edge("dashed", BRAND_2, "depends on (committed)"),
    "awaiting": Edge("dotted", AMBER, "depends on, requested: not committed yet"),
    "declined": Edge("bold-dashed", BAD, "depends on, declined by the other unit"),
    "contributes_to": Edge("dotted", OK, "contributes to"),
}

STANCES = {"support": OK, "question": "#6b8fd6", "concern": AMBER, "blocker": BAD}

# Light grounds that text sits on, beyond paper and wash.
SURFACES = {
    "info": "#eaf2fb", "success": "#e8f5ee", "error": "#fdecea", "warning": "#fdf4e3",
    "notice": "#eef4fb", "acknowledged": "#fafbfc", "code": "#fbfcfd",
    "match": "#fff3c4", "overdue": "#fff6f5", "highlight": "#fff7e0", "chosen": "#eaf2fb",
    "stripe": "#eceff3",
}
MARKS = {"deleted": "#f9d0cb", "inserted": "#c8ebd5"}  # words changed in a diff: ink only
CHANGED = BRAND  # the double outline of a node that changed since the comparison day
CONTEXT_FILL = "#fbfbfc"  # graph nodes shown only as the path to what was filtered for
IQR_FILL = "#c9d6e8"  # the middle half of a range strip (drawn with a brand outline)

# Pulse answers 1–5 (a red–blue diverging scale that stays readable with colour-blindness)
# and the panorama's medians 1.0–5.0 in half steps: (fill, the text drawn on it).
SCALE = {1: ("#b2182b", ON_SOLID), 2: ("#ef8a62", INK), 3: ("#d9d9d9", INK),
         4: ("#67a9cf", INK), 5: ("#2166ac", ON_SOLID)}
HEAT = {10: ("#b2182b", ON_SOLID), 15: ("#c4503c", ON_SOLID), 20: ("#f4a582", INK),
        25: ("#fddbc7", INK), 30: ("#f0f0f0", INK), 35: ("#d1e5f0", INK),
        40: ("#92c5de", INK), 45: ("#4393c3", INK), 50: ("#2166ac", ON_SOLID)}


def properties() -> dict[str, str]:
    """Every colour as a CSS custom property name (without `--`) and its value."""
    props = {"ink": INK, "muted": MUTED, "line": LINE, "boundary": BOUNDARY, "paper": PAPER,
             "wash": WASH, "on-solid": ON_SOLID, "brand": BRAND, "brand-2": BRAND_2,
             "nav": NAV, "nav-ink": NAV_INK, "accent": ACCENT, "focus": FOCUS, "ok": OK,
             "warn": WARN, "bad": BAD, "context-fill": CONTEXT_FILL, "iqr-fill": IQR_FILL}
    props |= {f"surface-{name}": value for name, value in SURFACES.items()}
    props |= {f"mark-{name}": value for name, value in MARKS.items()}
    for name, tone in TONES.items():
        props |= _tone(f"tone-{name}", tone)
    for name, status in STATUSES.items():
        props[f"status-{name}-fill"] = status.fill
        props |= _tone(f"status-{name}", status.badge)
    for name, severity in SEVERITIES.items():
        props |= {f"severity-{name}": severity.stroke, f"severity-{name}-solid": severity.solid,
                  f"severity-{name}-ink": severity.text}
        props |= _tone(f"severity-{name}", severity.badge)
    props |= {f"edge-{name.replace('_', '-')}": edge.colour for name, edge in EDGES.items()}
    props |= {f"stance-{name}": colour for name, colour in STANCES.items()}
    for value, (fill, text) in SCALE.items():
        props |= {f"scale-{value}": fill, f"scale-{value}-text": text}
    for step, (fill, text) in HEAT.items():
        props |= {f"heat-{step}": fill, f"heat-{step}-text": text}
    return props


def _tone(prefix: str, tone: Tone) -> dict[str, str]:
    return {f"{prefix}-text": tone.text, f"{prefix}-bg": tone.background,
            f"{prefix}-border": tone.border}


def stylesheet() -> str:
    """The text of `static/css/palette.css`."""
    lines = [f"  --{name}: {value};" for name, value in properties().items()]
    return ("/* Generated from cascade/palette.py by `python -m cascade.palette"
            " > static/css/palette.css`: edit the module, not this file. */\n"
            ":root {\n" + "\n".join(lines) + "\n}\n")


def pairs() -> Iterator[tuple[str, str, str, float]]:
    """(what, foreground, background, minimum ratio) for everything the app draws."""
    for ground_name, ground in (("paper", PAPER), ("wash", WASH)):
        for name, colour in (("ink", INK), ("muted", MUTED), ("link", BRAND_2),
                             ("brand", BRAND), ("error", BAD), ("ok", OK)):
            yield f"{name} text on {ground_name}", colour, ground, TEXT
        yield f"focus ring on {ground_name}", FOCUS, ground, GRAPHIC
    for name, ground in SURFACES.items():
        for text_name, colour in (("ink", INK), ("muted", MUTED), ("link", BRAND_2)):
            yield f"{text_name} text on the {name} surface", colour, ground, TEXT
    for name, ground in MARKS.items():
        yield f"{name} words in a diff", INK, ground, TEXT
    yield "text on the top bar", ON_SOLID, BRAND, TEXT
    yield "area names on the navigation strip", NAV_INK, NAV, TEXT
    yield "current-area mark on the navigation strip", ACCENT, NAV, GRAPHIC
    yield "primary button", ON_SOLID, BRAND_2, TEXT
    yield "form field borders", BOUNDARY, PAPER, GRAPHIC
    for name, tone in TONES.items():
        yield f"{name} tone", tone.text, tone.background, TEXT
    for name, status in STATUSES.items():
        yield f"{name} badge", status.badge.text, status.badge.background, TEXT
        yield f"label of a {name} node", INK, status.fill, TEXT
    yield "label of a retired node", MUTED, STATUSES["retired"].fill, TEXT
    yield "label of a context node", MUTED, CONTEXT_FILL, TEXT
    yield "outline of a context node", BOUNDARY, PAPER, GRAPHIC
    yield "node outline", MUTED, PAPER, GRAPHIC
    yield "unit names and empty units in the graph", MUTED, PAPER, TEXT
    yield "unit boxes in the graph", BOUNDARY, PAPER, GRAPHIC
    for name, severity in SEVERITIES.items():
        yield f"{name}-severity outline", severity.stroke, PAPER, GRAPHIC
        yield f"{name}-severity label and count", ON_SOLID, severity.solid, TEXT
        yield f"{name}-severity words on paper", severity.text, PAPER, TEXT
        yield f"{name}-severity badge", severity.badge.text, severity.badge.background, TEXT
    for name, edge in EDGES.items():
        yield f"{name} line", edge.colour, PAPER, GRAPHIC
    for name, colour in STANCES.items():
        yield f"{name} share of a stance chart", colour, PAPER, GRAPHIC
    yield "score trend line", BRAND, PAPER, GRAPHIC
    yield "a rule's trend line", BRAND_2, PAPER, GRAPHIC
    yield "middle half of a range strip", BRAND, IQR_FILL, GRAPHIC
    for value, (fill, text) in SCALE.items():
        yield f"count on answer {value}", text, fill, TEXT
    for step, (fill, text) in HEAT.items():
        yield f"median {step / 10:g} in the panorama", text, fill, TEXT


def contrast(first: str, second: str) -> float:
    """The WCAG 2 contrast ratio of two `#rrggbb` colours, from 1 to 21.

    >>> round(contrast("#000000", "#ffffff"), 1)
    21.0
    """
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


if __name__ == "__main__":
    sys.stdout.write(stylesheet())

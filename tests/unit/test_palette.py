"""Colours come from one place and stay legible: every pair cascade.palette defines meets
WCAG AA, the stylesheets use no colour of their own, and the graph draws what it declares."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cascade import palette
from cascade.coherence.model import Node, Snapshot, Unit
from cascade.graph.options import GraphOptions
from tests.unit.test_graph import picture

CSS = Path(__file__).resolve().parents[2] / "static" / "css"
GENERATED = CSS / "palette.css"
HANDWRITTEN = sorted(p for p in CSS.glob("*.css") if p != GENERATED)
HEX = re.compile(r"#[0-9a-fA-F]{3,8}\b")
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
VAR = re.compile(r"var\(--([a-z0-9-]+)\)")


def test_contrast_ratio_follows_the_wcag_formula():
    assert palette.contrast("#000000", "#ffffff") == pytest.approx(21)
    assert palette.contrast("#5b6675", "#5b6675") == pytest.approx(1)
    assert palette.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert palette.contrast("#ffffff", "#777777") == palette.contrast("#777777", "#ffffff")


@pytest.mark.parametrize("what, foreground, background, minimum",
                         [pytest.param(*pair, id=pair[0]) for pair in palette.pairs()])
def test_every_pair_the_palette_defines_meets_wcag_aa(what, foreground, background, minimum):
    ratio = palette.contrast(foreground, background)
    assert ratio >= minimum, f"{what}: {foreground} on {background} is {ratio:.2f}:1"


def test_palette_css_is_generated_from_the_module():
    assert GENERATED.read_text() == palette.stylesheet(), \
        "run `python -m cascade.palette > static/css/palette.css`"


@pytest.mark.parametrize("sheet", HANDWRITTEN, ids=lambda p: p.name)
def test_stylesheets_take_every_colour_from_the_palette(sheet):
    for selector, value in _declarations(sheet):
        assert not HEX.search(value), f"{sheet.name} {selector.strip()}: {value}"


def test_every_custom_property_the_stylesheets_use_is_defined():
    defined = set(palette.properties())
    for sheet in HANDWRITTEN:
        defined |= set(re.findall(r"--([a-z0-9-]+)\s*:", sheet.read_text()))
    used = {name for sheet in HANDWRITTEN for name in VAR.findall(sheet.read_text())}
    assert used - defined == set()


def test_rules_that_set_text_on_a_background_meet_wcag_aa():
    props, checked = palette.properties(), 0
    for sheet in HANDWRITTEN:
        for selector, body in RULE.findall(sheet.read_text()):
            decls = dict(_split(body))
            text = _colour(decls.get("color"), props)
            ground = _colour(decls.get("background", decls.get("background-color")), props)
            if text and ground:
                checked += 1
                ratio = palette.contrast(text, ground)
                assert ratio >= palette.TEXT, f"{selector.strip()}: {ratio:.2f}:1"
    assert checked > 30  # the badges, buttons and labels are all found


def test_the_drawing_keeps_its_words_and_lines_legible():
    units = (Unit("org", "Org"), Unit("team", "Team", "org"), Unit("empty", "Empty", "org"))
    nodes = (Node("top", "Top", "org", revision=2),
             Node("stale", "Stale", "team", "top", parent_revision_seen=1),
             Node("old", "Old", "team", "top", status="retired"),
             Node("kid", "Kid", "team", "old"),
             Node("loose", "Loose", "team"),
             Node("draft", "Draft", "team", "top", status="draft", depends_on=("stale",)))
    snap = Snapshot("w", units=units, nodes=nodes)
    for options in (GraphOptions(), GraphOptions(unit="team")):
        _, _, drawing, _ = picture(snap, options)
        checked = _check_dot(drawing.dot.source)
        assert checked > 10


def _check_dot(source: str) -> int:
    checked = 0
    for line in source.splitlines():
        attrs = dict(re.findall(r'(\w+)="(#[0-9a-f]{6})"', line))
        if "fontcolor" in attrs or "fillcolor" in attrs:
            font = attrs.get("fontcolor", palette.INK)
            fill = attrs.get("fillcolor", palette.PAPER)
            assert palette.contrast(font, fill) >= palette.TEXT, line
            checked += 1
        if "color" in attrs:
            assert palette.contrast(attrs["color"], palette.PAPER) >= palette.GRAPHIC, line
            checked += 1
        for ground, text in re.findall(r'BGCOLOR="(#[0-9a-f]{6})"><FONT COLOR="(#[0-9a-f]{6})"',
                                       line):
            assert palette.contrast(text, ground) >= palette.TEXT, line
            checked += 1
    return checked


def _declarations(sheet: Path):
    for selector, body in RULE.findall(sheet.read_text()):
        for _, value in _split(body):
            yield selector, value


def _split(body: str):
    for declaration in body.split(";"):
        name, _, value = declaration.partition(":")
        if value:
            yield name.strip(), value.strip()


def _colour(value: str | None, props: dict[str, str]) -> str | None:
    """A declaration's colour when it is one palette property (or one hex colour)."""
    if value is None:
        return None
    found = VAR.fullmatch(value)
    if found:
        return props.get(found.group(1))
    return value if re.fullmatch(r"#[0-9a-f]{6}", value) else None

"""DOT source to pictures: dot's SVG made safe to inline and annotated for the page, or PNG.

Graphviz escapes label text, but the SVG that reaches the page is still rebuilt through an
allow-list (elements and attributes that draw, nothing that runs or links), so no title can
carry a script or an event handler in. Layout results are cached under a hash of the DOT
source and format, so the same picture never costs a second dot run.
"""

from __future__ import annotations

import hashlib
import html
import re
import subprocess
import xml.etree.ElementTree as ET
from xml.parsers import expat

from cascade.graph.cache import Cache

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG)
ET.register_namespace("xlink", XLINK)

DRAWING_TAGS = {"svg", "g", "title", "text", "tspan", "path", "polygon", "polyline",
                "ellipse", "rect", "line", "circle", "defs", "linearGradient",
                "radialGradient", "stop"}
DRAWING_ATTRIBUTES = {
    "id", "class", "viewBox", "width", "height", "transform", "points", "d", "cx", "cy",
    "rx", "ry", "r", "x", "y", "x1", "y1", "x2", "y2", "fill", "fill-opacity", "stroke",
    "stroke-width", "stroke-dasharray", "stroke-opacity", "stroke-linecap",
    "stroke-linejoin", "opacity", "text-anchor", "font-family", "font-size", "font-weight",
    "font-style", "text-decoration", "baseline-shift", "preserveAspectRatio", "offset",
    "stop-color", "stop-opacity", "gradientUnits", "gradientTransform", "fx", "fy"}


class RenderError(RuntimeError):
    """dot failed or took too long; the message says which. `crashed`: dot itself gave up
    on this input (a simpler drawing may work), as opposed to running out of time."""

    def __init__(self, message: str, crashed: bool = False) -> None:
        super().__init__(message)
        self.crashed = crashed


def layout(source: str, fmt: str, cache: Cache, timeout: float = 60) -> bytes:
    """dot's output for `source` in `fmt` ("svg", "png"), from the cache when it has it."""
    key = "dot:" + hashlib.sha256(f"{fmt}\0{source}".encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return cached
    output = run_dot(source, fmt, timeout)
    cache.set(key, output)
    return output


def run_dot(source: str, fmt: str, timeout: float = 60) -> bytes:
    """One dot run with a time limit, so a runaway layout cannot hold a worker forever."""
    try:
        done = subprocess.run(["dot", f"-T{fmt}"], input=source.encode(), capture_output=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise RenderError(f"dot took longer than {timeout:g} s") from None
    except FileNotFoundError:
        raise RenderError("Graphviz's dot is not installed (make tools)") from None
    if done.returncode != 0:
        raise RenderError("dot failed: " + done.stderr.decode(errors="replace")[:500],
                          crashed=True)
    return done.stdout


def safe_svg(raw: bytes, meta: dict[str, dict] | None = None, *, inline: bool = True) -> str:
    """dot's SVG holding drawing elements only, with the page's data attributes added.

    dot's output is checked by a streaming parse (`_names_only_drawing`, else
    `_only_drawing`); anything outside the allow-list (which dot does not produce from our
    DOT) sends it through a rebuild that drops it. `inline` drops the fixed size (the page
    scales the picture) and makes nodes focusable.
    """
    drawing_only = _names_only_drawing(raw)
    if drawing_only is None:
        drawing_only = _only_drawing(raw)
    if drawing_only:
        text = raw.decode()
    else:
        root = ET.fromstring(raw)
        _keep_drawing(root)
        text = ET.tostring(root, encoding="unicode")
    text = _COMMENT.sub("", text[text.index("<svg"):])
    if inline:
        text = _SVG_TAG.sub(_inline_root, text, count=1)
    if meta:
        text = _NODE_GROUP.sub(lambda m: _annotated(m, meta, inline), text)
    return text


def _names_only_drawing(raw: bytes) -> bool | None:
    """The allow-list check in one parse with no Python call per element; None when dot's
    fixed prolog is not there (then `_only_drawing` decides).

    With any element handler set, expat interns every element and attribute name it meets
    into `parser.intern`; a handler written in C (`dict.get`) keeps it from calling back
    into Python, so the names are checked once afterwards. Namespaces are declared only as
    the default SVG one or under prefixes for other namespaces, so a name "SVG local" is an
    element of SVG and a bare name an attribute, exactly as `_only_drawing` reads them.
    """
    if _PROLOG.match(raw) is None:
        return None
    problems: list[object] = []
    declared: set[str] = set()

    def declare(prefix: str | None, uri: str) -> None:
        if (prefix is None) != (uri == SVG) or prefix not in (None, "xlink"):
            problems.append(uri)
        declared.update(n for n in (prefix, uri) if n is not None)

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = {}.get
    parser.StartNamespaceDeclHandler = declare
    parser.StartCdataSectionHandler = lambda: problems.append("CDATA")
    parser.ProcessingInstructionHandler = lambda target, data: problems.append(target)
    try:
        parser.Parse(raw, True)
    except expat.ExpatError:
        return False
    if problems:
        return False
    for name in parser.intern.keys() - declared - {None}:
        namespace, _, local = name.rpartition(" ")
        if namespace:
            if namespace != SVG or local not in DRAWING_TAGS:
                return False
        elif name not in DRAWING_ATTRIBUTES:
            return False
    return True


def _only_drawing(raw: bytes) -> bool:
    """Whether every element and attribute of the document is on the allow-lists, with no
    CDATA section, processing instruction or internal DTD subset: an HTML parser reads
    those differently from XML (a rebuild turns them into plain escaped text or drops them)."""
    problems: list[str] = []

    def start(name: str, attributes: dict) -> None:
        namespace, _, local = name.rpartition(" ")
        if namespace != SVG or local not in DRAWING_TAGS or \
                not DRAWING_ATTRIBUTES.issuperset(attributes):
            problems.append(name)

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.StartCdataSectionHandler = lambda: problems.append("CDATA")
    parser.ProcessingInstructionHandler = lambda target, data: problems.append(target)
    parser.StartDoctypeDeclHandler = lambda name, system, public, internal: \
        problems.append("DTD") if internal else None
    try:
        parser.Parse(raw, True)
    except expat.ExpatError:
        return False
    return not problems


_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)
_PROLOG = re.compile(rb'<\?xml version="1\.0" encoding="UTF-8" standalone="no"\?>\n'
                     rb'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1\.1//EN"\n'
                     rb' "http://www\.w3\.org/Graphics/SVG/1\.1/DTD/svg11\.dtd">\n')
_SVG_TAG = re.compile(r"<svg\b[^>]*>")
_SIZE = re.compile(r'\s(?:width|height)="[^"]*"')
# dot writes each node's group as `<g id=".." class="..">` then its `<title>`; the ids are
# ours (n12, s3, e0) and text inside titles is escaped by dot, so this cannot match user text.
_NODE_GROUP = re.compile(r'<g id="([nse]\d+)" class="([^"]*)">\n<title>[^<]*</title>')


def _inline_root(match: re.Match) -> str:
    tag = _SIZE.sub("", match.group(0))
    return tag[:-1] + ' class="graph-svg" role="group" aria-label="Coherence graph">'


def _annotated(match: re.Match, meta: dict[str, dict], focusable: bool) -> str:
    """Data attributes (escaped) for hover, focus and click in the page; a readable title."""
    ident, classes = match.group(1), match.group(2)
    facts = meta.get(ident)
    if facts is None:
        return match.group(0)
    attributes = [f'id="{ident}"', f'class="{classes}"']
    attributes += [f'data-{name}="{html.escape(value)}"' for name, value in facts.items()
                   if value]  # values are cleaned strings (cascade.graph.build)
    if focusable:
        attributes += ['tabindex="0"', 'role="button"',
                       f'aria-label="{html.escape(_spoken(facts))}"']
    title = html.escape(facts.get("title", ""))
    return f"<g {' '.join(attributes)}>\n<title>{title}</title>"


def _keep_drawing(element: ET.Element) -> None:
    for name in list(element.attrib):
        if _local(name) not in DRAWING_ATTRIBUTES:
            del element.attrib[name]
    children = list(element)
    for child in children:
        tag = _local(child.tag)
        if tag == "a":  # links carry no drawing of their own: keep what they wrap
            position = list(element).index(child)
            element.remove(child)
            for offset, grandchild in enumerate(list(child)):
                element.insert(position + offset, grandchild)
        elif tag not in DRAWING_TAGS or not child.tag.startswith("{" + SVG + "}"):
            element.remove(child)
    for child in element:
        _keep_drawing(child)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _spoken(facts: dict) -> str:
    parts = [facts.get("title", ""), facts.get("unit", ""), facts.get("status", "")]
    count = facts.get("findings", "").count('"acknowledged": false')
    if count:
        parts.append(f"{count} open finding{'s' if count != 1 else ''}")
    return ", ".join(p for p in parts if p)

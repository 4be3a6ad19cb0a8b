"""DOT source to pictures: dot's SVG made safe to inline and annotated for the page, or PNG.

Graphviz escapes label text, but the SVG that reaches the page is still rebuilt through an
allow-list (elements and attributes that draw, nothing that runs or links), so no title can
carry a script or an event handler in. Layout results are cached under a hash of the DOT
source and format, so the same picture never costs a second dot run.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import selectors
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
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


class Layout:
    """dot's output for a source, from the cache or from a dot run started at once: the
    caller works on (a page makes its hover facts and lists meanwhile) and takes the
    output when it needs it. Leaving the block ends an unfinished run."""

    def __init__(self, source: str, fmt: str, cache: Cache, timeout: float = 60) -> None:
        self.key = "dot:" + hashlib.sha256(f"{fmt}\0{source}".encode()).hexdigest()
        self.cache = cache
        self._output = cache.get(self.key)
        self._run = DotRun(source, fmt, timeout) if self._output is None else None

    def output(self, consume: Callable[[bytes], object] | None = None) -> bytes:
        """The output, also handed to `consume` in chunks (all at once from the cache)."""
        if self._output is not None:
            if consume is not None:
                consume(self._output)
            return self._output
        assert self._run is not None
        self._output = self._run.output(consume)
        self.cache.set(self.key, self._output)
        return self._output

    def __enter__(self) -> Layout:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._run is not None:
            self._run.__exit__(*exc)


class DotRun:
    """One dot process, started on construction; `output()` waits for it, within
    `timeout` seconds of the start. The source goes in as a file rather than a pipe, so dot
    reads it at its own pace while this process does other work."""

    def __init__(self, source: str, fmt: str, timeout: float = 60) -> None:
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        self.finished = False
        with tempfile.TemporaryFile() as stdin:
            stdin.write(source.encode())
            stdin.seek(0)
            try:
                self.process = subprocess.Popen(["dot", f"-T{fmt}"], stdin=stdin,
                                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            except FileNotFoundError:
                raise RenderError("Graphviz's dot is not installed (make tools)") from None

    def output(self, consume: Callable[[bytes], object] | None = None) -> bytes:
        """dot's output, each chunk also handed to `consume` as dot writes it: dot spends
        the last quarter of its time writing a big SVG, so a check can read along."""
        out: list[bytes] = []
        err: list[bytes] = []
        with selectors.DefaultSelector() as pipes:
            pipes.register(self.process.stdout, selectors.EVENT_READ, out)
            pipes.register(self.process.stderr, selectors.EVENT_READ, err)
            while pipes.get_map():
                left = self.deadline - time.monotonic()
                ready = pipes.select(left) if left > 0 else []
                if not ready:
                    self._stop()
                    raise RenderError(f"dot took longer than {self.timeout:g} s")
                for key, _ in ready:
                    chunk = os.read(key.fd, 1 << 16)
                    if not chunk:
                        pipes.unregister(key.fileobj)
                        continue
                    key.data.append(chunk)
                    if key.data is out and consume is not None:
                        consume(chunk)
        try:  # both pipes are closed: dot is exiting
            returncode = self.process.wait(max(0.0, self.deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self._stop()
            raise RenderError(f"dot took longer than {self.timeout:g} s") from None
        self.finished = True
        self.process.stdout.close()
        self.process.stderr.close()
        if returncode != 0:
            raise RenderError("dot failed: " + b"".join(err).decode(errors="replace")[:500],
                              crashed=True)
        return b"".join(out)

    def _stop(self) -> None:
        """Kill dot if it still runs, and reap it (nothing is left behind on any error)."""
        if not self.finished:
            self.finished = True
            self.process.kill()
            self.process.communicate()

    def __enter__(self) -> DotRun:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop()


class DrawingCheck:
    """Whether an SVG holds only drawing elements and attributes, read in one expat parse
    with no Python call per element, fed chunk by chunk (so it can follow dot's output).

    With any element handler set, expat interns every element and attribute name it meets
    into `parser.intern`; a handler written in C (`dict.get`) keeps it from calling back
    into Python, so the names are checked once at the end. Namespaces are declared only as
    the default SVG one or under prefixes for other namespaces, so a name "SVG local" is an
    element of SVG and a bare name an attribute, exactly as `_only_drawing` reads them.
    """

    def __init__(self) -> None:
        self.restart()

    def restart(self) -> None:
        """Forget what was fed (a crashed dot run's partial output)."""
        self.problems: list[object] = []
        self.declared: set[str] = set()
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartElementHandler = {}.get
        self.parser.StartNamespaceDeclHandler = self._declare
        self.parser.StartCdataSectionHandler = lambda: self.problems.append("CDATA")
        self.parser.ProcessingInstructionHandler = \
            lambda target, data: self.problems.append(target)

    def _declare(self, prefix: str | None, uri: str) -> None:
        if (prefix is None) != (uri == SVG) or prefix not in (None, "xlink"):
            self.problems.append(uri)
        self.declared.update(n for n in (prefix, uri) if n is not None)

    def feed(self, chunk: bytes) -> None:
        if not self.problems:
            try:
                self.parser.Parse(chunk, False)
            except expat.ExpatError:
                self.problems.append("malformed")

    def verdict(self, raw: bytes) -> bool | None:
        """For the whole document `raw` (everything fed): True when it is drawing only,
        False when not, None when dot's fixed prolog is not there (`_only_drawing` decides)."""
        if _PROLOG.match(raw) is None:
            return None
        if not self.problems:
            try:
                self.parser.Parse(b"", True)
            except expat.ExpatError:
                return False
        if self.problems:
            return False
        for name in self.parser.intern.keys() - self.declared - {None}:
            namespace, _, local = name.rpartition(" ")
            if namespace:
                if namespace != SVG or local not in DRAWING_TAGS:
                    return False
            elif name not in DRAWING_ATTRIBUTES:
                return False
        return True


def safe_svg(raw: bytes, marks: dict[str, str] | None = None, *, inline: bool = True,
             check: DrawingCheck | None = None) -> str:
    """dot's SVG holding drawing elements only, with the page's data attributes added.

    dot's output is checked by a streaming parse (`DrawingCheck`, else `_only_drawing`);
    anything outside the allow-list (which dot does not produce from our DOT) sends it
    through a rebuild that drops it. `check`: one that was fed `raw` already, as dot wrote
    it. `marks` (from `marks`) annotate the drawn elements; `inline` drops the fixed size
    (the page scales the picture).
    """
    drawing_only = check.verdict(raw) if check is not None else _names_only_drawing(raw)
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
    if marks:
        text = _NODE_GROUP.sub(lambda m: f'<g id="{m[1]}" class="{m[2]}"{marks[m[1]]}'
                               if m[1] in marks else m[0], text)
    return text


def marks(meta: dict[str, dict], focusable: bool = True) -> dict[str, str]:
    """What each drawn element's group gets after its id and class: data attributes
    (escaped) for hover and click, focus attributes for the keyboard, a readable title.
    Prepared apart from the SVG, so a page can make them while dot lays out."""
    out = {}
    for ident, facts in meta.items():
        attributes = [f' data-{name}="{html.escape(value)}"' for name, value in facts.items()
                      if value]  # values are cleaned strings (cascade.graph.facts)
        if focusable:
            attributes.append(f' tabindex="0" role="button" '
                              f'aria-label="{html.escape(_spoken(facts))}"')
        title = html.escape(facts.get("title", ""))
        out[ident] = f"{''.join(attributes)}>\n<title>{title}</title>"
    return out


def _names_only_drawing(raw: bytes) -> bool | None:
    """`DrawingCheck` of a whole document at once."""
    check = DrawingCheck()
    check.feed(raw)
    return check.verdict(raw)


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

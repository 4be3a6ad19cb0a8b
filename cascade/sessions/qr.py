"""The room's QR code: an SVG made on the server by segno, so nothing leaves the network."""

from __future__ import annotations

import segno

from cascade import palette


def svg(link: str, scale: int = 8) -> str:
    """An inline SVG QR code of `link`, dark on white, with a title for screen readers.
    segno writes only rectangles and paths (no text of ours), so it is safe as markup."""
    code = segno.make(link, error="m")
    return code.svg_inline(scale=scale, dark=palette.INK, light=palette.PAPER, border=2,
                           title="QR code of the link to answer", svgclass="room-qr",
                           lineclass=None, omitsize=True)

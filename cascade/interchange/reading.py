"""From bytes to a `cascade/v1` document, bounded before anything is built.

A hostile file must cost a second or two and bounded memory, whoever sends it (an admin's
upload or the operator's CLI, which share these limits). Before `json.loads` builds a single
object, one pass over the text with the strings taken out counts how deep the brackets nest
and how many objects and arrays there are; the size was checked before that. After parsing,
`validate` caps each list's length and the number of problems listed.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass
from itertools import accumulate

from cascade.interchange.load import InvalidFile
from cascade.interchange.validate import HugeNumber


@dataclass(frozen=True)
class Limits:
    """What one import may hold (settings IMPORT_MAX_BYTES, _DEPTH, _CONTAINERS)."""

    bytes: int = 32 * 1024 * 1024
    depth: int = 32  # a valid file nests 7 deep ($.pulses[].statements[].answers[].unit)
    containers: int = 1_000_000  # objects and arrays in the whole file

    @classmethod
    def from_config(cls, config) -> Limits:
        return cls(bytes=int(config.get("IMPORT_MAX_BYTES", cls.bytes)),
                   depth=int(config.get("IMPORT_MAX_DEPTH", cls.depth)),
                   containers=int(config.get("IMPORT_MAX_CONTAINERS", cls.containers)))


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_DEPTH = {"[": 1, "{": 1, "]": -1, "}": -1}


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def read(data: bytes, limits: Limits = Limits()) -> object:
    """The parsed JSON of a file, or InvalidFile naming the whole document ("$")."""
    if len(data) > limits.bytes:
        raise InvalidFile([("$", f"the file is larger than {_mb(limits.bytes)}; an import "
                                 f"may hold at most {_mb(limits.bytes)}")])
    text = decode(data)
    brackets = _NOT_BRACKET.sub("", _STRING.sub('""', text))
    containers = brackets.count("[") + brackets.count("{")
    if containers > limits.containers:
        raise InvalidFile([("$", f"the file holds {containers:,} objects and lists; an "
                                 f"import may hold at most {limits.containers:,}")])
    if brackets and max(accumulate(map(_DEPTH.__getitem__, brackets))) > limits.depth:
        raise InvalidFile([("$", f"the file nests deeper than {limits.depth} levels; a "
                                 "cascade/v1 file needs fewer than 10")])
    try:
        return json.loads(text, parse_int=_whole)
    except json.JSONDecodeError as error:
        raise InvalidFile([("$", f"not valid JSON ({error})")]) from None
    except (ValueError, RecursionError) as error:  # a number of more than 4,300 digits
        raise InvalidFile([("$", f"not a JSON file Cascade can read ({error})")]) from None


def _whole(digits: str) -> int | HugeNumber:
    """JSON integers as ints, but one too long to be any count Cascade keeps stays a
    `HugeNumber`, which validation names at its path (instead of `int` refusing the file,
    or spending time on thousands of digits)."""
    return int(digits) if len(digits) <= 20 else HugeNumber(len(digits.lstrip("-")))


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), or UTF-16 / UTF-32 with one; an invalid
    byte is named by its offset, as a person fixing the file needs it."""
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                          (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            data, name = data[len(bom):], encoding
            break
    else:
        name = "utf-8"
    try:
        return data.decode(name)
    except UnicodeDecodeError as error:
        shown = name.upper().replace("-LE", "").replace("-BE", "")
        raise InvalidFile([("$", f"the file is not valid {shown} text: {error.reason} at "
                                 f"byte {error.start}; save it as UTF-8 and try again")]) \
            from None

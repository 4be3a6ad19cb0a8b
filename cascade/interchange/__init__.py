"""The `cascade/v1` interchange format: validate a whole file, then write it in one go.

`problems(doc)` lists every problem with its JSON path; `load(doc)` writes only a valid file,
so an invalid import changes nothing. `dump(workspace)` writes the same shape back, and
export → import → export yields the same document.
"""

from cascade.interchange.dump import dump
from cascade.interchange.load import Enrolment, InvalidFile, load
from cascade.interchange.validate import FORMAT, problems

__all__ = ["FORMAT", "Enrolment", "InvalidFile", "dump", "load", "problems"]

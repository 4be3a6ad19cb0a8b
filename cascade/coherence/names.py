"""What each rule is called where people read it: one name per stable code, for every page,
filter, legend and export that shows a finding. The code stays beside it, secondary, since
it is what the brief, the JSON and the CLI use.

>>> name("DEPENDENCY_CYCLE"), name("SOMETHING_NEW")
('Dependency cycle', 'Something new')
"""

from __future__ import annotations

NAMES: dict[str, str] = {
    # the first catalogue
    "UNCOVERED": "Not translated below",
    "STALE_TRANSLATION": "Stale translation",
    "ORPHANED": "Orphaned by a retired parent",
    "UNALIGNED": "Connected to nothing above",
    "OFF_STRUCTURE": "Translated outside its unit tree",
    "UNANSWERED_FEEDBACK": "Unanswered feedback",
    "ONE_WAY": "No notes back",
    "DEPENDENCY_CYCLE": "Dependency cycle",
    "BROKEN_DEPENDENCY": "Broken dependency",
    "DIVERGENT_VIEWS": "Divergent views",
    "LOW_UNDERSTANDING": "Low understanding",
    "OVERLOAD": "Overload",
    "UNENGAGED_UNIT": "Unit without strategy",
    # the second catalogue: measures, horizons, dependency agreements
    "BLIND": "No way to see progress",
    "STALE_MEASURE": "Measure not checked in",
    "NEGLECTED": "Behind, and nobody on it",
    "CONFIDENCE_CONTRADICTION": "Confidence contradicts progress",
    "HORIZON_MISMATCH": "Horizon outside its parent's",
    "UNCONFIRMED_DEPENDENCY": "Unconfirmed dependency",
}


def name(code: str) -> str:
    """The rule's name; a code without one reads as its words ("SOMETHING_NEW" → "Something
    new"), so a new rule is never shown as a bare code."""
    return NAMES.get(code) or code.replace("_", " ").capitalize()

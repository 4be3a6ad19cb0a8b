"""Alignment pulses: running them, answering them anonymously, and reading the range of views.

`operations` holds the write use cases and `pending_pulses` (for the unit inbox), `results`
the distributions and the panorama, `stats` the pure statistics and the anonymity threshold.
"""

from cascade.pulses.operations import (
    DEFAULT_STATEMENTS,
    PulseError,
    answer_pulse,
    answerable_units,
    close_pulse,
    create_pulse,
    is_open,
    min_answers,
    own_answers,
    pending_pulses,
    respondent,
    state,
    today,
    top_level_priorities,
)
from cascade.pulses.results import load_panorama, load_results, priority_pulses
from cascade.pulses.stats import Distribution, distribution

__all__ = [
    "DEFAULT_STATEMENTS", "Distribution", "PulseError", "answer_pulse", "answerable_units",
    "close_pulse", "create_pulse", "distribution", "is_open", "load_panorama", "load_results",
    "min_answers", "own_answers", "pending_pulses", "priority_pulses", "respondent", "state",
    "today", "top_level_priorities",
]

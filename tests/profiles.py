"""Hypothesis profiles: `quick` on a developer's machine, `thorough` in CI (`CI=true`, as
`.ci/run` is run) or when HYPOTHESIS_PROFILE says so.

`thorough` runs every property with the examples its test asks for (hypothesis's 100 when
it names none); `quick` runs a quarter of them (at least 10). A test that names its
number writes `max_examples=examples(150)`."""

from __future__ import annotations

import os

from hypothesis import settings

QUICK_SHARE = 4
current = "thorough"


def load() -> str:
    global current
    settings.register_profile("thorough", max_examples=100)
    settings.register_profile("quick", max_examples=100 // QUICK_SHARE)
    current = os.environ.get("HYPOTHESIS_PROFILE") or (
        "thorough" if os.environ.get("CI") == "true" else "quick")
    settings.load_profile(current)
    return current


def examples(wanted: int) -> int:
    """`wanted` examples when thorough, a quarter of them (at least 10) when quick."""
    return wanted if current == "thorough" else max(10, wanted // QUICK_SHARE)

"""A workspace's thresholds: the product's defaults, then the app's configuration, then the
workspace's own settings. Every page, rule and pulse result reads them from here, so the
anonymity threshold a pulse page applies is the one the engine's rules apply."""

from __future__ import annotations

from flask import current_app

from cascade.coherence.model import Settings
from cascade.models import Workspace


def settings_for(ws: Workspace) -> Settings:
    """Thresholds: the product defaults, then app config, then the workspace's own settings."""
    config = current_app.config
    values = {"feedback_days": config["FEEDBACK_DAYS"],
              "translation_grace_days": config["TRANSLATION_GRACE_DAYS"],
              "pulse_min_answers": config["PULSE_MIN_ANSWERS"]}
    known = set(Settings.__dataclass_fields__) - {"weights"}
    values.update({k: v for k, v in (ws.settings or {}).items() if k in known})
    return Settings(**values)


def pulse_min_answers(ws: Workspace) -> int:
    """The anonymity threshold: a unit's pulse results appear only from this many answers on."""
    return max(1, int(settings_for(ws).pulse_min_answers))

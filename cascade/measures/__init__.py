"""Measures and check-ins: writing them (`operations`) and reading them for the node page,
its chart and the inbox (`reading`, `chart`). What *behind* and *on pace* mean is the
engine's (`cascade.coherence.pace`), so the page and the findings agree."""

"""The engine's findings for a stored workspace: `snapshot` turns rows into the engine's
input, `analysis` runs and keeps it per workspace version (`stamp`), `listing` filters and
groups findings, `operations` acknowledges them and records the score, `history` and
`trend` hold and draw the score over time."""

"""The bottom-up flow: notes on nodes (validation, feasibility, experiment, emergence,
execution, coherence), their answers and replies. `operations` writes, `reading` groups and
lists them for pages."""

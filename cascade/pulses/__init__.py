"""Alignment pulses: running them, answering them anonymously, and reading the range of views.

`operations` holds the write use cases, `reading` the pulses' state, own answers and the ones
waiting for a person, `results` the distributions and the panorama, `stats` the pure
statistics and the anonymity threshold, `charts` their drawing.
"""

"""Benchmarks run by `make bench`; each section is a module with a `run()` function."""

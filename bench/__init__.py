"""Benchmarks: speed and memory targets, measured with ``make bench`` into docs/BENCHMARKS.md."""

"""Benchmarks, run by `make bench`: each `bench_*.py` module defines `run() -> str`, a Markdown
section of results measured in the same run as the peers it compares against."""

"""Benchmarks: speed, memory and quality against baselines measured in the same run (never asserted).

A package only so that tests can import the generator (``from benchmarks import make_corpus``);
each module is also a script run as ``.venv/bin/python benchmarks/<name>.py``.
"""

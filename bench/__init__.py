"""Benchmarks: actorkit against raw Trio doing the same work, in one run, as ratios.

Run ``python -m bench`` from the repository root (``--quick`` for a smoke run, ``--json``
for one JSON object per measure, ``--only NAME`` for one measure). The machines are noisy,
so only the ratio of two figures taken in the same run means anything.
"""

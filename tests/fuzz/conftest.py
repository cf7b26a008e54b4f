"""Hypothesis profiles for the property tests in this folder.

`make test` runs the "ci" profile: a bounded number of examples from a fixed seed, so every run
of the suite tries the same inputs and stays fast. `make fuzz` runs the "fuzz" profile: many
more examples (FUZZ_EXAMPLES per property), random seeds, no time limit per example.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "20000")),
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

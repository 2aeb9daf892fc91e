"""How many examples a property test tries: `examples(n)` is n in the whole suite (CI and the
README's test command), a tenth of n (at least one) in the quick loop, `pytest -m "not slow"`.

tests/conftest.py loads the Hypothesis profile `quick` (max_examples=10, a tenth of Hypothesis'
100) for the quick loop; `examples` scales by the loaded profile's max_examples, so
`HYPOTHESIS_PROFILE=default pytest -m "not slow"` runs every example there too, and a test that
names no count follows the profile directly."""

from __future__ import annotations

from hypothesis import settings

FULL = 100  # Hypothesis' own max_examples: the whole suite's profile


def examples(n: int) -> int:
    return max(1, round(n * settings().max_examples / FULL))

"""How clearly a goal is met: a strength in [0, 1] and the band (0-3) that ranking compares."""

CLEAR = 0.75  # a reading at least this strong is clear; below it, "read loosely"
FAIR = 0.45


def level(strength: float) -> int:
    """0-10: the strength in tenths, what ranking compares. Each tenth outweighs distance, so a
    goal met more clearly always ranks first (an angling club before a walking group for "used
    to fish"), and a weak reading never outranks a clear one."""
    return round(strength * 10)


def band(strength: float) -> int:
    """0-3: how clearly a goal is met, in words: clear (3), fair (2), loose (1), not at all."""
    if strength >= CLEAR:
        return 3
    if strength >= FAIR:
        return 2
    return 1 if strength > 0 else 0

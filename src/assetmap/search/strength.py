"""How clearly a goal is met: a strength in [0, 1], and the level (in tenths) that ranking compares."""

CLEAR = 0.75  # a reading at least this strong is clear; below it, "read loosely"


def level(strength: float) -> int:
    """0-10: the strength in tenths, what ranking compares. Each tenth outweighs distance, so a
    goal met more clearly always ranks first (an angling club before a walking group for "used
    to fish"), and a weak reading never outranks a clear one."""
    return round(strength * 10)

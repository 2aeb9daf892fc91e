"""Casework: introductions to assets and their follow-ups, in a private file apart from the
catalogue. Case references are encrypted, looked up by a keyed hash; everything else is a code."""

"""assetmap: find community assets near a person that fit their goals."""

__version__ = "0.1.0"

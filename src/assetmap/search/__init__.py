"""Finding what fits: goals, turning what the user typed into a query, and the ranked,
explained search over the catalogue."""

"""`python -m assetmap`: the same as the `assetmap` console script."""

from assetmap.launch import main

main()

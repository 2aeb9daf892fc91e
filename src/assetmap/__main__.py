from assetmap.cli import main

main()

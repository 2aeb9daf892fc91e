from assetmap.cli.app import main

main()

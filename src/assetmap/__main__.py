from assetmap.app import main

main()

from assetmap.launch import main

main()

from citizenfocus.cli import main

main()

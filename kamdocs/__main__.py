from kamdocs.cli import main

main()

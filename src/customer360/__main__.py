from customer360.cli import main

main()

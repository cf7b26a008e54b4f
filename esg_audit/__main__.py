from esg_audit.cli import main

main()

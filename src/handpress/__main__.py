from handpress.cli import main

main()

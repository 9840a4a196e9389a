from handpress.commands.cli import main

main()

import SoupCLI

SoupCommand.main()

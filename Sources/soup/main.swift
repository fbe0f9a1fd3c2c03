import SoupCLI

SoupCommand.runCommandLine()

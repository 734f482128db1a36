import StrataCLI

StrataCommand.runAsMain()

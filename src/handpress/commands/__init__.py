"""The command line: the click group and the build and check commands (:mod:`.cli`), and one module for
each other command, imported only when it runs (:mod:`.audit`, :mod:`.pdf`, :mod:`.i18n`,
:mod:`.serve`, :mod:`.new`)."""

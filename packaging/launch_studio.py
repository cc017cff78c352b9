"""Entry point of the frozen studio (both executables): exactly what the ``studio`` command runs.

``CommuneRadioStudio`` (windowed on Windows) opens the window when started without arguments;
``studio-cli`` (a console program) runs the same subcommands with their output in the terminal, e.g.
``studio-cli self-test``. Not part of the ``studio`` package: PyInstaller needs a script to start from.
"""

import sys

from studio.cli import main

if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python
"""Django's command-line utility for relcrm."""

import os


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relcrm.settings")
    from relcrm.command_line import main as command_line

    command_line()


if __name__ == "__main__":
    main()

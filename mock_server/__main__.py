"""`python -m bitel_mock` runs the `bitel-mock` command."""

import sys

from bitel_mock.cli import main

sys.exit(main())

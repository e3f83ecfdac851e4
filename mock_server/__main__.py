"""`python -m mock_server` runs the `bitel-mock` command."""

import sys

from mock_server.cli import main

sys.exit(main())

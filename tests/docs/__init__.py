"""Tests of the README and docs/: every code block runs as written, the settings table matches
the CLI, and every link leads somewhere."""

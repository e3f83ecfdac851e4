"""The HTTP face of the emulator: thin routes over the domain."""

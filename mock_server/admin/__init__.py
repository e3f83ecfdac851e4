"""The emulator's own control plane under /__admin: plain JSON, no envelope."""

"""Device emulators for development and tests (never imported by the integrations)."""

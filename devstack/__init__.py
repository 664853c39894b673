"""Process orchestration for the local demo and the end-to-end tests (never imported by the integrations)."""

"""newsweave.eval stage."""

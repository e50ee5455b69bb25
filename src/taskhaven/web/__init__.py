"""HTML pages: sign-in, consent and the grants page (another client of core)."""

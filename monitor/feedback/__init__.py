"""Rep feedback on alerts: signed links in emails, the endpoint that records them, CLI votes."""

"""Use cases that combine the database with the pure domain; the API calls these."""

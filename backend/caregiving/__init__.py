"""What a caregiver may see: adherence only (pure, no Flask or database)."""

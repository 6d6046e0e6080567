"""``db2ndb verify``: prove a conversion on the app's own test suite (see codemods.verify.run)."""

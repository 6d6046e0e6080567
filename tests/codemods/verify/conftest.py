# fixtures/ holds apps with their own legacy test suites: db2ndb verify runs them, our run does not
collect_ignore = ["fixtures"]

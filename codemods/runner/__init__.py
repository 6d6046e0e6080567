"""Running the rules over a tree of files: discovery, Python 2 fixing, pipeline, reports."""

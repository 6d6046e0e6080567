"""Static analysis shared by the rules: the cross-file model index and type inference."""

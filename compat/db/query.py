"""Queries and GQL: placeholder until the query layer lands (issue 4)."""


class Query:
    """Not yet implemented."""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError("compat.db queries are not implemented yet")


class GqlQuery(Query):
    """Not yet implemented."""

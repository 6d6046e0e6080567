"""compat: the legacy App Engine ``db`` API on google-cloud-ndb.

``from compat import db`` gives the legacy ``google.appengine.ext.db`` surface.
"""

"""Legacy-style application modules, written as 2010 App Engine code was (Python 3 syntax).

They import the legacy names (``google.appengine.ext.db`` ...) and only run
after ``compat.install()``.
"""

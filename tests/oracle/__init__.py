"""The legacy oracle: differential programs run on the legacy SDK (golden files) and on our side.

* ``observe``: the ``observe`` callable and the normalisation of observed values
  (no library imports; runs in both venvs);
* ``program``: loading and running one program text, import failures and crashes
  recorded as observations;
* ``legacy``: the golden-file generator, run by ``make golden`` in ``.venv-legacy``
  (appengine-python-standard + testbed); never imported by the project's venv;
* ``convert``: every program of a suite converted by one ``db2ndb`` run per target;
* ``sides``: running a program on google-cloud-ndb, on the shim, or unconverted
  through ``compat.install()``, against the emulator;
* ``compare``: observations against the golden, with the exception equivalence table.

How to write a program and the comparison rules: docs/codemods.md, "The differential suite".
"""

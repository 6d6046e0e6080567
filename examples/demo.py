"""`make demo`: the shim against a real Cloud Datastore emulator, end to end.

Starts an emulator (or uses DATASTORE_EMULATOR_HOST), runs legacy-style
``db`` code unmodified through ``compat.install()``, reads back what was
stored with the raw google-cloud-datastore client to show the legacy storage
format, and stops the emulator. Exits non-zero on any mismatch.
"""

import datetime
import sys


def _check(label, condition):
    print("  [%s] %s" % ("ok" if condition else "FAIL", label))
    if not condition:
        raise SystemExit(1)


def main():
    import compat
    from compat.testing import running_emulator

    print("Starting the Cloud Datastore emulator ...")
    with running_emulator(project="compat-demo") as emulator:
        print("  emulator at %s, project %s" % (emulator.host, emulator.project))
        compat.reset_client()
        compat.install()
        from google.appengine.ext import db  # the legacy import, served by compat

        class Greeting(db.Model):
            author = db.StringProperty(required=True)
            content = db.TextProperty()
            email = db.EmailProperty()
            date = db.DateTimeProperty(auto_now_add=True)

        print("\nWriting entities with legacy db code ...")
        keys = db.put([
            Greeting(author="Taro", content="こんにちは", email="taro@example.jp"),
            Greeting(author="Alice", content="Hello", key_name="alice"),
        ])
        for key in keys:
            print("  put %s  (str(key) = %s)" % (repr(key), key))

        print("\nReading them back through compat ...")
        loaded = db.get(keys)
        _check("same values", [g.author for g in loaded] == ["Taro", "Alice"])
        _check("Text comes back as db.Text", isinstance(loaded[0].content, db.Text))
        _check("auto_now_add is naive UTC, as legacy", loaded[0].date.tzinfo is None
               and abs(datetime.datetime.utcnow() - loaded[0].date).total_seconds() < 60)
        _check("db.Key round-trips through its legacy string", db.Key(str(keys[1])) == keys[1])

        print("\nWhat is stored (raw google-cloud-datastore read) ...")
        from google.cloud import datastore

        raw = datastore.Client(project=emulator.project).get(keys[0]._ds)
        print("  properties: %s" % dict(raw))
        print("  meanings:   %s" % {name: meaning for name, (meaning, _) in raw._meanings.items()})
        print("  unindexed:  %s" % sorted(raw.exclude_from_indexes))
        _check("TextProperty stored with meaning 15, unindexed",
               raw._meanings["content"][0] == 15 and "content" in raw.exclude_from_indexes)
        _check("EmailProperty stored with meaning 8", raw._meanings["email"][0] == 8)
        compat.uninstall()
    print("\nDemo finished: the emulator has been stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

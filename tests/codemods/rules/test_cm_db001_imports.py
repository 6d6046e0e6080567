"""DB001: imports move to google.cloud.ndb (or to the shim with --to compat)."""

import pytest
from libcst.codemod import CodemodTest

from codemods.framework.options import RuleOptions
from codemods.rules.db001_imports import ImportsRule


class ImportsToNdbTest(CodemodTest):
    TRANSFORM = ImportsRule

    def test_db_import_is_replaced_in_place_and_dropped_when_unused(self) -> None:
        before = """
            import os
            from google.appengine.ext import db  # models
            x = os.sep
        """
        after = """
            import os
            x = os.sep
        """
        self.assertCodemod(before, after)

    def test_unconverted_use_keeps_the_shim_and_gets_a_todo(self) -> None:
        before = """
            from google.appengine.ext import db

            r = db.allocate_id_range(k, 1, 2)
            m = db.some_private_helper()
        """
        after = """
            from compat import db

            # TODO(db2ndb:DB001): `db.allocate_id_range` has no direct ndb equivalent (ndb has no equivalent); it keeps running on the compat shim meanwhile. See docs/codemods.md#db001
            r = db.allocate_id_range(k, 1, 2)
            # TODO(db2ndb:DB001): `db.some_private_helper` has no google-cloud-ndb equivalent db2ndb can apply; it keeps running on the compat shim (`from compat import db`). See docs/codemods.md#db001
            m = db.some_private_helper()
        """
        self.assertCodemod(before, after)

    def test_todo_is_not_duplicated_on_a_second_run(self) -> None:
        code = """
            from compat import db

            # TODO(db2ndb:DB001): `db.allocate_id_range` has no direct ndb equivalent (ndb has no equivalent); it keeps running on the compat shim meanwhile. See docs/codemods.md#db001
            r = db.allocate_id_range(k, 1, 2)
        """
        self.assertCodemod(code, code)

    def test_legacy_ndb_becomes_cloud_ndb(self) -> None:
        before = """
            from google.appengine.ext import ndb

            class M(ndb.Model):
                pass
        """
        after = """
            from google.cloud import ndb

            class M(ndb.Model):
                pass
        """
        self.assertCodemod(before, after)

    def test_file_mixing_db_and_legacy_ndb(self) -> None:
        before = """
            from google.appengine.ext import db, ndb
            from google.appengine.ext.ndb import polymodel

            class A(ndb.Model):
                pass
        """
        after = """
            from google.cloud import ndb
            from google.cloud.ndb import polymodel

            class A(ndb.Model):
                pass
        """
        self.assertCodemod(before, after)

    def test_file_already_importing_cloud_ndb_gets_no_second_import(self) -> None:
        before = """
            from google.cloud import ndb
            from google.appengine.ext import db

            class A(ndb.Model):
                pass
        """
        after = """
            from google.cloud import ndb

            class A(ndb.Model):
                pass
        """
        self.assertCodemod(before, after)

    def test_compat_shim_import_kept_in_place_while_used(self) -> None:
        before = """
            from compat import db
            import os

            r = db.allocate_id_range(k, 1, 2)
        """
        after = """
            from compat import db
            from google.cloud import ndb
            import os

            # TODO(db2ndb:DB001): `db.allocate_id_range` has no direct ndb equivalent (ndb has no equivalent); it keeps running on the compat shim meanwhile. See docs/codemods.md#db001
            r = db.allocate_id_range(k, 1, 2)
        """
        # ndb is placed next to the shim import and dropped only if unused: here it is unused
        self.assertCodemod(before, after.replace("            from google.cloud import ndb\n", ""))

    def test_stats_and_metadata_move_to_their_ndb_modules_with_a_todo(self) -> None:
        before = """
            from google.appengine.ext.db import stats

            total = stats.GlobalStat.all().get()
        """
        after = """
            # TODO(db2ndb:DB001): `google.appengine.ext.db.stats` -> `google.cloud.ndb.stats`: the same classes, but they are ndb models now: query them with ndb syntax (`KindStat.query(KindStat.kind_name == k)`). See docs/codemods.md#db001
            from google.cloud.ndb import stats

            total = stats.GlobalStat.all().get()
        """
        self.assertCodemod(before, after)

    def test_other_names_of_the_same_statement_are_kept_and_unused_ndb_dropped(self) -> None:
        before = """
            from google.appengine.ext import db, webapp
            app = webapp.WSGIApplication([])
        """
        after = """
            from google.appengine.ext import webapp
            app = webapp.WSGIApplication([])
        """
        self.assertCodemod(before, after)


class StarImportTest(CodemodTest):
    """`from google.appengine.ext.db import *`: its names are resolved, what stays on the shim is imported by name."""

    TRANSFORM = ImportsRule

    def test_to_ndb(self) -> None:
        before = """
            from google.appengine.ext.db import *

            r = allocate_id_range(k, 1, 2)
        """
        after = """
            from compat.db import allocate_id_range

            # TODO(db2ndb:DB001): `db.allocate_id_range` has no direct ndb equivalent (ndb has no equivalent); it keeps running on the compat shim meanwhile. See docs/codemods.md#db001
            r = allocate_id_range(k, 1, 2)
        """
        self.assertCodemod(before, after)

    def test_to_compat(self) -> None:
        before = """
            from google.appengine.ext.db import *
        """
        after = """
            from compat.db import *
        """
        self.assertCodemod(before, after, options=RuleOptions(target="compat"))


class ImportsToCompatTest(CodemodTest):
    TRANSFORM = ImportsRule

    def test_only_the_module_changes(self) -> None:
        before = """
            from google.appengine.ext import db
            from google.appengine.ext.db import polymodel
            from google.appengine.api import datastore_errors
            import google.appengine.ext.db as gdb

            class M(db.Model):
                name = db.StringProperty('Name')
        """
        after = """
            from compat import db
            from compat.db import polymodel
            from compat.db import errors as datastore_errors
            from compat import db as gdb

            class M(db.Model):
                name = db.StringProperty('Name')
        """
        self.assertCodemod(before, after, options=RuleOptions(target="compat"))

    def test_second_run_changes_nothing(self) -> None:
        code = """
            from compat import db
            from compat.db import polymodel
        """
        self.assertCodemod(code, code, options=RuleOptions(target="compat"))


class LegacyNamesToCompatTest(CodemodTest):
    """--to compat: legacy ndb imports and dotted legacy names in strings (issue 14)."""

    TRANSFORM = ImportsRule

    def test_legacy_ndb_of_a_mixed_app_becomes_cloud_ndb(self) -> None:
        before = """
            from google.appengine.ext import db, ndb
            from google.appengine.ext.ndb import polymodel
            import google.appengine.ext.ndb as gndb
        """
        after = """
            from compat import db
            from google.cloud import ndb
            from google.cloud.ndb import polymodel
            from google.cloud import ndb as gndb
        """
        self.assertCodemod(before, after, options=RuleOptions(target="compat"))

    def test_dotted_names_in_strings(self) -> None:
        before = """
            from google.appengine.ext import db

            p = mock.patch('google.appengine.ext.db.Model.put')
            q = "google.appengine.ext.db.polymodel.PolyModel"
            prose = "uses google.appengine.ext.db here"
        """
        after = """
            from compat import db

            p = mock.patch('compat.db.Model.put')
            q = "compat.db.polymodel.PolyModel"
            prose = "uses google.appengine.ext.db here"
        """
        self.assertCodemod(before, after, options=RuleOptions(target="compat"))

    def test_dotted_names_in_strings_to_ndb(self) -> None:
        before = """
            p = mock.patch('google.appengine.ext.db.Model.put')
            q = mock.patch('compat.db.run_in_transaction')
        """
        after = """
            # TODO(db2ndb:DB001): this string named legacy `db.Model.put`; it names `ndb.Model.put` now: check that the converted code calls that name, with that signature (a stub by name stops taking effect otherwise, see DB016). See docs/codemods.md#db001
            p = mock.patch('google.cloud.ndb.Model.put')
            # TODO(db2ndb:DB001): this string named legacy `db.run_in_transaction`, which has no ndb counterpart of that name; it names the shim's now: point it at what the converted code calls. See docs/codemods.md#db001
            q = mock.patch('compat.db.run_in_transaction')
        """
        self.assertCodemod(before, after)

    def test_a_db_submodule_the_shim_lacks_gets_a_todo(self) -> None:
        before = """
            from google.appengine.ext.db import djangoforms, Model, polymodel
        """
        after = """
            # TODO(db2ndb:DB001): the shim has no `compat.db.djangoforms` (legacy `db`'s `djangoforms`): replace what this file uses it for. See docs/codemods.md#db001
            from compat.db import djangoforms, Model, polymodel
        """
        self.assertCodemod(before, after, options=RuleOptions(target="compat"))



LEGACY_NDB_UNINDEXED = """
from google.appengine.ext import ndb

class AuthConfig(ndb.Model):
    client_id = ndb.StringProperty(required=True, indexed=False)
    ids = ndb.StringProperty(repeated=True, indexed=False)
    name = ndb.StringProperty(indexed=True)
"""


@pytest.mark.parametrize("target", ["ndb", "compat"])
def test_legacy_ndb_unindexed_string_property_stores_the_same_on_google_cloud_ndb(target, tmp_path, datastore_emulator):
    """rietveld's auth_utils.py: legacy ndb allowed StringProperty(indexed=False); google-cloud-ndb raises
    NotImplementedError when the class is defined. The converted model stores an unindexed string, no meaning."""
    from google.cloud import datastore, ndb

    from codemods.cli import main

    (tmp_path / "auth_utils.py").write_text(LEGACY_NDB_UNINDEXED)
    assert main([str(tmp_path), "--to", target, "-q"]) == 0
    converted = (tmp_path / "auth_utils.py").read_text()
    assert "client_id = ndb.TextProperty(required=True, indexed=False)" in converted
    assert "name = ndb.StringProperty(indexed=True)" in converted
    namespace = {}
    exec(compile(converted, "auth_utils.py", "exec"), namespace)
    project = datastore_emulator.project
    with ndb.Client(project=project).context(cache_policy=False):
        key = namespace["AuthConfig"](client_id="abc", ids=["x", "y"], name="n").put()
        assert key.get().client_id == "abc" and key.get().ids == ["x", "y"]
    stored = datastore.Client(project=project).get(datastore.Key("AuthConfig", key.id(), project=project))
    assert stored["client_id"] == "abc" and {"client_id", "ids"} <= set(stored.exclude_from_indexes)
    assert "name" not in stored.exclude_from_indexes
    assert main([str(tmp_path), "--to", target, "--check", "-q"]) == 0


LEGACY_NDB_AUTO_USER = """
import os

from google.appengine.ext import ndb


class AnyAuthUserProperty(ndb.UserProperty):
    def _prepare_for_put(self, entity):
        if self._auto_current_user or (self._auto_current_user_add and not self._has_value(entity)):
            self._store_value(entity, ndb.User(email=os.environ["OAUTH_EMAIL"], _auth_domain="gmail.com"))


class Issue(ndb.Model):
    owner = AnyAuthUserProperty(auto_current_user_add=True)
    editor = ndb.UserProperty(auto_current_user=True)
"""


@pytest.mark.parametrize("target", ["ndb", "compat"])
def test_legacy_ndb_auto_current_user_properties_set_the_signed_in_user(target, tmp_path, datastore_emulator,
                                                                          monkeypatch):
    """rietveld's models: legacy ndb's UserProperty(auto_current_user_add=True) (google-cloud-ndb raises
    NoLongerImplementedError when the class is defined): set at put from the signed-in user, as legacy ndb did."""
    from google.cloud import ndb

    from codemods.cli import main

    (tmp_path / "models.py").write_text(LEGACY_NDB_AUTO_USER)
    assert main([str(tmp_path), "--to", target, "-q"]) == 0
    converted = (tmp_path / "models.py").read_text()
    assert "class AnyAuthUserProperty(ndb_legacy.UserProperty):" in converted
    assert "editor = ndb_legacy.UserProperty(auto_current_user=True)" in converted
    namespace = {}
    exec(compile(converted, "models.py", "exec"), namespace)
    monkeypatch.setenv("OAUTH_EMAIL", "owner@example.com")
    monkeypatch.setenv("USER_EMAIL", "editor@example.com")
    with ndb.Client(project=datastore_emulator.project).context(cache_policy=False):
        key = namespace["Issue"]().put()
        issue = key.get()
        assert (issue.owner.email(), issue.editor.email()) == ("owner@example.com", "editor@example.com")
        monkeypatch.setenv("OAUTH_EMAIL", "other@example.com")
        monkeypatch.delenv("USER_EMAIL")
        issue.put()  # _add: kept; auto_current_user with nobody signed in: unchanged
        assert (key.get().owner.email(), key.get().editor.email()) == ("owner@example.com", "editor@example.com")
    assert main([str(tmp_path), "--to", target, "--check", "-q"]) == 0

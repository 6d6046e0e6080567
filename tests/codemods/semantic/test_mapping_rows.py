"""Every differential program is counted in some row of docs/mapping.md's status table, and the table is the generator's."""

from pathlib import Path

from oracle import mapping_status, suite

HERE = Path(__file__).parent


def test_every_program_belongs_to_a_mapping_row():
    prefixes = {p for _, programs in mapping_status.ROWS for p in programs.split()}
    orphans = [n for n in suite.program_names(HERE) if n.split("_")[0] not in prefixes]
    assert orphans == [], "add these programs to a row of tests/oracle/mapping_status.py: %s" % orphans


def test_the_status_table_lists_every_row():
    text = (HERE.parent.parent.parent / "docs" / "mapping.md").read_text()
    table = text.split(mapping_status.START)[1].split(mapping_status.END)[0]
    for row, _ in mapping_status.ROWS:
        assert "| %s |" % row in table, row

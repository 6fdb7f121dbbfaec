package schema

import (
	"reflect"
	"strings"
	"testing"
)

// ddlColNames returns "a b c" for a table's columns, "<nil>" for no table.
func ddlColNames(t *Table) string {
	if t == nil {
		return "<nil>"
	}
	var s []string
	for _, c := range t.Columns {
		s = append(s, c.Name)
	}
	return strings.Join(s, " ")
}

func ddlApply(t *testing.T, c *Catalog, db string, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if err := c.ApplyDDL(db, s); err != nil {
			t.Fatalf("ApplyDDL(%q): %v", s, err)
		}
	}
}

func ddlTable(t *testing.T, c *Catalog, db, name string) *Table {
	t.Helper()
	tab, err := c.Table(db, name)
	if err != nil {
		t.Fatalf("Table(%s, %s): %v", db, name, err)
	}
	return tab
}

func ddlExpectCols(t *testing.T, c *Catalog, db, name, want string) *Table {
	t.Helper()
	tab := ddlTable(t, c, db, name)
	if got := ddlColNames(tab); got != want {
		t.Fatalf("%s.%s columns = %q, want %q", db, name, got, want)
	}
	return tab
}

// TestCase33_CatalogSchemaAtEachPosition: TESTCASES #33 — rows logged before
// ALTER TABLE … ADD COLUMN … AFTER/FIRST, DROP COLUMN or a column reorder
// are decoded with the schema in force at their position. The workload's
// evolve table: each DDL gives a new version and the versions handed out
// before stay as they were.
func TestCase33_CatalogSchemaAtEachPosition(t *testing.T) {
	c := NewCatalog()
	ddlApply(t, c, "", "CREATE DATABASE binlogkit")
	ddlApply(t, c, "binlogkit", "CREATE TABLE evolve (id INT NOT NULL PRIMARY KEY, a VARCHAR(10), b INT) ENGINE=InnoDB")
	v1 := ddlExpectCols(t, c, "binlogkit", "evolve", "id a b")

	ddlApply(t, c, "binlogkit", "ALTER TABLE evolve ADD COLUMN c DATETIME(3) AFTER id")
	v2 := ddlExpectCols(t, c, "binlogkit", "evolve", "id c a b")
	if v2.Columns[1].Type != "datetime(3)" {
		t.Errorf("c type %q", v2.Columns[1].Type)
	}
	ddlApply(t, c, "binlogkit", "ALTER TABLE evolve DROP COLUMN a")
	v3 := ddlExpectCols(t, c, "binlogkit", "evolve", "id c b")
	ddlApply(t, c, "binlogkit", "ALTER TABLE evolve ADD COLUMN z TINYINT FIRST, MODIFY b BIGINT UNSIGNED")
	v4 := ddlExpectCols(t, c, "binlogkit", "evolve", "z id c b")
	if b := v4.Columns[3]; b.Type != "bigint(20) unsigned" || !b.Unsigned {
		t.Errorf("b after MODIFY = %+v", b)
	}
	if !reflect.DeepEqual(v4.PrimaryKey, []int{1}) {
		t.Errorf("primary key after FIRST = %v, want [1]", v4.PrimaryKey)
	}
	// Reorder: MODIFY … AFTER and CHANGE … FIRST.
	ddlApply(t, c, "binlogkit", "ALTER TABLE evolve MODIFY COLUMN z TINYINT AFTER b")
	ddlExpectCols(t, c, "binlogkit", "evolve", "id c b z")
	ddlApply(t, c, "binlogkit", "ALTER TABLE evolve CHANGE COLUMN b bb BIGINT UNSIGNED FIRST")
	v6 := ddlExpectCols(t, c, "binlogkit", "evolve", "bb id c z")
	ddlApply(t, c, "binlogkit", "RENAME TABLE evolve TO evolved")
	if tab := ddlTable(t, c, "binlogkit", "evolve"); tab != nil {
		t.Errorf("evolve still known after RENAME")
	}
	ddlExpectCols(t, c, "binlogkit", "evolved", "bb id c z")

	// Versions handed out earlier are untouched.
	for _, x := range []struct {
		tab  *Table
		want string
	}{{v1, "id a b"}, {v2, "id c a b"}, {v3, "id c b"}, {v4, "z id c b"}, {v6, "bb id c z"}} {
		if got := ddlColNames(x.tab); got != x.want {
			t.Errorf("old version changed: %q, want %q", got, x.want)
		}
	}
	if v1.PrimaryKey[0] != 0 || v6.PrimaryKey[0] != 1 {
		t.Errorf("primary keys: v1 %v v6 %v", v1.PrimaryKey, v6.PrimaryKey)
	}
}

func TestCatalogZero(t *testing.T) {
	var c Catalog
	ddlExpectCols(t, &c, "d", "t", "<nil>")
	ddlApply(t, &c, "d", "CREATE TABLE t (a INT)")
	ddlExpectCols(t, &c, "d", "t", "a")
}

func TestCatalogClone(t *testing.T) {
	c := NewCatalog()
	ddlApply(t, c, "d", "CREATE TABLE t (a INT)")
	d := c.Clone()
	ddlApply(t, d, "d", "ALTER TABLE t ADD b INT", "CREATE TABLE u (x INT)")
	ddlExpectCols(t, c, "d", "t", "a")
	ddlExpectCols(t, c, "d", "u", "<nil>")
	ddlExpectCols(t, d, "d", "t", "a b")
}

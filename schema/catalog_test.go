package schema

import (
	"reflect"
	"slices"
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

// TestCatalogSetTable: a definition read elsewhere is kept as a copy and
// followed by later DDL; its key columns count as NOT NULL, so a unique key
// on them identifies rows.
func TestCatalogSetTable(t *testing.T) {
	c := NewCatalog()
	in := &Table{Database: "Shop", Name: "Orders",
		Columns:    []Column{{Name: "id", Type: "int(11)"}, {Name: "code", Type: "varchar(10)", Charset: "utf8mb4"}, {Name: "note", Type: "text"}},
		PrimaryKey: []int{0}, UniqueKeys: [][]int{{1}}}
	c.SetTable(in)
	got := ddlTable(t, c, "shop", "orders")
	if got == in || !reflect.DeepEqual(got, in) {
		t.Fatalf("SetTable kept %p %+v, want a copy of %p %+v", got, got, in, in)
	}
	in.Columns[0].Name = "changed"
	ddlExpectCols(t, c, "shop", "orders", "id code note")
	ddlApply(t, c, "shop", "ALTER TABLE Orders ADD COLUMN z INT FIRST, DROP COLUMN note")
	tab := ddlExpectCols(t, c, "shop", "orders", "z id code")
	if !reflect.DeepEqual(tab.PrimaryKey, []int{1}) || !reflect.DeepEqual(tab.UniqueKeys, [][]int{{2}}) {
		t.Errorf("keys after ALTER: %v %v", tab.PrimaryKey, tab.UniqueKeys)
	}
	if got.Columns[0].Name != "id" || len(got.Columns) != 3 {
		t.Errorf("the version handed out before the ALTER changed: %+v", got.Columns)
	}
	// A key with an index out of range is left out whole (a part of a
	// composite key need not identify a row).
	c.SetTable(&Table{Database: "shop", Name: "bad", Columns: []Column{{Name: "a"}, {Name: "b"}}, PrimaryKey: []int{0, 5}, UniqueKeys: [][]int{{-1}, {1, 0}}})
	if tab := ddlTable(t, c, "shop", "bad"); tab.PrimaryKey != nil || !reflect.DeepEqual(tab.UniqueKeys, [][]int{{1, 0}}) {
		t.Errorf("bad keys kept: %v %v", tab.PrimaryKey, tab.UniqueKeys)
	}
}

// TestCatalogNames: Databases and Tables list what the Catalog knows, with
// names as written.
func TestCatalogNames(t *testing.T) {
	c := NewCatalog()
	ddlApply(t, c, "", "CREATE DATABASE Shop", "CREATE TABLE Shop.Orders (a INT)", "CREATE TABLE shop.items (b INT)",
		"CREATE TABLE other.t (c INT)", "CREATE TABLE shop.gone (d INT)", "DROP TABLE shop.gone")
	dbs := c.Databases()
	slices.Sort(dbs)
	if !reflect.DeepEqual(dbs, []string{"Shop", "other"}) {
		t.Errorf("Databases() = %q", dbs)
	}
	tables := c.Tables("SHOP")
	slices.Sort(tables)
	if !reflect.DeepEqual(tables, []string{"Orders", "items"}) {
		t.Errorf("Tables(SHOP) = %q", tables)
	}
	if got := c.Tables("nosuch"); got != nil {
		t.Errorf("Tables(nosuch) = %q", got)
	}
}

// TestCatalogCreateAgain: a CREATE TABLE applied again (a table dropped and
// made anew by the same text) gives the definition of its text, whatever
// the DDL did to the table it made the first time, in the Catalog and in a
// clone of it, and the first *Table handed out does not change.
func TestCatalogCreateAgain(t *testing.T) {
	c := NewCatalog()
	ddlApply(t, c, "d", "CREATE TABLE t (a INT PRIMARY KEY)")
	first, _ := c.Table("d", "t")
	ddlApply(t, c, "d", "ALTER TABLE t ADD b INT, DROP PRIMARY KEY", "RENAME TABLE t TO u")
	ddlApply(t, c, "d", "CREATE TABLE t (a INT PRIMARY KEY)")
	ddlExpectCols(t, c, "d", "t", "a")
	ddlExpectCols(t, c, "d", "u", "a b")
	cl := c.Clone()
	ddlApply(t, cl, "d", "ALTER TABLE t ADD c INT", "DROP TABLE t", "CREATE TABLE t (a INT PRIMARY KEY)")
	ddlExpectCols(t, cl, "d", "t", "a")
	ddlApply(t, c, "d", "DROP TABLE t", "CREATE TABLE t (a INT PRIMARY KEY)", "ALTER TABLE t ADD z INT")
	ddlExpectCols(t, c, "d", "t", "a z")
	ddlExpectCols(t, cl, "d", "t", "a")
	if ddlColNames(first) != "a" || !reflect.DeepEqual(first.PrimaryKey, []int{0}) {
		t.Errorf("the first definition handed out changed: %s, key %v", ddlColNames(first), first.PrimaryKey)
	}
}

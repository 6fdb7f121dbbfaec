package schema

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// FuzzApplyDDL applies random statements to a Catalog holding a few
// tables. Invariants: ApplyDDL never panics, whatever the text (it returns
// nil or an ErrDDL); every table the Catalog then knows has key indexes
// within its columns; the file splitter and lexer never panic either.
func FuzzApplyDDL(f *testing.F) {
	for _, s := range []string{
		"CREATE TABLE t (id INT NOT NULL PRIMARY KEY, a VARCHAR(10), b INT)",
		"ALTER TABLE t ADD COLUMN c DATETIME(3) AFTER id, DROP COLUMN a",
		"ALTER TABLE t ADD COLUMN z TINYINT FIRST, MODIFY b BIGINT UNSIGNED",
		"ALTER TABLE t CHANGE b bb INT NOT NULL FIRST, ADD UNIQUE KEY u (bb)",
		"ALTER TABLE t DROP PRIMARY KEY, DROP INDEX u, RENAME TO t2",
		"RENAME TABLE t TO x, x TO t",
		"DROP TABLE IF EXISTS t, u",
		"CREATE TABLE u LIKE t",
		"CREATE TABLE s AS SELECT 1",
		"CREATE OR REPLACE TABLE g (p POINT SRID 4326, i INET6 INVISIBLE, KEY point (p) INVISIBLE)",
		"/*!40101 CREATE TABLE v (a INT) */",
		"CREATE TABLE w (a INT) WITH SYSTEM VERSIONING",
		"CREATE TABLE c (a VARCHAR(3) CHARACTER SET utf16 COLLATE utf8mb4_uca1400_ai_ci)",
		"CREATE SEQUENCE q", "DROP DATABASE d", "CREATE UNIQUE INDEX i ON t (a)",
		"ALTER TABLE t RENAME COLUMN a TO `x``y`",
		"CREATE TABLE `",
		"/*M!999999\\- enable the sandbox mode */",
		"ALTER TABLE t ADD COLUMN (a INT, b INT), ALGORITHM=INPLACE, LOCK=NONE",
		"DELIMITER ;;\nCREATE TABLE z (a INT);;\nDELIMITER ;\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		c := NewCatalog()
		if err := c.ApplyDDL("d", "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, a VARCHAR(10), b INT NOT NULL, UNIQUE KEY u (b))"); err != nil {
			t.Fatal(err)
		}
		c.ApplyDDL("d", sql)
		for _, part := range strings.Split(sql, "\n") {
			c.ApplyDDL("d", part)
		}
		ddlSplitStatements(sql, func(_ int, stmt string) error {
			c.ApplyDDL("d", stmt)
			return nil
		})
		for _, db := range c.Databases() {
			for _, name := range c.Tables(db) {
				tab, err := c.Table(db, name)
				if err != nil {
					t.Fatal(err)
				}
				if tab == nil {
					continue
				}
				check := func(ix []int) {
					for _, i := range ix {
						if i < 0 || i >= len(tab.Columns) {
							t.Fatalf("%s.%s: key index %d of %d columns", db, name, i, len(tab.Columns))
						}
					}
				}
				check(tab.PrimaryKey)
				for _, k := range tab.UniqueKeys {
					check(k)
				}
			}
		}
		ddlStripCollations(sql)
		ddlCutTableOptions(sql)
		ddlRewrite(sql)

		// Applied again, a statement the Catalog kept parsed does what it
		// does parsed afresh.
		kept, fresh := NewCatalog(), NewCatalog()
		for _, c := range []*Catalog{kept, fresh} {
			c.ApplyDDL("d", "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, a VARCHAR(10), b INT NOT NULL, UNIQUE KEY u (b))")
			c.ApplyDDL("d", sql)
		}
		errKept := kept.ApplyDDL("d", sql)
		fresh.parsed, fresh.parsedBytes, fresh.columns = nil, 0, nil
		errFresh := fresh.ApplyDDL("d", sql)
		if (errKept == nil) != (errFresh == nil) {
			t.Fatalf("applied again: %v; parsed afresh: %v", errKept, errFresh)
		}
		if dk, df := sorted(kept.Databases()), sorted(fresh.Databases()); !reflect.DeepEqual(dk, df) {
			t.Fatalf("databases %q, afresh %q", dk, df)
		}
		for _, db := range kept.Databases() {
			if tk, tf := sorted(kept.Tables(db)), sorted(fresh.Tables(db)); !reflect.DeepEqual(tk, tf) {
				t.Fatalf("tables of %s %q, afresh %q", db, tk, tf)
			}
			for _, name := range kept.Tables(db) {
				a, errA := kept.Table(db, name)
				b, errB := fresh.Table(db, name)
				if !reflect.DeepEqual(a, b) || (errA == nil) != (errB == nil) {
					t.Fatalf("%s.%s: %+v (%v), afresh %+v (%v)", db, name, a, errA, b, errB)
				}
			}
		}
	})
}

// sorted returns names in order (the Catalog's lists come from maps).
func sorted(names []string) []string {
	return slices.Sorted(slices.Values(names))
}

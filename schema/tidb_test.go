package schema

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pingcap/tidb/pkg/parser/charset"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

func TestCatalogCreateTableColumns(t *testing.T) {
	c := NewCatalog()
	ddlApply(t, c, "d", "CREATE DATABASE d CHARACTER SET latin1",
		"CREATE TABLE gen (\n  id INT NOT NULL PRIMARY KEY,\n  a INT,\n  a2 INT AS (a * 2) STORED,\n  a3 INT GENERATED ALWAYS AS (a * 3) VIRTUAL,\n  hidden_ INT INVISIBLE DEFAULT 7,\n"+
			"  u BIGINT UNSIGNED NOT NULL, s VARCHAR(20) CHARACTER SET utf8mb4, l TEXT, b VARBINARY(3), bl BLOB, j JSON,\n"+
			"  u16 VARCHAR(5) CHARACTER SET utf16, uc CHAR(2) CHARACTER SET ucs2, u3 CHAR(2) CHARSET utf8,\n"+
			"  g GEOMETRY NOT NULL, p POINT, i6 INET6, uu UUID, e ENUM('x','y'), h2 int(11) INVISIBLE,\n"+
			"  UNIQUE KEY uk (u), UNIQUE KEY nullable (a), KEY point (p), INDEX k2 (a) INVISIBLE, KEY k3 USING BTREE (a) INVISIBLE\n) ENGINE=InnoDB")
	tab := ddlTable(t, c, "d", "GEN") // case-insensitive lookup
	if tab == nil {
		t.Fatal("table not found")
	}
	want := []Column{
		{Name: "id", Type: "int(11)"},
		{Name: "a", Type: "int(11)"},
		{Name: "a2", Type: "int(11)", Generated: true},
		{Name: "a3", Type: "int(11)", Generated: true},
		{Name: "hidden_", Type: "int(11)", Invisible: true},
		{Name: "u", Type: "bigint(20) unsigned", Unsigned: true},
		{Name: "s", Type: "varchar(20)", Charset: "utf8mb4"},
		{Name: "l", Type: "text", Charset: "latin1"},
		{Name: "b", Type: "varbinary(3)"},
		{Name: "bl", Type: "blob"},
		{Name: "j", Type: "json"},
		{Name: "u16", Type: "varchar(5)", Charset: "utf16"},
		{Name: "uc", Type: "char(2)", Charset: "ucs2"},
		{Name: "u3", Type: "char(2)", Charset: "utf8mb3"},
		{Name: "g", Type: "geometry"},
		{Name: "p", Type: "point"},
		{Name: "i6", Type: "inet6"},
		{Name: "uu", Type: "uuid"},
		{Name: "e", Type: "enum('x','y')", Charset: "latin1"},
		{Name: "h2", Type: "int(11)", Invisible: true},
	}
	if !reflect.DeepEqual(tab.Columns, want) {
		for i := range max(len(want), len(tab.Columns)) {
			var g, w Column
			if i < len(tab.Columns) {
				g = tab.Columns[i]
			}
			if i < len(want) {
				w = want[i]
			}
			if g != w {
				t.Errorf("column %d = %+v, want %+v", i, g, w)
			}
		}
	}
	if !reflect.DeepEqual(tab.PrimaryKey, []int{0}) {
		t.Errorf("PrimaryKey %v", tab.PrimaryKey)
	}
	// The unique key on the nullable column a is not a row identifier.
	if !reflect.DeepEqual(tab.UniqueKeys, [][]int{{5}}) {
		t.Errorf("UniqueKeys %v", tab.UniqueKeys)
	}
}

func TestCatalogPrimaryKeyForms(t *testing.T) {
	c := NewCatalog()
	ddlApply(t, c, "d",
		"CREATE TABLE comp (a INT, b INT, c INT, CONSTRAINT pk PRIMARY KEY (b, a))",
		"CREATE TABLE inl (a INT PRIMARY KEY, b INT UNIQUE NOT NULL, c INT UNIQUE)",
		"CREATE TABLE nokey (a INT, b INT)")
	if tab := ddlTable(t, c, "d", "comp"); !reflect.DeepEqual(tab.PrimaryKey, []int{1, 0}) {
		t.Errorf("comp pk %v", tab.PrimaryKey)
	}
	tab := ddlTable(t, c, "d", "inl")
	if !reflect.DeepEqual(tab.PrimaryKey, []int{0}) || !reflect.DeepEqual(tab.UniqueKeys, [][]int{{1}}) {
		t.Errorf("inl pk %v uk %v", tab.PrimaryKey, tab.UniqueKeys)
	}
	if tab := ddlTable(t, c, "d", "nokey"); tab.PrimaryKey != nil || tab.UniqueKeys != nil {
		t.Errorf("nokey keys %v %v", tab.PrimaryKey, tab.UniqueKeys)
	}
	// ADD/DROP PRIMARY KEY, ADD UNIQUE, DROP INDEX, CREATE/DROP INDEX.
	ddlApply(t, c, "d", "ALTER TABLE nokey ADD PRIMARY KEY (b), ALGORITHM=INPLACE, LOCK=NONE")
	if tab := ddlTable(t, c, "d", "nokey"); !reflect.DeepEqual(tab.PrimaryKey, []int{1}) {
		t.Errorf("after ADD PRIMARY KEY %v", tab.PrimaryKey)
	}
	ddlApply(t, c, "d", "ALTER TABLE nokey DROP PRIMARY KEY, MODIFY a INT NOT NULL, ADD UNIQUE KEY ua (a)")
	tab = ddlTable(t, c, "d", "nokey")
	if tab.PrimaryKey != nil || !reflect.DeepEqual(tab.UniqueKeys, [][]int{{0}}) {
		t.Errorf("after DROP PRIMARY KEY/ADD UNIQUE: %v %v", tab.PrimaryKey, tab.UniqueKeys)
	}
	ddlApply(t, c, "d", "ALTER TABLE nokey DROP INDEX ua")
	if tab := ddlTable(t, c, "d", "nokey"); tab.UniqueKeys != nil {
		t.Errorf("after DROP INDEX: %v", tab.UniqueKeys)
	}
	ddlApply(t, c, "d", "CREATE UNIQUE INDEX u2 ON nokey (a)")
	if tab := ddlTable(t, c, "d", "nokey"); !reflect.DeepEqual(tab.UniqueKeys, [][]int{{0}}) {
		t.Errorf("after CREATE UNIQUE INDEX: %v", tab.UniqueKeys)
	}
	ddlApply(t, c, "d", "DROP INDEX u2 ON nokey")
	if tab := ddlTable(t, c, "d", "nokey"); tab.UniqueKeys != nil {
		t.Errorf("after DROP INDEX … ON: %v", tab.UniqueKeys)
	}
	// A key follows its column through CHANGE (rename) and DROP COLUMN.
	ddlApply(t, c, "d", "ALTER TABLE comp CHANGE b bee INT NOT NULL AFTER c")
	if tab := ddlTable(t, c, "d", "comp"); ddlColNames(tab) != "a c bee" || !reflect.DeepEqual(tab.PrimaryKey, []int{2, 0}) {
		t.Errorf("comp after CHANGE: %s %v", ddlColNames(tab), tab.PrimaryKey)
	}
	ddlApply(t, c, "d", "ALTER TABLE comp RENAME COLUMN a TO aa")
	if tab := ddlTable(t, c, "d", "comp"); ddlColNames(tab) != "aa c bee" || !reflect.DeepEqual(tab.PrimaryKey, []int{2, 0}) {
		t.Errorf("comp after RENAME COLUMN: %s %v", ddlColNames(tab), tab.PrimaryKey)
	}
	ddlApply(t, c, "d", "ALTER TABLE comp DROP COLUMN bee")
	if tab := ddlTable(t, c, "d", "comp"); !reflect.DeepEqual(tab.PrimaryKey, []int{0}) {
		t.Errorf("comp after DROP COLUMN of a key column: %v", tab.PrimaryKey)
	}
}

func TestCatalogAlterForms(t *testing.T) {
	c := NewCatalog()
	ddlApply(t, c, "d", "CREATE TABLE t (a INT)")
	ddlApply(t, c, "d", "ALTER TABLE t ADD COLUMN b INT, ADD COLUMN c INT FIRST, ADD d INT AFTER a")
	ddlExpectCols(t, c, "d", "t", "c a d b")
	ddlApply(t, c, "d", "ALTER TABLE t ADD COLUMN (e INT, f INT)")
	ddlExpectCols(t, c, "d", "t", "c a d b e f")
	ddlApply(t, c, "d", "ALTER TABLE t DROP COLUMN e, DROP f, DROP COLUMN IF EXISTS nope, ADD COLUMN IF NOT EXISTS a INT")
	ddlExpectCols(t, c, "d", "t", "c a d b")
	ddlApply(t, c, "d", "ALTER ONLINE TABLE t ADD COLUMN g INT")
	ddlExpectCols(t, c, "d", "t", "c a d b g")
	ddlApply(t, c, "d", "ALTER TABLE t RENAME TO d2.t2")
	if ddlTable(t, c, "d", "t") != nil {
		t.Error("t still there after RENAME TO")
	}
	tab := ddlExpectCols(t, c, "d2", "t2", "c a d b g")
	if tab.Database != "d2" || tab.Name != "t2" {
		t.Errorf("renamed table is %s.%s", tab.Database, tab.Name)
	}
	ddlApply(t, c, "d2", "ALTER TABLE t2 RENAME AS t3, ALGORITHM=COPY")
	ddlExpectCols(t, c, "d2", "t3", "c a d b g")
	// ALTER of a table the catalog does not know: nothing, no error.
	ddlApply(t, c, "d", "ALTER TABLE unknown ADD COLUMN x INT")
	if ddlTable(t, c, "d", "unknown") != nil {
		t.Error("ALTER created a table")
	}
	// Qualified names override the default database.
	ddlApply(t, c, "other", "ALTER TABLE d2.t3 ADD COLUMN h INT AFTER g")
	ddlExpectCols(t, c, "d2", "t3", "c a d b g h")
	// CONVERT TO CHARACTER SET changes the text columns.
	ddlApply(t, c, "d", "CREATE TABLE cs (a INT, s VARCHAR(3) CHARACTER SET latin1)", "ALTER TABLE cs CONVERT TO CHARACTER SET utf8mb4")
	if tab := ddlTable(t, c, "d", "cs"); tab.Columns[0].Charset != "" || tab.Columns[1].Charset != "utf8mb4" {
		t.Errorf("after CONVERT: %+v", tab.Columns)
	}
}

func TestCatalogRenameDropTruncateDatabases(t *testing.T) {
	c := NewCatalog()
	ddlApply(t, c, "d", "CREATE TABLE a (x INT)", "CREATE TABLE b (y INT)", "CREATE TABLE c (z INT)")
	// Swap through a temporary name in one statement.
	ddlApply(t, c, "d", "RENAME TABLE a TO tmp, b TO a, tmp TO b")
	ddlExpectCols(t, c, "d", "a", "y")
	ddlExpectCols(t, c, "d", "b", "x")
	ddlApply(t, c, "d", "TRUNCATE TABLE a", "TRUNCATE b")
	ddlExpectCols(t, c, "d", "a", "y")
	ddlApply(t, c, "d", "DROP TABLE IF EXISTS a, nothere, `c`")
	ddlExpectCols(t, c, "d", "a", "<nil>")
	ddlExpectCols(t, c, "d", "c", "<nil>")
	ddlExpectCols(t, c, "d", "b", "x")
	ddlApply(t, c, "d", "DROP TABLE `b` /* generated by server */")
	ddlExpectCols(t, c, "d", "b", "<nil>")
	ddlApply(t, c, "", "CREATE DATABASE e", "CREATE TABLE e.t (a INT)", "CREATE TABLE d.u (b INT)", "DROP DATABASE e")
	ddlExpectCols(t, c, "e", "t", "<nil>")
	ddlExpectCols(t, c, "d", "u", "b")
	// Temporary tables are not tracked.
	ddlApply(t, c, "d", "CREATE TEMPORARY TABLE u (z INT)", "DROP TEMPORARY TABLE u")
	ddlExpectCols(t, c, "d", "u", "b")
}

func TestCatalogCreateLikeSelectReplaceSequence(t *testing.T) {
	c := NewCatalog()
	ddlApply(t, c, "d", "CREATE TABLE src (id INT PRIMARY KEY, v VARCHAR(3))",
		"CREATE TABLE cp LIKE src", "CREATE TABLE cp2 (LIKE d.src)", "CREATE TABLE sel AS SELECT id FROM src",
		"CREATE TABLE sel2 (extra INT) SELECT * FROM src", "CREATE TABLE ghost LIKE missing")
	tab := ddlExpectCols(t, c, "d", "cp", "id v")
	if tab.Name != "cp" || !reflect.DeepEqual(tab.PrimaryKey, []int{0}) {
		t.Errorf("cp = %+v", tab)
	}
	ddlExpectCols(t, c, "d", "cp2", "id v")
	// CREATE … SELECT and LIKE of an unknown table: known to exist, columns unknown.
	for _, n := range []string{"sel", "sel2", "ghost"} {
		ddlExpectCols(t, c, "d", n, "<nil>")
	}
	// CREATE TABLE IF NOT EXISTS keeps an existing table; OR REPLACE replaces it.
	ddlApply(t, c, "d", "CREATE TABLE IF NOT EXISTS cp (other INT)")
	ddlExpectCols(t, c, "d", "cp", "id v")
	ddlApply(t, c, "d", "CREATE OR REPLACE TABLE cp (other INT)")
	ddlExpectCols(t, c, "d", "cp", "other")
	// A MariaDB sequence is a table whose changes are logged as rows.
	ddlApply(t, c, "d", "CREATE SEQUENCE seq1 START WITH 100 INCREMENT BY 5")
	ddlExpectCols(t, c, "d", "seq1", "next_not_cached_value minimum_value maximum_value start_value increment cache_size cycle_option cycle_count")
	ddlApply(t, c, "d", "DROP SEQUENCE seq1")
	ddlExpectCols(t, c, "d", "seq1", "<nil>")
}

func TestCatalogIgnoredStatements(t *testing.T) {
	c := NewCatalog()
	ddlApply(t, c, "d", "CREATE TABLE t (a INT)")
	for _, s := range []string{
		"BEGIN", "COMMIT", "INSERT INTO t VALUES (1)", "SET @x = 1", "XA END X'01',X'',1",
		"/*!40101 SET NAMES utf8 */", "SAVEPOINT `sp1`", "CREATE VIEW w AS SELECT * FROM t",
		"CREATE DEFINER=`root`@`localhost` TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1",
		"CREATE PROCEDURE p() BEGIN ALTER TABLE t ADD x INT; END", "ALTER DATABASE d CHARACTER SET latin1",
		"GRANT ALL ON *.* TO x", "DROP VIEW w", "ALTER SEQUENCE s RESTART WITH 5", "DROP TRIGGER tr", "", "   ", "-- just a comment",
		"CREATE TABLE t2 this is not SQL", // not ignored: see TestCatalogErrors
	}[:18] {
		ddlApply(t, c, "d", s)
	}
	ddlExpectCols(t, c, "d", "t", "a")
}

func TestCatalogErrors(t *testing.T) {
	c := NewCatalog()
	for _, s := range []string{
		"CREATE TABLE t2 this is not SQL",
		"ALTER TABLE t ADD COLUMN ((( broken",
		"DROP TABLE ,",
	} {
		err := c.ApplyDDL("d", s)
		if err == nil || !errors.Is(err, ErrDDL) {
			t.Errorf("ApplyDDL(%q) = %v, want an ErrDDL", s, err)
			continue
		}
		if !strings.Contains(err.Error(), s[:10]) {
			t.Errorf("error %q does not name the statement", err)
		}
	}
	long := "CREATE TABLE t3 (" + strings.Repeat("a INT, ", 40) + " syntax error here"
	err := c.ApplyDDL("d", long)
	if err == nil || !strings.Contains(err.Error(), "CREATE TABLE t3 (a INT,") || strings.Contains(err.Error(), "syntax error here\"") {
		t.Errorf("long statement error = %v", err)
	}
}

// TestRecordedDDL replays the QUERY events of the recorded MariaDB binlogs
// (testdata/recorded, both variants) through a Catalog, in stream order:
// every statement parses or is ignored cleanly, and at every TABLE_MAP the
// Catalog's columns for the table are the ones the server logged (FULL
// metadata column names), before and after each ALTER of the workload's
// evolve table (TESTCASES #33), and its primary key is the logged one.
func TestRecordedDDL(t *testing.T) {
	for _, variant := range []string{"full", "minimal"} {
		t.Run(variant, func(t *testing.T) {
			files, _ := filepath.Glob("../testdata/recorded/mariadb-10_11-" + variant + ".00000?")
			if len(files) == 0 {
				t.Skip("no recorded binlogs")
			}
			c := NewCatalog()
			var ddl, checked int
			seen := map[string]bool{}
			for _, f := range files {
				src, err := binlog.OpenFile(f)
				if err != nil {
					t.Fatal(err)
				}
				r := binlog.NewReader(src)
				for {
					ev, err := r.Next(context.Background())
					if err == io.EOF {
						break
					}
					if err != nil {
						t.Fatalf("%s: %v", f, err)
					}
					switch b := ev.Body.(type) {
					case *event.Query:
						if ddlParses(string(b.Query)) {
							ddl++
						}
						if err := c.ApplyDDL(string(b.Schema), string(b.Query)); err != nil {
							t.Errorf("%s at %d: %v", filepath.Base(f), ev.Pos, err)
						}
					case *event.TableMap:
						names, ok := b.ColumnNames()
						if !ok {
							continue
						}
						var logged []string
						for n := range names.All() {
							logged = append(logged, string(n))
						}
						tab, _ := c.Table(string(b.Schema), string(b.Table))
						if got := ddlColNames(tab); got != strings.Join(logged, " ") {
							t.Errorf("%s at %d: %s.%s columns %q, logged %q", filepath.Base(f), ev.Pos, b.Schema, b.Table, got, strings.Join(logged, " "))
							continue
						}
						if pk, ok := b.SimplePrimaryKey(); ok {
							var want []int
							for i := range pk.All() {
								want = append(want, int(i))
							}
							if !reflect.DeepEqual(tab.PrimaryKey, want) {
								t.Errorf("%s at %d: %s primary key %v, logged %v", filepath.Base(f), ev.Pos, b.Table, tab.PrimaryKey, want)
							}
						}
						checked++
						seen[string(b.Table)+"/"+ddlColNames(tab)] = true
					}
				}
				src.Close()
			}
			// The evolve table was seen in each of its versions.
			for _, v := range []string{"evolve/id a b", "evolve/id c a b", "evolve/id c b", "evolve/z id c b", "evolved/z id c b"} {
				if !seen[v] {
					t.Errorf("no TABLE_MAP of version %q", v)
				}
			}
			t.Logf("%d DDL statements, %d TABLE_MAPs checked", ddl, checked)
		})
	}
}

// TestCorpusDDL applies every QUERY event of the shared corpus of real
// MySQL and MariaDB binlogs (../shared/testdata/binlogs, skipped when
// absent) to a Catalog, and when binlog-invisible-columns is there, checks
// its TABLE_MAP column names like TestRecordedDDL. A statement that does
// not parse is logged (a few MySQL test files hold deliberately odd DDL)
// and counted; none may panic, and the invisible-column tables must match.
func TestCorpusDDL(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "testdata", "binlogs")
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) == 0 {
		t.Skip("no shared corpus")
	}
	var ddl, failed int
	for _, f := range files {
		base := filepath.Base(f)
		if strings.HasSuffix(base, ".md") || base == "SHA256SUMS" || base == "mariadb-binlog-output" {
			continue
		}
		src, err := binlog.OpenFile(f)
		if err != nil {
			continue
		}
		c := NewCatalog()
		r := binlog.NewReader(src)
		for {
			ev, err := r.Next(context.Background())
			if err != nil {
				break // truncated and corrupt files end early on purpose
			}
			switch b := ev.Body.(type) {
			case *event.Query:
				if !ddlParses(string(b.Query)) {
					continue
				}
				ddl++
				if err := c.ApplyDDL(string(b.Schema), string(b.Query)); err != nil {
					failed++
					t.Logf("%s at %d: %v", base, ev.Pos, err)
				}
			case *event.TableMap:
				names, ok := b.ColumnNames()
				if !ok || base != "binlog-invisible-columns.000001" {
					continue
				}
				var logged []string
				for n := range names.All() {
					logged = append(logged, string(n))
				}
				tab, _ := c.Table(string(b.Schema), string(b.Table))
				if got := ddlColNames(tab); got != strings.Join(logged, " ") {
					t.Errorf("%s at %d: %s columns %q, logged %q", base, ev.Pos, b.Table, got, strings.Join(logged, " "))
				}
			}
		}
		src.Close()
	}
	t.Logf("%d DDL statements, %d not parsed", ddl, failed)
	if failed > 0 {
		t.Errorf("%d statements of the corpus not parsed", failed)
	}
}

// TestParserCharsetsOnFirstParse runs in a process of its own (this test
// binary started again), where nothing has parsed yet: importing the
// package registers no character set with the TiDB parser, a Catalog's
// first parse does, and RegisterParserCharsets may then be called again.
func TestParserCharsetsOnFirstParse(t *testing.T) {
	if os.Getenv("SCHEMA_TEST_FRESH_PROCESS") != "1" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestParserCharsetsOnFirstParse$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), "SCHEMA_TEST_FRESH_PROCESS=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestParserCharsetsOnFirstParse") {
			t.Fatalf("in a fresh process: %v\n%s", err, out)
		}
		return
	}
	for _, cs := range []string{"utf16", "ucs2", "cp1250"} {
		if _, err := charset.GetCharsetInfo(cs); err == nil {
			t.Fatalf("%s is registered before any parse: importing the package changed the TiDB parser", cs)
		}
	}
	c := NewCatalog()
	ddlApply(t, c, "d", "CREATE TABLE t (a VARCHAR(3) CHARACTER SET utf16, b CHAR(2) CHARSET ucs2, c TEXT CHARACTER SET cp1250)")
	tab := ddlTable(t, c, "d", "t")
	if tab == nil || tab.Columns[0].Charset != "utf16" || tab.Columns[1].Charset != "ucs2" || tab.Columns[2].Charset != "cp1250" {
		t.Fatalf("t = %+v", tab)
	}
	for _, cs := range []string{"utf16", "ucs2", "cp1250"} {
		if _, err := charset.GetCharsetInfo(cs); err != nil {
			t.Errorf("%s not registered after the first parse: %v", cs, err)
		}
	}
	RegisterParserCharsets()
	RegisterParserCharsets()
	ddlApply(t, c, "d", "ALTER TABLE t ADD COLUMN u32 VARCHAR(1) CHARACTER SET utf32")
	ddlExpectCols(t, c, "d", "t", "a b c u32")
}

// TestApplyDDLRepeated: statements applied again from the memory of parsed
// texts change the catalog as when parsed anew, and the memory stays within
// its bounds.
func TestApplyDDLRepeated(t *testing.T) {
	stmts := []string{
		"CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10), b INT AS (id + 1) VIRTUAL)",
		"ALTER TABLE t ADD COLUMN c INT AFTER id",
		"DROP TABLE t",
		"CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10), b INT AS (id + 1) VIRTUAL)",
		"RENAME TABLE t TO u",
		"CREATE DATABASE IF NOT EXISTS shop CHARACTER SET latin1",
		"CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10), b INT AS (id + 1) VIRTUAL)",
		"ALTER TABLE t ADD COLUMN c INT AFTER id",
	}
	memo, fresh := NewCatalog(), NewCatalog()
	for round := 0; round < 3; round++ {
		for _, q := range stmts {
			if err := memo.ApplyDDL("shop", q); err != nil {
				t.Fatal(err)
			}
			fresh.parsed = nil
			if err := fresh.ApplyDDL("shop", q); err != nil {
				t.Fatal(err)
			}
		}
		for _, name := range []string{"t", "u"} {
			a, errA := memo.Table("shop", name)
			b, errB := fresh.Table("shop", name)
			if errA != nil || errB != nil || !reflect.DeepEqual(a, b) {
				t.Errorf("round %d: %s: %+v (%v) after remembered statements, %+v (%v) parsed anew", round, name, a, errA, b, errB)
			}
		}
		// t was made again once the database's character set was known.
		if tt, err := memo.Table("shop", "t"); err != nil || len(tt.Columns) != 4 || tt.Columns[2].Charset != "latin1" {
			t.Errorf("round %d: t: %+v (%v)", round, tt, err)
		}
	}
	if len(memo.parsed) != 5 {
		t.Errorf("%d texts remembered, want 5", len(memo.parsed))
	}
	c := NewCatalog()
	for i := range 2 * maxParsed {
		c.ApplyDDL("shop", fmt.Sprintf("CREATE TABLE t%d (a INT)", i))
	}
	if len(c.parsed) > maxParsed || c.parsedBytes > maxParsedBytes {
		t.Errorf("%d texts, %d bytes remembered", len(c.parsed), c.parsedBytes)
	}
}

package sqlgen

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
	"github.com/binlogkit/binlogkit/schema"
)

const (
	recordedFull    = "../testdata/recorded/mariadb-10_11-full.000001"
	recordedMinimal = "../testdata/recorded/mariadb-10_11-minimal.000001"
)

// runGen feeds a recorded binlog to g; strip drops the Table_maps' optional
// metadata first (a server with binlog_row_metadata=MINIMAL). It returns
// the SQL and the first error.
func runGen(t *testing.T, path string, g *Generator, strip bool) (string, error) {
	t.Helper()
	src, err := binlog.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	r := binlog.NewReader(src)
	var out []byte
	for {
		ev, err := r.Next(context.Background())
		if err == io.EOF {
			return string(out), nil
		}
		if err != nil {
			t.Fatal(err)
		}
		if tm, ok := ev.Body.(*event.TableMap); ok && strip {
			tm.Optional = nil
		}
		if out, err = g.AppendEvent(out, ev); err != nil {
			return string(out), err
		}
	}
}

// staticSchema knows fixed tables and ignores DDL.
type staticSchema map[string]*schema.Table

func (s staticSchema) Table(db, name string) (*schema.Table, error) { return s[db+"."+name], nil }
func (s staticSchema) ApplyDDL(string, string) error                { return nil }

func intsTable(types ...string) *schema.Table {
	names := []string{"id", "ti", "tiu", "si", "siu", "mi", "miu", "i", "iu", "bi", "biu", "bool_"}
	t := &schema.Table{Database: "binlogkit", Name: "ints", PrimaryKey: []int{0}}
	for i, n := range names {
		c := schema.Column{Name: n}
		if i < len(types) {
			c.Type = types[i]
		}
		t.Columns = append(t.Columns, c)
	}
	return t
}

func TestUnknownNamesNamesTheThreeWays(t *testing.T) {
	_, err := runGen(t, recordedFull, New(nil, Options{}), true)
	var un *UnknownNamesError
	if !errors.As(err, &un) {
		t.Fatalf("got %v, want an UnknownNamesError", err)
	}
	msg := err.Error()
	for _, want := range []string{"binlog_row_metadata=FULL", "--schema FILE", "--schema-dsn DSN", "binlogkit.ints", "mariadb-10_11-full.000001", "position "} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not mention %q", msg, want)
		}
	}
}

// TESTCASES #33: a schema that does not fit the Table_map stops the run
// with file, position and table; no SQL for the misaligned rows.
func TestSchemaMismatch_TESTCASES33(t *testing.T) {
	short := intsTable()
	short.Columns = short.Columns[:11]
	out, err := runGen(t, recordedFull, New(staticSchema{"binlogkit.ints": short}, Options{}), true)
	var me *MismatchError
	if !errors.As(err, &me) {
		t.Fatalf("got %v, want a MismatchError", err)
	}
	if me.Table != "binlogkit.ints" || me.Pos == 0 || !strings.HasSuffix(me.File, "mariadb-10_11-full.000001") {
		t.Errorf("error names %+v", me)
	}
	if strings.Contains(out, "`ints`") {
		t.Errorf("SQL written for misaligned rows:\n%s", out)
	}
	// Same count, but a declared type that is not the logged one.
	_, err = runGen(t, recordedFull, New(staticSchema{"binlogkit.ints": intsTable("int", "json")}, Options{}), true)
	if !errors.As(err, &me) || !strings.Contains(me.Reason, "json") {
		t.Fatalf("got %v, want a type MismatchError", err)
	}
}

func TestSchemaNamesWithoutMetadata(t *testing.T) {
	tab := intsTable("int", "tinyint", "tinyint unsigned")
	tab.Columns[1].Name = "renamed`ti"
	g := New(staticSchema{"binlogkit.ints": tab}, Options{NoComments: true, SQLTypes: SQLInsert})
	out, err := runGen(t, recordedFull, g, true)
	var un *UnknownNamesError
	if !errors.As(err, &un) || un.Table == "binlogkit.ints" {
		t.Fatalf("got %v, want to stop at the next table without names", err)
	}
	want := "INSERT INTO `binlogkit`.`ints` (`id`,`renamed``ti`,`tiu`,`si`,`siu`,`mi`,`miu`,`i`,`iu`,`bi`,`biu`,`bool_`) VALUES (1,-128,0,-32768,0,-8388608,0,-2147483648,0,-9223372036854775808,0,0);\n"
	if !strings.Contains(out, want) {
		t.Errorf("missing %s in\n%s", want, out)
	}
}

func TestPositionalFallbackWritesNoSQL(t *testing.T) {
	out, err := runGen(t, recordedFull, New(nil, Options{Positional: true}), true)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "@1") && !strings.HasPrefix(l, "# ") {
			t.Fatalf("positional statement written as SQL: %s", l)
		}
	}
	if !strings.Contains(out, "# INSERT INTO `binlogkit`.`ints` (@1,@2,") {
		t.Error("no positional comment")
	}
}

// TESTCASES #24: MINIMAL images: UPDATE's SET has only the after image's
// columns and WHERE only the before image's (the key); never "=NULL" for a
// column the image left out.
func TestMinimalImages_TESTCASES24(t *testing.T) {
	out, err := runGen(t, recordedMinimal, New(nil, Options{NoComments: true}), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"UPDATE `binlogkit`.`ints` SET `ti`=-64, `biu`=3230202323 WHERE `id`=1;",
		"DELETE FROM `binlogkit`.`ints` WHERE `id`=4;",
		"UPDATE `binlogkit`.`nopk` SET `b`='y' WHERE `a`<=>1 AND `b`<=>'x' LIMIT 1;",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s", want)
		}
	}
	if strings.Contains(out, "IS NULL") {
		t.Error("IS NULL in the output")
	}
}

func TestOptions(t *testing.T) {
	g := New(nil, Options{FullColumns: true, NoPrimaryKey: true, Replace: true, BatchRows: 2,
		RewriteDB: map[string]string{"binlogkit": "copy`db"}, DDL: true, Location: time.FixedZone("X", 3600)})
	out, err := runGen(t, recordedFull, g, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"REPLACE INTO `copy``db`.`ints` (`ti`,`tiu`,`si`,`siu`,`mi`,`miu`,`i`,`iu`,`bi`,`biu`,`bool_`) VALUES (-128,0,-32768,0,-8388608,0,-2147483648,0,-9223372036854775808,0,0),\n(127,",
		"UPDATE `copy``db`.`ints` SET `id`=3, `ti`=0, `tiu`=1,",
		"USE `copy``db`;\n",
		" time 2026-11-21 15:44:03 gtid 0-1-3\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q", want)
		}
	}
	out, err = runGen(t, recordedFull, New(nil, Options{SQLTypes: SQLDelete, NoComments: true}), false)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "INSERT") || strings.Contains(out, "UPDATE") || !strings.Contains(out, "DELETE FROM `binlogkit`.`ints` WHERE `id`=4;\n") {
		t.Errorf("SQLTypes: %s", out[:200])
	}
}

func TestClassifyQuery(t *testing.T) {
	for q, want := range map[string]int{
		"BEGIN":                             stmtBegin,
		"COMMIT":                            stmtEnd,
		"XA END X'01',X'',1":                stmtXA,
		"/* c */ create table t (a int)":    stmtDDL,
		"CREATE OR REPLACE TABLE t (a int)": stmtDDL,
		"ALTER IGNORE TABLE t ADD b INT":    stmtDDL,
		"CREATE UNIQUE INDEX i ON t (a)":    stmtDDL,
		"RENAME TABLE a TO b":               stmtDDL,
		"TRUNCATE t":                        stmtDDL,
		"CREATE DATABASE d":                 stmtDBDDL,
		"DROP SCHEMA d":                     stmtDBDDL,
		"ALTER USER 'root'@'x'":             stmtOther,
		"CREATE TRIGGER tr BEFORE INSERT":   stmtOther,
		"CREATE DEFINER=x TRIGGER tr":       stmtOther,
		"GRANT ALL ON *.* TO x":             stmtOther,
		"INSERT INTO t VALUES (1)":          stmtOther,
	} {
		if got := classifyQuery([]byte(q)); got != want {
			t.Errorf("classifyQuery(%q) = %d, want %d", q, got, want)
		}
	}
}

func TestMetadata(t *testing.T) {
	s := schema.NewMetadata()
	g := New(s, Options{})
	if _, err := runGen(t, recordedFull, g, false); err != nil {
		t.Fatal(err)
	}
	tab, _ := s.Table("binlogkit", "ints")
	if tab == nil || len(tab.Columns) != 12 || tab.Columns[2].Name != "tiu" || !tab.Columns[2].Unsigned || len(tab.PrimaryKey) != 1 || tab.PrimaryKey[0] != 0 {
		t.Fatalf("ints: %+v", tab)
	}
	if err := s.ApplyDDL("binlogkit", "DROP TABLE ints"); err != nil {
		t.Fatal(err)
	}
	if tab2, _ := s.Table("binlogkit", "ints"); tab2 != tab {
		t.Error("ApplyDDL changed the metadata schema")
	}
	if tab, _ := s.Table("binlogkit", "nosuch"); tab != nil {
		t.Error("unknown table known")
	}
	// Without names logged, nothing is learned.
	s2 := schema.NewMetadata()
	runGen(t, recordedFull, New(s2, Options{}), true)
	if tab, _ := s2.Table("binlogkit", "ints"); tab != nil {
		t.Error("a table without logged names was learned")
	}
}

// A Generator turns every event of a binlog, in order, into SQL; here
// column names come from the Table_maps (binlog_row_metadata=FULL).
func ExampleGenerator() {
	src, err := binlog.OpenFile("../testdata/recorded/mariadb-10_11-full.000003")
	if err != nil {
		panic(err)
	}
	defer src.Close()
	r := binlog.NewReader(src)
	g := New(nil, Options{NoComments: true, SQLTypes: SQLUpdate | SQLDelete})
	out := g.Preamble(nil)
	for {
		ev, err := r.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			panic(err)
		}
		if out, err = g.AppendEvent(out, ev); err != nil {
			panic(err)
		}
	}
	os.Stdout.Write(out)
	// Output:
	// SET NAMES utf8mb4;
	// SET time_zone='+00:00';
	// SET sql_mode='NO_AUTO_VALUE_ON_ZERO';
	// BEGIN;
	// UPDATE `binlogkit`.`tx` SET `v`='after restart' WHERE `id`=2;
	// COMMIT;
	// BEGIN;
	// DELETE FROM `binlogkit`.`geo` WHERE `id`=2;
	// COMMIT;
}

// A schema with a generated column the Table_map does not have: the stored
// columns are the Table_map's, in order.
func TestGeneratedColumnNotLogged(t *testing.T) {
	tab := intsTable()
	cols := append([]schema.Column{}, tab.Columns[:2]...)
	cols = append(cols, schema.Column{Name: "virt", Generated: true})
	tab.Columns = append(cols, tab.Columns[2:]...)
	g := New(staticSchema{"binlogkit.ints": tab}, Options{NoComments: true, SQLTypes: SQLInsert})
	out, _ := runGen(t, recordedFull, g, true)
	want := "INSERT INTO `binlogkit`.`ints` (`id`,`ti`,`tiu`,`si`,`siu`,`mi`,`miu`,`i`,`iu`,`bi`,`biu`,`bool_`) VALUES (1,-128,0,"
	if !strings.Contains(out, want) {
		t.Errorf("missing %s in\n%.300s", want, out)
	}
}

// TestObserveTracksFilteredDDL: DDL an event filter drops still updates the
// schema, so rows after it decode against the right columns.
func TestObserveTracksFilteredDDL(t *testing.T) {
	cat := schema.NewCatalog()
	g := New(cat, Options{})
	for _, sql := range []string{"CREATE TABLE t (a INT PRIMARY KEY, b INT)", "ALTER TABLE t ADD COLUMN c INT FIRST", "INSERT INTO t VALUES (1, 2, 3)"} {
		ev := &event.Event{Body: &event.Query{Schema: []byte("db"), Query: []byte(sql)}}
		if err := g.Observe(ev); err != nil {
			t.Fatal(err)
		}
	}
	tb, err := cat.Table("db", "t")
	if err != nil || tb == nil || len(tb.Columns) != 3 || tb.Columns[0].Name != "c" {
		t.Fatalf("table after observed DDL: %+v, %v", tb, err)
	}
}

// TestCatalogChangeResolvesAgain: with a Catalog, what the Generator derived
// from a table's definition is kept while the Catalog's Generation stays the
// same, and derived again after DDL changes it, even under an unchanged
// Table_map.
func TestCatalogChangeResolvesAgain(t *testing.T) {
	s := binlogtest.NewStream(event.MariaDB)
	cols := []binlogtest.Column{{Name: "a", Type: 3}, {Name: "b", Type: 3}}
	row := func(a, b int64) []rowcodec.Value { return []rowcodec.Value{rowcodec.IntValue(a), rowcodec.IntValue(b)} }
	s.DDL("db", "CREATE TABLE t (a INT PRIMARY KEY, b INT)")
	s.Begin().TableMap(7, "db", "t", cols...).Insert(7, row(1, 2)).XID()
	s.Begin().TableMap(7, "db", "t", cols...).Insert(7, row(3, 4)).XID()
	s.DDL("db", "ALTER TABLE t CHANGE b bee INT")
	s.Begin().TableMap(7, "db", "t", cols...).Insert(7, row(5, 6)).XID()
	data, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	g := New(schema.NewCatalog(), Options{NoComments: true})
	r := binlog.NewReader(binlog.NewStreamSource(bytes.NewReader(data), "t.bin"))
	var out []byte
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if tm, ok := ev.Body.(*event.TableMap); ok {
			tm.Optional = nil // names from the Catalog (binlog_row_metadata=MINIMAL)
		}
		if out, err = g.AppendEvent(out, ev); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []string{"(`a`,`b`) VALUES (1,2)", "(`a`,`b`) VALUES (3,4)", "(`a`,`bee`) VALUES (5,6)"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("missing %s in\n%s", want, out)
		}
	}
}

// TestTypesCheckedAgainAfterRebuild: a table id whose Table_map changes
// its column types (the schema's definitions staying the same) has its
// types checked again: a declared VARCHAR logged as a BLOB the second time
// stops the run there.
func TestTypesCheckedAgainAfterRebuild(t *testing.T) {
	s := binlogtest.NewStream(event.MariaDB)
	row := []rowcodec.Value{rowcodec.IntValue(1), rowcodec.StringValue([]byte("x"), 45)}
	s.Begin().TableMap(1, "shop", "t", binlogtest.Column{Name: "id", Type: event.ColumnTypeLong}, binlogtest.Column{Name: "v", Type: event.ColumnTypeVarchar, Meta: 40}).Insert(1, row).XID()
	s.Begin().TableMap(1, "shop", "t", binlogtest.Column{Name: "id", Type: event.ColumnTypeLong}, binlogtest.Column{Name: "v", Type: event.ColumnTypeVarchar, Meta: 40}).Insert(1, row).XID()
	s.Begin().TableMap(1, "shop", "t", binlogtest.Column{Name: "id", Type: event.ColumnTypeLong}, binlogtest.Column{Name: "v", Type: event.ColumnTypeBlob, Meta: 2}).Insert(1, row).XID()
	b, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bin.000001")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	def := &schema.Table{Database: "shop", Name: "t", PrimaryKey: []int{0},
		Columns: []schema.Column{{Name: "id", Type: "int"}, {Name: "v", Type: "varchar(10)"}}}
	out, err := runGen(t, path, New(staticSchema{"shop.t": def}, Options{NoComments: true}), true)
	var me *MismatchError
	if !errors.As(err, &me) || !strings.Contains(me.Reason, "varchar") {
		t.Fatalf("got %v, want a type MismatchError", err)
	}
	if n := strings.Count(out, "INSERT INTO"); n != 2 {
		t.Errorf("%d INSERTs before the mismatch, want 2:\n%s", n, out)
	}
}

// TestForkConcurrent: Generators forked from one write, at the same time,
// what the one they were forked from writes, whether the Provider is
// shared (behind the forks' lock) or a *schema.Metadata (copied for each).
func TestForkConcurrent(t *testing.T) {
	for _, p := range []schema.Provider{staticSchema{}, schema.NewMetadata(), nil} {
		g := New(p, Options{AllowUnknownGenerated: true})
		forks := []*Generator{g.Fork(), g.Fork(), g.Fork()}
		want, wantErr := runGen(t, recordedFull, g, false)
		if len(want) < 1000 {
			t.Fatalf("%T: %d bytes of SQL (%v)", p, len(want), wantErr)
		}
		got := make([]string, len(forks))
		errs := make([]error, len(forks))
		var wg sync.WaitGroup
		for i, f := range forks {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[i], errs[i] = runGen(t, recordedFull, f, false)
			}()
		}
		wg.Wait()
		for i := range forks {
			if got[i] != want || errText(errs[i]) != errText(wantErr) {
				t.Errorf("%T: fork %d wrote %d bytes (error %v), want %d (error %v): %s", p, i, len(got[i]), errs[i], len(want), wantErr, diffAt(want, got[i]))
			}
		}
	}
}

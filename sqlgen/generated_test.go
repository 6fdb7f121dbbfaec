package sqlgen

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
	"github.com/binlogkit/binlogkit/schema"
)

// genStream is a binlog of the given flavor with FULL metadata (names
// logged) inserting into db.gen (id, a, g), where g is, on the source, a
// generated column; the Table_map does not say so.
func genStream(t *testing.T, flavor event.Flavor) []byte {
	t.Helper()
	s := binlogtest.NewStream(flavor)
	s.Begin().
		TableMap(71, "db", "gen",
			binlogtest.Column{Name: "id", Type: event.ColumnTypeLong},
			binlogtest.Column{Name: "a", Type: event.ColumnTypeLong, Nullable: true},
			binlogtest.Column{Name: "g", Type: event.ColumnTypeLong, Nullable: true}).
		Insert(71, []rowcodec.Value{rowcodec.IntValue(1), rowcodec.IntValue(2), rowcodec.IntValue(4)}).
		XID()
	b, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// generate runs g over raw and returns the SQL and the first error; with
// check, every Table_map goes through CheckTableMap first and its error
// ends the run before anything is written.
func generate(t *testing.T, raw []byte, g *Generator, check bool) (string, error) {
	t.Helper()
	r := binlog.NewReader(binlog.NewStreamSource(bytes.NewReader(raw), "bin.000001"))
	var out []byte
	for {
		ev, err := r.Next(context.Background())
		if err == io.EOF {
			return string(out), nil
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := ev.Body.(*event.TableMap); ok && check {
			if err := g.CheckTableMap(ev); err != nil {
				return string(out), err
			}
		}
		if out, err = g.AppendEvent(out, ev); err != nil {
			return string(out), err
		}
	}
}

// TESTCASES #39: a MySQL server refuses values for generated columns (ERROR
// 3105) and no binlog_row_metadata flags them: without a definition of the
// table, its rows are refused, naming the table and the ways to give one.
func TestUnknownGeneratedColumns(t *testing.T) {
	raw := genStream(t, event.MySQL)
	for _, check := range []bool{false, true} {
		out, err := generate(t, raw, New(nil, Options{NoComments: true}), check)
		var ue *UnknownGeneratedError
		if !errors.As(err, &ue) || ue.Table != "db.gen" || ue.File != "bin.000001" || ue.Pos == 0 {
			t.Fatalf("check=%v: err = %v, want an UnknownGeneratedError for db.gen", check, err)
		}
		for _, want := range []string{"--schema FILE", "--schema-dsn DSN", "-h HOST -u USER -p", "ERROR 3105", "db.gen", "position "} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not mention %q", err, want)
			}
		}
		if strings.Contains(out, "INSERT") {
			t.Errorf("check=%v: SQL written before the error:\n%s", check, out)
		}
	}

	// A definition (here a schema file) says which columns are generated.
	cat, err := schema.Parse(strings.NewReader("CREATE TABLE db.gen (id INT PRIMARY KEY, a INT, g INT AS (a * 2) STORED);"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := generate(t, raw, New(cat, Options{NoComments: true}), true)
	if err != nil || !strings.Contains(out, "INSERT INTO `db`.`gen` (`id`,`a`) VALUES (1,2);") {
		t.Errorf("with a schema file: %v\n%s", err, out)
	}
	// So does the stream's own CREATE TABLE, followed by a Catalog.
	cat = schema.NewCatalog()
	if err := cat.ApplyDDL("db", "CREATE TABLE gen (id INT PRIMARY KEY, a INT, g INT AS (a * 2) VIRTUAL)"); err != nil {
		t.Fatal(err)
	}
	if out, err := generate(t, raw, New(cat, Options{NoComments: true}), false); err != nil || !strings.Contains(out, "(`id`,`a`) VALUES (1,2)") {
		t.Errorf("with the stream's DDL: %v\n%s", err, out)
	}
	// A later version of the table (a column added since) still says it,
	// by the logged names.
	cat, _ = schema.Parse(strings.NewReader("CREATE TABLE db.gen (added INT, id INT PRIMARY KEY, a INT, g INT AS (a * 2) STORED);"))
	if out, err := generate(t, raw, New(cat, Options{NoComments: true}), true); err != nil || !strings.Contains(out, "(`id`,`a`) VALUES (1,2)") {
		t.Errorf("with a later definition: %v\n%s", err, out)
	}
	// A definition whose columns are not the Table_map's says nothing.
	cat, _ = schema.Parse(strings.NewReader("CREATE TABLE db.gen (id INT PRIMARY KEY, x INT, y INT);"))
	if _, err := generate(t, raw, New(cat, Options{NoComments: true}), true); !errors.As(err, new(*UnknownGeneratedError)) {
		t.Errorf("with another table's definition: %v", err)
	}
	// Asked for, every logged column is written.
	if out, err := generate(t, raw, New(nil, Options{NoComments: true, AllowUnknownGenerated: true}), true); err != nil || !strings.Contains(out, "(`id`,`a`,`g`) VALUES (1,2,4)") {
		t.Errorf("AllowUnknownGenerated: %v\n%s", err, out)
	}
	// MariaDB ignores such values under the preamble's sql_mode.
	if out, err := generate(t, genStream(t, event.MariaDB), New(nil, Options{NoComments: true}), true); err != nil || !strings.Contains(out, "(`id`,`a`,`g`) VALUES (1,2,4)") {
		t.Errorf("MariaDB: %v\n%s", err, out)
	}
}

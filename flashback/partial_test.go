package flashback

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
	"github.com/binlogkit/binlogkit/schema"
	"github.com/binlogkit/binlogkit/sqlgen"
)

func jsonDoc(t *testing.T, text string) rowcodec.Value {
	t.Helper()
	v, err := rowcodec.JSONValue([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// partialStream is a MySQL binlog with one transaction holding a
// PARTIAL_UPDATE_ROWS event of three rows: JSON changed by diffs (REPLACE,
// INSERT, REMOVE), JSON written whole, and JSON left NULL with another
// column changed, as binlog_row_value_options=PARTIAL_JSON logs them.
func partialStream(t *testing.T) []byte {
	t.Helper()
	diff, err := rowcodec.JSONDiffValue(
		rowcodec.JSONDiff{Op: rowcodec.JSONDiffReplace, Path: []byte("$.a"), Value: jsonDoc(t, "2").Bytes()},
		rowcodec.JSONDiff{Op: rowcodec.JSONDiffInsert, Path: []byte("$.c"), Value: jsonDoc(t, `"it's"`).Bytes()},
		rowcodec.JSONDiff{Op: rowcodec.JSONDiffRemove, Path: []byte("$.b")},
	)
	if err != nil {
		t.Fatal(err)
	}
	s := binlogtest.NewStream(event.MySQL)
	s.Begin().
		TableMap(90, "db", "docs",
			binlogtest.Column{Name: "id", Type: event.ColumnTypeLong},
			binlogtest.Column{Name: "j", Type: event.ColumnTypeJSON, Meta: 4, Nullable: true},
			binlogtest.Column{Name: "n", Type: event.ColumnTypeVarchar, Meta: 80, Nullable: true}).
		PartialUpdate(90,
			rowcodec.Row{
				Before: []rowcodec.Value{rowcodec.IntValue(1), jsonDoc(t, `{"a": 1, "b": "a long string that leaves a hole"}`), rowcodec.StringValue([]byte("x"), 255)},
				After:  []rowcodec.Value{rowcodec.IntValue(1), diff, rowcodec.StringValue([]byte("y"), 255)},
			},
			rowcodec.Row{
				Before: []rowcodec.Value{rowcodec.IntValue(2), jsonDoc(t, `[1, 2]`), {}},
				After:  []rowcodec.Value{rowcodec.IntValue(2), jsonDoc(t, `[1, 2, 3]`), rowcodec.StringValue([]byte("z"), 255)},
			},
			rowcodec.Row{
				Before: []rowcodec.Value{rowcodec.IntValue(3), {}, rowcodec.StringValue([]byte("p"), 255)},
				After:  []rowcodec.Value{rowcodec.IntValue(3), {}, rowcodec.StringValue([]byte("q"), 255)},
			}).
		XID()
	b, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TESTCASES #28 and #39: PARTIAL_UPDATE_ROWS is undone by an UPDATE_ROWS
// event whose before image is the after image rebuilt from the full before
// image and the diffs, and whose after image is the original before image.
func TestPartialUpdateInverted(t *testing.T) {
	raw := partialStream(t)
	fb, err := New(Options{TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer fb.Close()
	if err := fb.Add(context.Background(), binlog.NewReader(binlog.NewStreamSource(bytes.NewReader(raw), "bin.000001"))); err != nil {
		t.Fatal(err)
	}
	if c := fb.Summary().Rows["`db`.`docs`"]; c == nil || c.Updates != 3 {
		t.Fatalf("summary %+v", fb.Summary().Rows)
	}
	var out bytes.Buffer
	if err := fb.WriteBinlog(&out); err != nil {
		t.Fatal(err)
	}
	r := binlog.NewReader(binlog.NewStreamSource(bytes.NewReader(out.Bytes()), "rollback"), binlog.WithChecksumVerification(true))
	var got []string
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		rows, ok := ev.Body.(*event.Rows)
		if !ok {
			continue
		}
		if rows.Type != event.UpdateRowsEventV2 || !rows.StmtEnd() {
			t.Errorf("inverted event %v stmtEnd=%v, want UPDATE_ROWS v2 ending the statement", rows.Type, rows.StmtEnd())
		}
		tbl, err := rowcodec.NewTable(ev.Table)
		if err != nil {
			t.Fatal(err)
		}
		before, after := make([]rowcodec.Value, 3), make([]rowcodec.Value, 3)
		it := tbl.Rows(rows, before, after)
		for it.Next() {
			line := ""
			for _, img := range [][]rowcodec.Value{it.Before, it.After} {
				for i, v := range img {
					b, err := v.AppendJSON(nil, &tbl.Columns[i])
					if err != nil {
						t.Fatal(err)
					}
					line += string(b) + " "
				}
				line += "| "
			}
			got = append(got, line)
		}
		if it.Err() != nil {
			t.Fatal(it.Err())
		}
	}
	want := []string{
		`3 null "q" | 3 null "p" | `,
		`2 [1, 2, 3] "z" | 2 [1, 2] null | `,
		`1 {"a": 2, "c": "it's"} "y" | 1 {"a": 1, "b": "a long string that leaves a hole"} "x" | `,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("inverted rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if err := fb.CheckBinlog(context.Background(), binlog.NewStreamSource(bytes.NewReader(out.Bytes()), "rollback")); err != nil {
		t.Error(err)
	}

	// Rollback SQL of a MySQL source: without the table's definition,
	// whose generated columns the binlog does not flag, nothing is written.
	var sql bytes.Buffer
	err = fb.WriteSQL(&sql, sqlgen.New(nil, sqlgen.Options{NoComments: true}), SQLOptions{NoComments: true})
	var ue *sqlgen.UnknownGeneratedError
	if !errors.As(err, &ue) || ue.Table != "db.docs" || sql.Len() != 0 {
		t.Fatalf("rollback SQL without a definition: %v, %d bytes written", err, sql.Len())
	}
	// With it: every column of the original before image, found by the
	// rebuilt after image.
	cat, err := schema.Parse(strings.NewReader("CREATE TABLE db.docs (id INT, j JSON, n VARCHAR(20));"))
	if err != nil {
		t.Fatal(err)
	}
	g := sqlgen.New(cat, sqlgen.Options{NoComments: true})
	if err := fb.WriteSQL(&sql, g, SQLOptions{NoComments: true}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"UPDATE `db`.`docs` SET `n`='p' WHERE `id`<=>3 AND `j`<=>NULL AND `n`<=>'q' LIMIT 1;\n",
		"UPDATE `db`.`docs` SET `j`=CAST('[1, 2]' AS JSON), `n`=NULL WHERE `id`<=>2 AND `j`<=>CAST('[1, 2, 3]' AS JSON) AND `n`<=>'z' LIMIT 1;\n",
		"UPDATE `db`.`docs` SET `j`=CAST('{\"a\": 1, \"b\": \"a long string that leaves a hole\"}' AS JSON), `n`='x' WHERE `id`<=>1 AND `j`<=>CAST('{\"a\": 2, \"c\": \"it''s\"}' AS JSON) AND `n`<=>'y' LIMIT 1;\n",
	} {
		if !strings.Contains(sql.String(), want) {
			t.Errorf("rollback SQL lacks %q:\n%s", want, sql.String())
		}
	}
}

// CheckSQL checks the tables of the rollback only: a transaction left out
// (SkipUnsafe) does not stop rollback SQL by its table's definition.
func TestCheckSQLSkippedTables(t *testing.T) {
	s := binlogtest.NewStream(event.MySQL)
	s.Begin().
		TableMap(1, "db", "t1", binlogtest.Column{Name: "id", Type: event.ColumnTypeLong}).
		Insert(1, []rowcodec.Value{rowcodec.IntValue(1)}).
		XID()
	s.Begin().
		TableMap(2, "db", "t2", binlogtest.Column{Name: "id", Type: event.ColumnTypeLong}).
		Insert(2, []rowcodec.Value{rowcodec.IntValue(1)}).
		Query("db", "UPDATE t2 SET id = 2").
		XID()
	raw, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	fb, err := New(Options{TempDir: t.TempDir(), SkipUnsafe: true})
	if err != nil {
		t.Fatal(err)
	}
	defer fb.Close()
	if err := fb.Add(context.Background(), binlog.NewReader(binlog.NewStreamSource(bytes.NewReader(raw), "bin.000001"))); err != nil {
		t.Fatal(err)
	}
	if fb.Summary().SkippedCount != 1 || fb.Summary().Transactions != 1 {
		t.Fatalf("summary %+v", fb.Summary())
	}
	cat, err := schema.Parse(strings.NewReader("CREATE TABLE db.t1 (id INT PRIMARY KEY);"))
	if err != nil {
		t.Fatal(err)
	}
	var sql bytes.Buffer
	if err := fb.WriteSQL(&sql, sqlgen.New(cat, sqlgen.Options{NoComments: true}), SQLOptions{NoComments: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sql.String(), "DELETE FROM `db`.`t1` WHERE `id`=1;") {
		t.Errorf("rollback SQL:\n%s", sql.String())
	}
}

//go:build integration

package cdc_test

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	_ "github.com/go-sql-driver/mysql"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/cdc"
	"github.com/binlogkit/binlogkit/internal/mariadbtest"
	"github.com/binlogkit/binlogkit/internal/mysqltest"
)

type testServer interface {
	DSN() string
	Exec(t testing.TB, sql string)
}

// runOnce runs a consumer to the server's end, writing JSON lines to out
// with its checkpoint in cp, as a restarted program would.
func runOnce(t *testing.T, dsn, out, cpPath string, cfg cdc.Config) cdc.Stats {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg.DB, cfg.NonBlocking = db, true
	sink, start, err := cdc.OpenJSONLines(out, cpPath, &cdc.Encoder{Name: "drift"})
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	s, err := cdc.Dial(ctx, binlog.DialConfig{DSN: dsn}, start, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	st, err := cdc.Run(ctx, s, sink)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

type driftEvent struct {
	Op     string
	Before map[string]any
	After  map[string]any
}

func readEvents(t *testing.T, path string) []driftEvent {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []driftEvent
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var ev driftEvent
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("%v: %s", err, sc.Bytes())
		}
		out = append(out, ev)
	}
	return out
}

func columns(row map[string]any) []string {
	var c []string
	for k := range row {
		c = append(c, k)
	}
	sort.Strings(c)
	return c
}

// TestIntegrationSchemaDrift: ALTER TABLE ADD, DROP and MODIFY between
// changes, the consumer restarted between them, each restart after an
// ALTER it has not read yet: every change is decoded with the columns it
// had. With MINIMAL metadata the names come from the schema history saved
// with the checkpoint (the server's current definition would be wrong for
// the rows logged before the ALTERs); with FULL metadata from the
// Table_maps.
func TestIntegrationSchemaDrift(t *testing.T) {
	for _, meta := range []string{"MINIMAL", "FULL"} {
		t.Run("MariaDB-"+meta, func(t *testing.T) {
			srv := mariadbtest.Start(t, mariadbtest.WithArgs("--binlog-row-metadata="+meta))
			drift(t, srv, meta == "MINIMAL")
		})
	}
	t.Run("MySQL-MINIMAL", func(t *testing.T) {
		srv := mysqltest.Start(t, mysqltest.WithArgs("--binlog-row-metadata=MINIMAL"))
		drift(t, srv, true)
	})
}

func drift(t *testing.T, srv testServer, minimal bool) {
	dir := t.TempDir()
	out, cp := filepath.Join(dir, "out.jsonl"), filepath.Join(dir, "cp.json")
	cfg := cdc.Config{Tables: []string{"shop.t"}}
	srv.Exec(t, "CREATE DATABASE shop; CREATE TABLE shop.t (id INT PRIMARY KEY, a INT, b VARCHAR(10))")
	runOnce(t, srv.DSN(), out, cp, cfg) // starts here, nothing to deliver

	srv.Exec(t, "INSERT INTO shop.t VALUES (1, 10, 'x')")
	srv.Exec(t, "ALTER TABLE shop.t ADD COLUMN c VARCHAR(5) DEFAULT 'c' AFTER id")
	srv.Exec(t, "INSERT INTO shop.t VALUES (2, 'cc', 20, 'y')")
	runOnce(t, srv.DSN(), out, cp, cfg)

	srv.Exec(t, "ALTER TABLE shop.t DROP COLUMN b")
	srv.Exec(t, "INSERT INTO shop.t VALUES (3, 'c3', 30)")
	srv.Exec(t, "UPDATE shop.t SET a = a + 1 WHERE id = 1")
	runOnce(t, srv.DSN(), out, cp, cfg)

	srv.Exec(t, "ALTER TABLE shop.t MODIFY a BIGINT UNSIGNED")
	srv.Exec(t, "INSERT INTO shop.t VALUES (4, 'c4', 18446744073709551615)")
	srv.Exec(t, "DELETE FROM shop.t WHERE id = 2")
	runOnce(t, srv.DSN(), out, cp, cfg)

	if minimal {
		b, _ := os.ReadFile(cp)
		var st cdc.Checkpoint
		if err := json.Unmarshal(b, &st); err != nil || len(st.Schema) != 1 || len(st.Schema[0].Columns) != 3 {
			t.Errorf("checkpoint's schema history: %s", b)
		}
	}
	evs := readEvents(t, out)
	type want struct {
		op   string
		cols []string
		row  map[string]any
	}
	wants := []want{
		{"c", []string{"a", "b", "id"}, map[string]any{"id": 1.0, "a": 10.0, "b": "x"}},
		{"c", []string{"a", "b", "c", "id"}, map[string]any{"id": 2.0, "c": "cc", "a": 20.0, "b": "y"}},
		{"c", []string{"a", "c", "id"}, map[string]any{"id": 3.0, "c": "c3", "a": 30.0}},
		{"u", []string{"a", "c", "id"}, map[string]any{"id": 1.0, "c": "c", "a": 11.0}},
		{"c", []string{"a", "c", "id"}, map[string]any{"id": 4.0, "c": "c4", "a": 18446744073709551615.0}},
		{"d", []string{"a", "c", "id"}, map[string]any{"id": 2.0, "c": "cc", "a": 20.0}},
	}
	if len(evs) != len(wants) {
		t.Fatalf("%d events, want %d: %+v", len(evs), len(wants), evs)
	}
	for i, w := range wants {
		ev := evs[i]
		row := ev.After
		if ev.Op == "d" {
			row = ev.Before
		}
		if ev.Op != w.op || !reflect.DeepEqual(columns(row), w.cols) || !reflect.DeepEqual(row, w.row) {
			t.Errorf("event %d: %s %v, want %s %v", i, ev.Op, row, w.op, w.row)
		}
	}
}

// TestIntegrationPurged: a checkpoint whose binlog the server purged stops
// the Stream with a *PurgedError naming the file and the way out.
func TestIntegrationPurged(t *testing.T) {
	srv := mariadbtest.Start(t)
	dir := t.TempDir()
	out, cp := filepath.Join(dir, "out.jsonl"), filepath.Join(dir, "cp.json")
	srv.Exec(t, "CREATE DATABASE shop; CREATE TABLE shop.t (id INT PRIMARY KEY)")
	runOnce(t, srv.DSN(), out, cp, cdc.Config{})
	srv.Exec(t, "INSERT INTO shop.t VALUES (0)")
	runOnce(t, srv.DSN(), out, cp, cdc.Config{})
	srv.Exec(t, "INSERT INTO shop.t VALUES (1)") // never read: purged below
	srv.FlushLogs(t)
	srv.FlushLogs(t)
	srv.Exec(t, "INSERT INTO shop.t VALUES (2)")
	last := filepath.Base(srv.BinlogFiles(t)[len(srv.BinlogFiles(t))-1])
	srv.PurgeTo(t, last)

	start, err := cdc.ReadCheckpointFile(cp)
	if err != nil || start == nil || start.File == "" {
		t.Fatal(start, err)
	}
	ctx := context.Background()
	s, err := cdc.Dial(ctx, binlog.DialConfig{DSN: srv.DSN()}, start, cdc.Config{})
	if err == nil {
		defer s.Close()
		_, err = s.Next(ctx)
	}
	var pe *cdc.PurgedError
	if !errors.As(err, &pe) || !errors.Is(err, cdc.ErrPurged) {
		t.Fatalf("got %v, want a *PurgedError", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, start.File) || !strings.Contains(msg, "new snapshot") {
		t.Errorf("the error does not name the file %s and the way out: %s", start.File, msg)
	}
	t.Log(msg)
}

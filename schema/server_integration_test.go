//go:build integration

package schema_test

// The integration tests talk to a private MariaDB (internal/mariadbtest).
// They import go-sql-driver/mysql to open the *sql.DB that Server reads:
// only this test file does, the schema package itself imports no driver.

import (
	"context"
	"database/sql"
	"io"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	_ "github.com/go-sql-driver/mysql"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/internal/mariadbtest"
	"github.com/binlogkit/binlogkit/schema"
)

// runWorkload starts a private server and runs testdata/workload.sql on it
// (both halves: the restart marker is only a comment to the client).
func runSchemaWorkload(t *testing.T) *mariadbtest.Server {
	srv := mariadbtest.Start(t)
	srv.ExecFile(t, filepath.Join("..", "testdata", "workload.sql"))
	return srv
}

// serverTables returns db.table → the columns the server has, in order,
// from information_schema through the mariadb client.
func serverTableColumns(t *testing.T, srv *mariadbtest.Server) map[string]string {
	out := srv.Query(t, "SELECT TABLE_SCHEMA, TABLE_NAME, GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION SEPARATOR ' ') "+
		"FROM information_schema.COLUMNS WHERE TABLE_SCHEMA NOT IN ('mysql','information_schema','performance_schema','sys') "+
		"GROUP BY TABLE_SCHEMA, TABLE_NAME")
	m := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Split(line, "\t")
		if len(f) == 3 {
			m[f[0]+"."+f[1]] = f[2]
		}
	}
	return m
}

func schemaColNames(t *schema.Table) string {
	if t == nil {
		return "<nil>"
	}
	var s []string
	for _, c := range t.Columns {
		s = append(s, c.Name)
	}
	return strings.Join(s, " ")
}

// TestIntegrationDumpSchemaFile dumps the workload's schema with
// mariadb-dump --no-data and parses it: every table of the workload is
// found, with the server's columns in the server's order.
func TestIntegrationDumpSchemaFile(t *testing.T) {
	srv := runSchemaWorkload(t)
	dump, err := exec.LookPath("mariadb-dump")
	if err != nil {
		t.Skip("mariadb-dump not installed")
	}
	cmd := exec.Command(dump, "--no-defaults", "--user=root", "--socket="+srv.Socket(), "--protocol=socket",
		"--no-data", "--triggers", "--routines", "--events", "--databases", "binlogkit", "second-db ✓")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("mariadb-dump: %v", err)
	}
	s, err := schema.Parse(strings.NewReader(string(out)))
	if err != nil {
		t.Fatalf("parsing the dump: %v", err)
	}
	want := serverTableColumns(t, srv)
	if len(want) < 20 {
		t.Fatalf("only %d tables on the server", len(want))
	}
	for k, cols := range want {
		db, table, _ := strings.Cut(k, ".")
		tab, err := s.Table(db, table)
		if err != nil {
			t.Fatal(err)
		}
		if got := schemaColNames(tab); got != cols {
			t.Errorf("%s: file schema has %q, server %q", k, got, cols)
		}
	}
	// The same definitions through Server: every column attribute and
	// key agree, except the types the TiDB parser spells differently.
	db, err := sql.Open("mysql", srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	live := schema.NewServer(context.Background(), db)
	for k := range want {
		dbName, table, _ := strings.Cut(k, ".")
		a, _ := s.Table(dbName, table)
		b, err := live.Table(dbName, table)
		if err != nil || a == nil || b == nil {
			t.Errorf("%s: %v", k, err)
			continue
		}
		for i := range a.Columns {
			if a.Columns[i] != b.Columns[i] {
				t.Errorf("%s column %d: file %+v, server %+v", k, i, a.Columns[i], b.Columns[i])
			}
		}
		if !reflect.DeepEqual(a.PrimaryKey, b.PrimaryKey) || !reflect.DeepEqual(a.UniqueKeys, b.UniqueKeys) {
			t.Errorf("%s keys: file %v %v, server %v %v", k, a.PrimaryKey, a.UniqueKeys, b.PrimaryKey, b.UniqueKeys)
		}
	}
	// The gen table's generated and invisible columns.
	tab, _ := s.Table("binlogkit", "gen")
	if tab == nil || !tab.Columns[2].Generated || !tab.Columns[3].Generated || !tab.Columns[4].Invisible {
		t.Errorf("gen: %+v", tab)
	}
	t.Logf("%d tables checked", len(want))
}

// TestIntegrationServer reads every table of the workload through
// Server and compares it with the schema file's definition (names,
// types, flags, keys), then follows an ALTER.
func TestIntegrationServer(t *testing.T) {
	srv := runSchemaWorkload(t)
	db, err := sql.Open("mysql", srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := schema.NewServer(context.Background(), db)
	for k, cols := range serverTableColumns(t, srv) {
		dbName, table, _ := strings.Cut(k, ".")
		tab, err := s.Table(dbName, table)
		if err != nil {
			t.Fatal(err)
		}
		if got := schemaColNames(tab); got != cols {
			t.Errorf("%s: Server has %q, server %q", k, got, cols)
		}
	}
	tab, _ := s.Table("binlogkit", "gen")
	if tab == nil || !tab.Columns[2].Generated || !tab.Columns[3].Generated || !tab.Columns[4].Invisible || tab.Columns[1].Generated {
		t.Errorf("gen: %+v", tab)
	}
	if !reflect.DeepEqual(tab.PrimaryKey, []int{0}) {
		t.Errorf("gen primary key %v", tab.PrimaryKey)
	}
	tab, _ = s.Table("binlogkit", "ints")
	if tab == nil || tab.Columns[2].Type != "tinyint(3) unsigned" || !tab.Columns[2].Unsigned {
		t.Errorf("ints: %+v", tab)
	}
	tab, _ = s.Table("binlogkit", "strs")
	if tab == nil || tab.Columns[1].Charset != "utf8mb4" {
		t.Errorf("strs: %+v", tab)
	}
	if err := s.ApplyDDL("binlogkit", "ALTER TABLE nopk ADD COLUMN z INT FIRST"); err != nil {
		t.Fatal(err)
	}
	if tab, _ := s.Table("binlogkit", "nopk"); schemaColNames(tab) != "z a b" {
		t.Errorf("nopk after ALTER: %s", schemaColNames(tab))
	}
	if tab, _ := s.Table("binlogkit", "no_such_table"); tab != nil {
		t.Errorf("no_such_table: %+v", tab)
	}
}

// mariaOnlyDDL exercises MariaDB-only DDL; each table gets a row after each
// change, so its TABLE_MAP shows the columns in force.
const mariaOnlyDDL = `CREATE DATABASE m; USE m;
SET system_versioning_alter_history = KEEP;
CREATE TABLE v (a INT) WITH SYSTEM VERSIONING; INSERT INTO v VALUES (1);
ALTER TABLE v ADD COLUMN b INT FIRST; INSERT INTO v VALUES (2, 2);
CREATE TABLE w (a INT, s BIGINT UNSIGNED GENERATED ALWAYS AS ROW START INVISIBLE,
  e BIGINT UNSIGNED GENERATED ALWAYS AS ROW END INVISIBLE, PERIOD FOR SYSTEM_TIME(s, e)) ENGINE=InnoDB WITH SYSTEM VERSIONING;
CREATE TABLE x (a INT); INSERT INTO x VALUES (1);
ALTER TABLE x ADD SYSTEM VERSIONING; INSERT INTO x VALUES (3);
ALTER TABLE x DROP SYSTEM VERSIONING; INSERT INTO x VALUES (4);
CREATE OR REPLACE TABLE x (z INT, y BLOB COMPRESSED, invisible INT INVISIBLE) ENGINE=InnoDB; INSERT INTO x (z) VALUES (5);
ALTER TABLE x WAIT 5 ADD COLUMN p POINT AFTER z, ALGORITHM=NOCOPY; INSERT INTO x (z) VALUES (6);
ALTER TABLE x ADD COLUMN IF NOT EXISTS q INET6 FIRST, ADD COLUMN IF NOT EXISTS z INT; INSERT INTO x (z) VALUES (7);
ALTER TABLE x MODIFY COLUMN z BIGINT AFTER invisible, DROP COLUMN IF EXISTS nope; INSERT INTO x (z) VALUES (8);
ALTER TABLE x CHANGE COLUMN q qq INET6 AFTER y; INSERT INTO x (z) VALUES (9);
RENAME TABLE IF EXISTS x TO x2, nothere TO x3; INSERT INTO x2 (z) VALUES (10);
CREATE TABLE k (a INT NOT NULL, b INT, UNIQUE KEY ua (a), KEY kb (b) IGNORED); INSERT INTO k VALUES (1, 1);
ALTER TABLE k ADD COLUMN c INT DEFAULT (a + 1) AFTER a, ALTER COLUMN b SET DEFAULT 3; INSERT INTO k (a) VALUES (2);
CREATE SEQUENCE sq; SELECT NEXTVAL(sq);
`

// TestIntegrationMariaDBDDL runs MariaDB-only DDL on a private server and
// replays its binlog through a Catalog: at every TABLE_MAP the Catalog's
// columns are the logged ones (system-versioned tables included). Server
// then gives the server's current definitions, which match the last
// TABLE_MAP of each table.
func TestIntegrationMariaDBDDL(t *testing.T) {
	srv := mariadbtest.Start(t)
	srv.Exec(t, mariaOnlyDDL)
	srv.FlushLogs(t)
	c := schema.NewCatalog()
	lastMap := map[string]string{}
	checked := 0
	for _, f := range srv.BinlogFiles(t) {
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
				t.Fatal(err)
			}
			switch b := ev.Body.(type) {
			case *event.Query:
				if err := c.ApplyDDL(string(b.Schema), string(b.Query)); err != nil {
					t.Errorf("%v", err)
				}
			case *event.TableMap:
				n, ok := b.ColumnNames()
				if !ok {
					continue
				}
				var logged []string
				for x := range n.All() {
					logged = append(logged, string(x))
				}
				tab, _ := c.Table(string(b.Schema), string(b.Table))
				if got := schemaColNames(tab); got != strings.Join(logged, " ") {
					t.Errorf("%s.%s: catalog %q, logged %q", b.Schema, b.Table, got, strings.Join(logged, " "))
				}
				lastMap[string(b.Schema)+"."+string(b.Table)] = strings.Join(logged, " ")
				checked++
			}
		}
		src.Close()
	}
	if checked < 10 {
		t.Errorf("only %d TABLE_MAPs", checked)
	}
	db, err := sql.Open("mysql", srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	live := schema.NewServer(context.Background(), db)
	delete(lastMap, "m.x") // renamed to x2
	for k, want := range lastMap {
		dbName, table, _ := strings.Cut(k, ".")
		tab, err := live.Table(dbName, table)
		if err != nil {
			t.Fatal(err)
		}
		if got := schemaColNames(tab); got != want {
			t.Errorf("Server %s: %q, last TABLE_MAP %q", k, got, want)
		}
	}
}

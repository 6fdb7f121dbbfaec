//go:build integration

package cdc_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/cdc"
	"github.com/binlogkit/binlogkit/internal/mariadbtest"
	"github.com/binlogkit/binlogkit/internal/mysqltest"
)

// TestIntegrationSnapshotKeyless: a table without a primary key is read in
// one consistent read while a workload inserts, updates and deletes its rows
// (and those of a table with a key): the rows read, followed by the changes
// delivered after them, give the table as the server has it, as a multiset.
func TestIntegrationSnapshotKeyless(t *testing.T) {
	t.Run("MariaDB", func(t *testing.T) { snapshotKeyless(t, mariadbtest.Start(t)) })
	t.Run("MySQL", func(t *testing.T) { snapshotKeyless(t, mysqltest.Start(t)) })
}

func snapshotKeyless(t *testing.T, srv testServer) {
	srv.Exec(t, "CREATE DATABASE shop; CREATE TABLE shop.log (a INT, b VARCHAR(20)); CREATE TABLE shop.k (id INT PRIMARY KEY, v INT)")
	var sb strings.Builder
	sb.WriteString("INSERT INTO shop.log VALUES ")
	for i := 0; i < 3000; i++ {
		if i > 0 {
			sb.WriteString(",")
		}
		fmt.Fprintf(&sb, "(%d, 'r%d')", i%500, i)
	}
	srv.Exec(t, sb.String()+"; INSERT INTO shop.k SELECT a, a FROM shop.log WHERE b < 'r2000' AND a = a GROUP BY a")
	db, err := sql.Open("mysql", srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 200; i++ {
			db.Exec(fmt.Sprintf("INSERT INTO shop.log VALUES (%d, 'w%d')", i, i))
			db.Exec(fmt.Sprintf("DELETE FROM shop.log WHERE b = 'r%d'", i*7))
			db.Exec(fmt.Sprintf("UPDATE shop.log SET a = a + 1000 WHERE b = 'r%d'", i*11+1))
			db.Exec(fmt.Sprintf("UPDATE shop.k SET v = v + 1 WHERE id = %d", i))
			time.Sleep(2 * time.Millisecond)
		}
	}()
	dir := t.TempDir()
	out, cp := filepath.Join(dir, "out.jsonl"), filepath.Join(dir, "cp.json")
	time.Sleep(20 * time.Millisecond)
	runOnce(t, srv.DSN(), out, cp, cdc.Config{Tables: []string{"shop.*"}, Snapshot: &cdc.SnapshotConfig{ChunkSize: 100}})
	wg.Wait()
	runOnce(t, srv.DSN(), out, cp, cdc.Config{Tables: []string{"shop.*"}, Snapshot: &cdc.SnapshotConfig{ChunkSize: 100}})

	got := map[string]map[string]int{"log": {}, "k": {}}
	reads := 0
	for _, ev := range readEvents(t, out) {
		tbl := "log"
		if _, ok := firstNonNil(ev.Before, ev.After)["id"]; ok {
			tbl = "k"
		}
		m := got[tbl]
		if ev.Op == "r" {
			reads++
		}
		if tbl == "k" {
			// A table with a key: rows by key, a read or a change
			// replaces what the key had.
			for k := range m {
				if row := firstNonNil(ev.After, ev.Before); strings.HasPrefix(k, fmt.Sprintf("id=%v;", row["id"])) {
					delete(m, k)
				}
			}
			if ev.After != nil {
				m[rowText(ev.After)] = 1
			}
			continue
		}
		// A table without a key: a multiset of rows.
		switch ev.Op {
		case "r", "c":
			m[rowText(ev.After)]++
		case "d":
			m[rowText(ev.Before)]--
		case "u":
			m[rowText(ev.Before)]--
			m[rowText(ev.After)]++
		}
	}
	want := map[string]map[string]int{"log": {}, "k": {}}
	for _, q := range []struct{ tbl, sql string }{{"log", "SELECT a, b FROM shop.log"}, {"k", "SELECT id, v FROM shop.k"}} {
		rows, err := db.Query(q.sql)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var x int
			var y string
			rows.Scan(&x, &y)
			if q.tbl == "log" {
				want["log"][fmt.Sprintf("a=%d;b=%s;", x, y)]++
			} else {
				want["k"][fmt.Sprintf("id=%d;v=%s;", x, y)]++
			}
		}
		rows.Close()
	}
	for _, tbl := range []string{"log", "k"} {
		bad := 0
		for k, n := range want[tbl] {
			if got[tbl][k] != n {
				if bad++; bad < 5 {
					t.Errorf("%s: row %s %d times in the stream, %d in the server", tbl, k, got[tbl][k], n)
				}
			}
		}
		for k, n := range got[tbl] {
			if n != 0 && want[tbl][k] == 0 {
				if bad++; bad < 10 {
					t.Errorf("%s: row %s %d times in the stream, not in the server", tbl, k, n)
				}
			}
		}
		t.Logf("%s: %d rows in the server, %d differences", tbl, len(want[tbl]), bad)
	}
	if reads < 3000 {
		t.Errorf("%d snapshot reads", reads)
	}
}

func firstNonNil(a, b map[string]any) map[string]any {
	if a != nil {
		return a
	}
	return b
}

func rowText(row map[string]any) string {
	keys := make([]string, 0, len(row))
	for k := range row {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%v;", k, row[k])
	}
	return b.String()
}

package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// TestHires: the viewer shows the rows of MariaDB's older temporal formats
// (TESTCASES #35) with the precisions from the stream's CREATE TABLE, in
// the details, the exports and the rollback; without a definition the
// index warns naming the table, and the details say why instead of
// showing misread values.
func TestHires(t *testing.T) {
	dir := "../../testdata/recorded"
	defs, rows := filepath.Join(dir, "mariadb-10_11-hires.000001"), filepath.Join(dir, "mariadb-10_11-hires.000002")
	ts, ix := newTestServer(t, "", defs, rows)
	var page pageJSON
	getJSON(t, ts, "/api/transactions?table=hires.h&op=insert&size=100", &page)
	if page.Total < 5 {
		t.Fatalf("%d transactions inserting into hires.h", page.Total)
	}
	var d detailJSON
	first := page.Items[0]
	for _, it := range page.Items {
		if it.Pos < first.Pos && it.File == first.File {
			first = it
		}
	}
	getJSON(t, ts, fmt.Sprintf("/api/transactions/%d", first.ID), &d)
	if len(d.Rows) != 4 || !strings.Contains(fmt.Sprint(d.Rows[0].After), "838:59:59.999999") ||
		!strings.Contains(fmt.Sprint(d.Rows[1].After), "1970-01-01 00:00:01.000000") || !strings.Contains(d.SQL, "'9999-12-31 23:59:59.999999'") {
		t.Fatalf("detail of the first INSERT into h: %+v\nSQL %s", d.Rows, d.SQL)
	}
	for _, format := range []string{"jsonl", "csv", "sql", "rollback"} {
		body := string(getBody(t, ts, "/api/export?table=hires.h&format="+format))
		if !strings.Contains(body, "2038-01-19") || !strings.Contains(body, "838:59:59.9999") || strings.Contains(body, "stopped") {
			t.Errorf("export %s of hires.h:\n%.2000s", format, body)
		}
	}
	for _, f := range ix.files {
		if len(f.warnings) > 0 {
			t.Errorf("%s: warnings %v", f.Name, f.warnings)
		}
	}

	// Without the definition: warnings and an error, nothing misread.
	ts2, ix2 := newTestServer(t, "", rows)
	warned := false
	for _, w := range ix2.files[0].warnings {
		warned = warned || strings.Contains(w, "hires.h") && strings.Contains(w, "--schema")
	}
	if !warned {
		t.Errorf("no warning naming hires.h: %v", ix2.files[0].warnings)
	}
	getJSON(t, ts2, "/api/transactions?table=hires.h&size=100", &page)
	if page.Total == 0 {
		t.Fatal("no transactions of hires.h listed")
	}
	// The first: the INSERT of four rows (its rows were not counted).
	id, pos := -1, ^uint64(0)
	for _, it := range page.Items {
		if it.Pos < pos {
			id, pos = it.ID, it.Pos
		}
	}
	res, err := http.Get(fmt.Sprintf("%s/api/transactions/%d", ts2.URL, id))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode == http.StatusOK || !strings.Contains(string(body), "hires.h") || !strings.Contains(string(body), "precision") {
		t.Errorf("detail without a definition: %s %s", res.Status, body)
	}

	// --schema gives it.
	c, err := parseArgs([]string{"--quiet", "--schema", filepath.Join("testdata", "hires-schema.sql"), rows})
	if err != nil {
		t.Fatal(err)
	}
	ix3, err := openIndex(context.Background(), c, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ix3.files {
		if len(f.warnings) > 0 {
			t.Errorf("--schema: %s: warnings %v", f.Name, f.warnings)
		}
	}
}

package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/internal/sensitivetest"
)

// TestMask serves the fabricated binlog with masking rules: the masked
// values appear nowhere, in no API answer and no export, and a search for
// them finds nothing.
func TestMask(t *testing.T) {
	p := fabricated(t)
	rules := filepath.Join(t.TempDir(), "rules.yaml")
	os.WriteFile(rules, []byte("rules:\n  - column: \"shop.users.email\"\n    action: redact\n  - value: email\n    action: redact\n"), 0o644)
	c, err := parseArgs([]string{"--quiet", "--mask", rules, p})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := openIndex(context.Background(), c, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(newServer(ix, "", true).handler())
	defer ts.Close()
	s := assertMasked(t, ts, []string{"alice@example.com", "alice@corp.example", "example.com", "corp.example"})
	// The rollback is made of the masked rows, not merely without them.
	if rb := string(getBody(t, ts, "/api/export?format=rollback&table=shop.users")); !strings.Contains(rb, "`email`<=>'***'") || !strings.Contains(rb, "DELETE FROM `shop`.`users`") {
		t.Errorf("rollback of masked rows:\n%s", rb)
	}
	if s.Transactions == 0 {
		t.Fatal("no transactions")
	}
	var page pageJSON
	getJSON(t, ts, "/api/transactions?q=alice", &page)
	if page.Total == 0 {
		t.Error("q=alice (not masked) finds nothing")
	}
}

// TestMaskRecordedSensitive serves the recorded workload with personal data
// (testdata/sensitive.sql, recorded from MariaDB) with the project's rules
// (testdata/sensitive-mask.yaml): none of the workload's personal values
// (testdata/sensitive-values.txt) appears in any API answer or export, nor
// is found by a search.
func TestMaskRecordedSensitive(t *testing.T) {
	secrets := sensitivetest.Values(t)
	if len(secrets) < 20 {
		t.Fatalf("only %d values in the list", len(secrets))
	}
	files := sensitivetest.Files()
	// Without the rules the values are there: the check below can fail.
	plain, err := parseArgs(append([]string{"--quiet"}, files...))
	if err != nil {
		t.Fatal(err)
	}
	pix, err := openIndex(context.Background(), plain, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	pts := httptest.NewServer(newServer(pix, "", true).handler())
	csv := string(getBody(t, pts, "/api/export?format=csv"))
	pts.Close()
	for _, v := range []string{"alice.zhang@example.com", "13812345678", "hunter2-bob"} {
		if !strings.Contains(csv, v) {
			t.Fatalf("unmasked CSV export lacks %q", v)
		}
	}

	c, err := parseArgs(append([]string{"--quiet", "--mask", sensitivetest.Rules()}, files...))
	if err != nil {
		t.Fatal(err)
	}
	ix, err := openIndex(context.Background(), c, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(newServer(ix, "", true).handler())
	defer ts.Close()
	assertMasked(t, ts, secrets)
}

// getBody GETs path from ts and returns the body of a 200 answer.
func getBody(t *testing.T, ts *httptest.Server, path string) []byte {
	t.Helper()
	res, err := http.Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("%s: %s %s", path, res.Status, b)
	}
	return b
}

// assertMasked checks that no secret appears in the summary, the list, the
// charts, any transaction's detail (which must show at least one masked
// value) or any export format, and that searching for a secret finds
// nothing. It returns the summary.
func assertMasked(t *testing.T, ts *httptest.Server, secrets []string) summaryJSON {
	t.Helper()
	check := func(what string, body []byte) {
		t.Helper()
		for _, s := range secrets {
			if strings.Contains(string(body), s) {
				t.Errorf("%s shows the masked value %q:\n%s", what, s, body)
			}
		}
	}
	get := func(path string) []byte { t.Helper(); return getBody(t, ts, path) }
	var s summaryJSON
	getJSON(t, ts, "/api/summary", &s)
	if !s.Masked {
		t.Error("summary does not say the values are masked")
	}
	check("summary", get("/api/summary"))
	check("list", get("/api/transactions?size=1000"))
	check("stats", get("/api/stats"))
	masked := 0
	for id := range s.Transactions {
		body := get(fmt.Sprintf("/api/transactions/%d", id))
		check(fmt.Sprintf("transaction %d", id), body)
		masked += strings.Count(string(body), `***`)
	}
	if masked == 0 {
		t.Error("no detail shows a masked value")
	}
	for _, f := range []string{"csv", "jsonl", "sql", "rollback"} {
		check(f+" export", get("/api/export?format="+f))
		check(f+" export of shop.users", get("/api/export?format="+f+"&table=shop.users"))
	}
	// Searching for a masked value finds nothing: the search sees what the
	// page shows.
	for _, q := range secrets {
		var page pageJSON
		getJSON(t, ts, "/api/transactions?q="+url.QueryEscape(q), &page)
		if page.Total != 0 {
			t.Errorf("q=%s finds %d transactions", q, page.Total)
		}
	}
	return s
}

func TestMaskBadRules(t *testing.T) {
	p := fabricated(t)
	rules := filepath.Join(t.TempDir(), "rules.yaml")
	os.WriteFile(rules, []byte("rules:\n  - column: \"x\"\n    action: explode\n"), 0o644)
	var stderr strings.Builder
	if code := run(context.Background(), []string{"--mask", rules, p}, &stderr, nil); code != exitFailure || !strings.Contains(stderr.String(), "--mask") {
		t.Errorf("bad rules: exit %d, %s", code, stderr.String())
	}
	if code := run(context.Background(), []string{"--mask", rules + ".missing", p}, &stderr, nil); code != exitFailure {
		t.Errorf("missing rules file: exit %d", code)
	}
}

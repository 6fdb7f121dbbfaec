package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/internal/cdp"
)

// artifactDir is where the browser test keeps its screenshots:
// $BINLOGVIEW_ARTIFACTS, else .artifacts at the repository's root.
func artifactDir(t *testing.T) string {
	if d := os.Getenv("BINLOGVIEW_ARTIFACTS"); d != "" {
		return d
	}
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, ".artifacts")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

func saveArtifact(t *testing.T, name string, data []byte) {
	dir := artifactDir(t)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}

// startBrowser launches the headless browser, or skips the test when there
// is none.
func startBrowser(t *testing.T, ctx context.Context) (*cdp.Browser, *cdp.Page) {
	t.Helper()
	path, err := cdp.Find()
	if err != nil {
		t.Skipf("headless browser test skipped: %v", err)
	}
	b, err := cdp.Launch(ctx, cdp.Options{Path: path, WindowWidth: 1500, WindowHeight: 1100})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	p, err := b.NewPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return b, p
}

// waitList waits until the list has been redrawn after mark (the page counts
// its loads in body.dataset.listLoaded).
func listMark(t *testing.T, ctx context.Context, p *cdp.Page) int {
	t.Helper()
	var n string
	if err := p.Eval(ctx, `document.body.dataset.listLoaded || "0"`, &n); err != nil {
		t.Fatal(err)
	}
	var i int
	fmt.Sscan(n, &i)
	return i
}

func waitList(t *testing.T, ctx context.Context, p *cdp.Page, after int) {
	t.Helper()
	if err := p.WaitFor(ctx, fmt.Sprintf(`Number(document.body.dataset.listLoaded || 0) > %d`, after)); err != nil {
		t.Fatal(err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, p *cdp.Page, expr string) T {
	t.Helper()
	var v T
	if err := p.Eval(ctx, expr, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestBrowser drives the page in a headless Chromium over the recorded
// binlogs: the list, a table filter, a transaction and an UPDATE row with its
// changed column, and a CSV export, each checked against an independent read
// of the files.
func TestBrowser(t *testing.T) {
	paths := recordedFiles(t)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	b, p := startBrowser(t, ctx)
	ts, _ := newTestServer(t, "", paths...)
	truth := readTruth(t, paths...)

	if err := p.Navigate(ctx, ts.URL+"/"); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(ctx, `document.body.dataset.ready === "1"`); err != nil {
		t.Fatal(err)
	}

	// The list: the first page of every transaction, in binlog order.
	total := eval[string](t, ctx, p, `document.querySelector("[data-testid=total]").textContent`)
	if total != fmt.Sprint(len(truth)) {
		t.Errorf("total shown %q, an independent read finds %d", total, len(truth))
	}
	rows := eval[[]string](t, ctx, p, `[...document.querySelectorAll("[data-testid=tx-row] td:nth-child(3)")].map(td => td.textContent)`)
	if len(rows) != 50 {
		t.Fatalf("%d rows on the first page, want 50", len(rows))
	}
	for i, r := range rows {
		if want := fmt.Sprintf("%s : %d", truth[i].file, truth[i].pos); r != want {
			t.Fatalf("row %d shows %q, want %q", i, r, want)
		}
	}
	if n := eval[int](t, ctx, p, `document.querySelectorAll("#chart-time svg rect, #chart-tables svg rect").length`); n < 5 {
		t.Errorf("charts have %d bars", n)
	}
	if info := eval[string](t, ctx, p, `document.getElementById("page-info").textContent`); info != "Page 1 of 2" {
		t.Errorf("pager says %q", info)
	}
	png, err := p.Screenshot(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	saveArtifact(t, "binlogview-main.png", png)

	// Next page.
	mark := listMark(t, ctx, p)
	eval[any](t, ctx, p, `document.querySelector("[data-testid=next]").click()`)
	waitList(t, ctx, p, mark)
	first := eval[string](t, ctx, p, `document.querySelector("[data-testid=tx-row] td:nth-child(3)").textContent`)
	if want := fmt.Sprintf("%s : %d", truth[50].file, truth[50].pos); first != want {
		t.Errorf("page 2 starts with %q, want %q", first, want)
	}

	// Filter to one table.
	const table = "binlogkit.tx"
	var want []truthTx
	for _, tt := range truth {
		if _, ok := tt.tables[table]; ok {
			want = append(want, tt)
		}
	}
	mark = listMark(t, ctx, p)
	eval[any](t, ctx, p, `document.querySelector("[data-testid=filter-table]").value = "`+table+`"; document.querySelector("[data-testid=apply]").click()`)
	waitList(t, ctx, p, mark)
	type listed struct {
		Tables  []string
		Pos     string
		Updates int
		ID      int
	}
	got := eval[[]listed](t, ctx, p, `[...document.querySelectorAll("[data-testid=tx-row]")].map(tr => ({Tables: JSON.parse(tr.dataset.tables), Pos: tr.children[2].textContent, Updates: Number(tr.dataset.updates), ID: Number(tr.dataset.id)}))`)
	if len(got) != len(want) {
		t.Fatalf("filter %s lists %d transactions, an independent read finds %d", table, len(got), len(want))
	}
	if total := eval[string](t, ctx, p, `document.querySelector("[data-testid=total]").textContent`); total != fmt.Sprint(len(want)) {
		t.Errorf("total shown %q, want %d", total, len(want))
	}
	var updated *listed
	var updTruth truthTx
	for i, g := range got {
		if !slices.Contains(g.Tables, table) {
			t.Errorf("listed transaction %s does not touch %s: %v", g.Pos, table, g.Tables)
		}
		if w := fmt.Sprintf("%s : %d", want[i].file, want[i].pos); g.Pos != w {
			t.Errorf("row %d is %s, want %s", i, g.Pos, w)
		}
		if g.Updates > 0 && updated == nil && want[i].tables[table][1] > 0 {
			updated, updTruth = &got[i], want[i]
		}
	}
	if !strings.Contains(eval[string](t, ctx, p, `location.hash`), "table=binlogkit.tx") {
		t.Error("the filter is not kept in the address")
	}

	// Open a transaction with an UPDATE of the table, and its row.
	if updated == nil {
		t.Fatal("no listed transaction updates " + table)
	}
	eval[any](t, ctx, p, fmt.Sprintf(`document.querySelector('[data-testid=tx-row][data-id="%d"]').click()`, updated.ID))
	if err := p.WaitFor(ctx, fmt.Sprintf(`document.body.dataset.detailLoaded === "%d"`, updated.ID)); err != nil {
		t.Fatal(err)
	}
	if title := eval[string](t, ctx, p, `document.querySelector("[data-testid=detail-title]").textContent`); !strings.Contains(title, updTruth.gtid) {
		t.Errorf("detail title %q lacks the GTID %s", title, updTruth.gtid)
	}
	var u truthUpdate
	for _, x := range updTruth.updates {
		if x.table == table {
			u = x
			break
		}
	}
	eval[any](t, ctx, p, `(() => { const d = document.querySelector('[data-testid=row][data-op=update][data-table="`+table+`"]'); d.querySelector("summary").click(); })()`)
	if err := p.WaitFor(ctx, `document.querySelector('[data-testid=row][data-op=update][open]')`); err != nil {
		t.Fatal(err)
	}
	type cellRow struct {
		Col, Before, After string
		Changed            bool
		Visible            bool
	}
	cells := eval[[]cellRow](t, ctx, p, `[...document.querySelectorAll('[data-testid=row][data-op=update][open] [data-testid=row-compare] tbody tr')].map(tr => ({
		Col: tr.dataset.col, Before: tr.querySelector(".before").textContent, After: tr.querySelector(".after").textContent,
		Changed: tr.classList.contains("changed"), Visible: tr.getBoundingClientRect().height > 0}))`)
	if len(cells) != len(u.names) {
		t.Fatalf("row shows %d columns, want %d (%v)", len(cells), len(u.names), u.names)
	}
	changed := 0
	for i, c := range cells {
		if c.Col != u.names[i] || c.Before != u.before[i] || c.After != u.after[i] || !c.Visible {
			t.Errorf("column %d: %+v, want %s: %q → %q", i, c, u.names[i], u.before[i], u.after[i])
		}
		if c.Changed != (u.before[i] != u.after[i]) {
			t.Errorf("column %s: highlighted %v, but %q → %q", c.Col, c.Changed, u.before[i], u.after[i])
		}
		if c.Changed {
			changed++
		}
	}
	if changed == 0 {
		t.Error("no changed column is highlighted")
	}
	if bg := eval[string](t, ctx, p, `getComputedStyle(document.querySelector('[data-testid=row][open] tr.changed td')).backgroundColor`); bg == "rgba(0, 0, 0, 0)" || bg == "" {
		t.Errorf("a changed cell has no background: %q", bg)
	}
	png, err = p.Screenshot(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	saveArtifact(t, "binlogview-detail.png", png)

	// Export the filter as CSV through the page's link.
	dir := t.TempDir()
	if err := b.AllowDownloads(ctx, dir); err != nil {
		t.Fatal(err)
	}
	evMark := b.EventCount()
	eval[any](t, ctx, p, `document.querySelector("[data-testid=export-csv]").click()`)
	dl, err := b.WaitDownload(ctx, evMark, dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(dl.SuggestedFilename, ".csv") || !strings.Contains(dl.URL, "table=binlogkit.tx") {
		t.Errorf("download %+v", dl)
	}
	data, err := os.ReadFile(dl.Path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(recs[0], csvHeader) {
		t.Fatalf("CSV header %v", recs[0])
	}
	var wantRows, gotRows [3]int
	positions := map[string]bool{}
	for _, tt := range want {
		for k, n := range tt.tables[table] {
			wantRows[k] += n
		}
		positions[fmt.Sprint(tt.pos)] = true
	}
	for _, r := range recs[1:] {
		if len(r) != len(csvHeader) {
			t.Fatalf("CSV record with %d fields: %v", len(r), r)
		}
		if r[6]+"."+r[7] != table || !positions[r[2]] {
			t.Errorf("CSV record outside the filter: %v", r)
		}
		k := map[string]int{"insert": 0, "update": 1, "delete": 2}[r[8]]
		gotRows[k]++
		img := r[11]
		if r[8] == "delete" {
			img = r[10]
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(img), &m); err != nil || len(m) == 0 {
			t.Errorf("CSV image %q: %v", img, err)
		}
	}
	if gotRows != wantRows {
		t.Errorf("CSV rows by op %v, an independent read finds %v", gotRows, wantRows)
	}
	if recs[1][3] == "" || recs[1][4] == "" || recs[1][5] == "" {
		t.Errorf("first CSV record lacks position, GTID or time: %v", recs[1])
	}
}

// TestBrowserEscapes checks that a value made of HTML is shown as text: the
// script in it never runs and no element comes out of it.
func TestBrowserEscapes(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	_, p := startBrowser(t, ctx)
	ts, _ := newTestServer(t, "", fabricated(t))
	if err := p.Navigate(ctx, ts.URL+"/#q=window.__xss"); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(ctx, `document.body.dataset.ready === "1"`); err != nil {
		t.Fatal(err)
	}
	rows := eval[[]int](t, ctx, p, `[...document.querySelectorAll("[data-testid=tx-row]")].map(tr => Number(tr.dataset.id))`)
	if len(rows) != 1 {
		t.Fatalf("q=window.__xss lists %d transactions, want 1", len(rows))
	}
	eval[any](t, ctx, p, `document.querySelector("[data-testid=tx-row]").click()`)
	if err := p.WaitFor(ctx, fmt.Sprintf(`document.body.dataset.detailLoaded === "%d"`, rows[0])); err != nil {
		t.Fatal(err)
	}
	eval[any](t, ctx, p, `document.querySelectorAll("[data-testid=row] summary").forEach(s => s.click())`)
	shown := eval[[]string](t, ctx, p, `[...document.querySelectorAll('[data-testid=row-compare] tr[data-col=name] .after')].map(td => td.textContent)`)
	if !slices.Contains(shown, hostileValue) {
		t.Errorf("the HTML value is not shown as text: %q", shown)
	}
	if n := eval[int](t, ctx, p, `document.querySelectorAll("#detail script, #detail img").length`); n != 0 {
		t.Errorf("%d elements came out of a value", n)
	}
	if x := eval[any](t, ctx, p, `window.__xss === undefined ? null : window.__xss`); x != nil {
		t.Errorf("a script in a value ran: window.__xss = %v", x)
	}
	// The events tab shows the statement text, escaped as well.
	eval[any](t, ctx, p, `document.querySelector("[data-testid=tab-events]").click()`)
	if x := eval[any](t, ctx, p, `window.__xss === undefined ? null : window.__xss`); x != nil {
		t.Errorf("a script ran: %v", x)
	}
}

// TestBrowserToken opens the page with ?token= as a user would: the token
// leaves the address, the cookie carries it, and the API answers the page.
func TestBrowserToken(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	_, p := startBrowser(t, ctx)
	const token = "browser-token-0123456789"
	ts, ix := newTestServer(t, token, fabricated(t))
	if err := p.Navigate(ctx, ts.URL+"/"); err != nil {
		t.Fatal(err)
	}
	if body := eval[string](t, ctx, p, `document.body.innerText`); !strings.Contains(body, "token is required") {
		t.Errorf("without the token the page shows %q", body)
	}
	if err := p.Navigate(ctx, ts.URL+"/?token="+token); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(ctx, `document.body.dataset.ready === "1"`); err != nil {
		t.Fatal(err)
	}
	if loc := eval[string](t, ctx, p, `location.href`); strings.Contains(loc, token) {
		t.Errorf("the token stays in the address: %s", loc)
	}
	if total := eval[string](t, ctx, p, `document.querySelector("[data-testid=total]").textContent`); total != fmt.Sprint(len(ix.txs)) {
		t.Errorf("total %q, want %d", total, len(ix.txs))
	}
	if c := eval[string](t, ctx, p, `document.cookie`); strings.Contains(c, token) {
		t.Error("the cookie is readable from scripts")
	}
}

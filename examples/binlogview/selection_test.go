package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/examples/internal/cli"
	"github.com/binlogkit/binlogkit/examples/internal/clitest"
)

// The tests of issue 18's findings 3, 4, 6, 7 and 8 against binlogview, on
// the recovery scene of clitest: its command line chooses what is indexed,
// its zone is the times the page and the API show and read.

// sceneServer indexes the scene's files with args and serves the API; it
// returns the server (nil when indexing failed), the index's stderr and its
// error.
func sceneServer(t *testing.T, sc *clitest.Scene, args ...string) (*httptest.Server, string, error) {
	t.Helper()
	c, err := parseArgs(append(args, sc.Files...))
	if err != nil {
		return nil, "", err
	}
	var stderr bytes.Buffer
	ix, err := openIndex(context.Background(), c, &stderr)
	if err != nil {
		return nil, stderr.String(), err
	}
	ts := httptest.NewServer(newServer(ix, "", true).handler())
	t.Cleanup(ts.Close)
	return ts, stderr.String(), nil
}

func gtidsOf(items []txJSON) string {
	var g []string
	for _, it := range items {
		g = append(g, it.GTID)
	}
	return strings.Join(g, " ")
}

// TestPositionPastFirstFile is finding 3.
func TestPositionPastFirstFile(t *testing.T) {
	sc := clitest.Write(t)
	pos := fmt.Sprint(sc.Pos["0-1-5"])
	_, _, err := sceneServer(t, sc, "--start-position", pos)
	if want := fmt.Sprintf("%s: start position %s is past the end of the file, which ends at byte %d", sc.Files[0], pos, sc.Size1); err == nil || err.Error() != want {
		t.Errorf("%v, want %s", err, want)
	}
	ts, _, err := sceneServer(t, sc, "--start-file", "mysql-bin.000002", "--start-position", pos)
	if err != nil {
		t.Fatal(err)
	}
	if got := gtidsOf(allPages(t, ts, nil, 10)); got != "0-1-5 0-1-6" {
		t.Errorf("--start-file: %s", got)
	}
}

// TestLocalTime is finding 4: the viewer shows and reads times in --tz,
// the local zone by default.
func TestLocalTime(t *testing.T) {
	t.Setenv("TZ", "Asia/Shanghai")
	sc := clitest.Write(t)
	ts, _, err := sceneServer(t, sc)
	if err != nil {
		t.Fatal(err)
	}
	var sum summaryJSON
	getJSON(t, ts, "/api/summary", &sum)
	if sum.TimeZone != "Asia/Shanghai (UTC+08:00)" || sum.FirstTime != "2026-11-21 18:43:00" || sum.LastTime != "2026-11-21 18:44:00" {
		t.Errorf("summary: %s %s %s", sum.TimeZone, sum.FirstTime, sum.LastTime)
	}
	if got := gtidsOf(allPages(t, ts, url.Values{"from": {"2026-11-21 18:43:50"}}, 10)); got != "0-1-6" {
		t.Errorf("from=18:43:50 local: %s", got)
	}
	ts, _, _ = sceneServer(t, sc, "--start-datetime", "2026-11-21 18:43:25")
	if got := gtidsOf(allPages(t, ts, nil, 10)); got != "0-1-5 0-1-6" {
		t.Errorf("--start-datetime 18:43:25 local: %s", got)
	}
	ts, _, _ = sceneServer(t, sc, "--tz", "UTC")
	getJSON(t, ts, "/api/summary", &sum)
	if sum.TimeZone != "UTC" || sum.FirstTime != "2026-11-21 10:43:00" {
		t.Errorf("--tz UTC: %s %s", sum.TimeZone, sum.FirstTime)
	}
	_, errs, err := sceneServer(t, sc, "--start-datetime", "2026-11-21 10:43:00", "--stop-datetime", "2026-11-21 10:45:00")
	if err != nil || !strings.Contains(errs, "binlogview: warning: --start-datetime '2026-11-21 10:43:00' --stop-datetime '2026-11-21 10:45:00' selected no event: the input spans 2026-11-21 18:43:00 to 2026-11-21 18:44:00; times are in Asia/Shanghai (UTC+08:00)") {
		t.Errorf("range missed: %v, %s", err, errs)
	}
}

// TestFilterMatchingNothing is finding 6: a table filter that keeps nothing
// warns; one that keeps a table shows no other table, in the list or in a
// transaction's details.
func TestFilterMatchingNothing(t *testing.T) {
	sc := clitest.Write(t)
	ts, errs, err := sceneServer(t, sc, "--tables", "shop.nosuch")
	if err != nil || !strings.Contains(errs, "binlogview: warning: --tables shop.nosuch kept no row change; the tables with rows events are shop.orders (3 rows events), shop.users (1)\n") {
		t.Errorf("%v, %s", err, errs)
	}
	if items := allPages(t, ts, nil, 10); len(items) != 0 {
		t.Errorf("indexed %s", gtidsOf(items))
	}
	ts, _, _ = sceneServer(t, sc, "--tables", "shop.orders")
	items := allPages(t, ts, nil, 10)
	if got := gtidsOf(items); got != "0-1-1 0-1-2 0-1-5 0-1-6" {
		t.Errorf("--tables shop.orders: %s", got)
	}
	var d detailJSON
	getJSON(t, ts, fmt.Sprintf("/api/transactions/%d", items[3].ID), &d)
	for _, e := range d.EventList {
		if strings.Contains(e.Info, "users") {
			t.Errorf("detail shows %+v", e)
		}
	}
	if len(d.Rows) != 2 {
		t.Errorf("detail rows %+v", d.Rows)
	}
}

// TestGTIDSelection is finding 7: the page's gtid parameter and the command
// line read GTIDs as --include-gtids does.
func TestGTIDSelection(t *testing.T) {
	sc := clitest.Write(t)
	ts, _, err := sceneServer(t, sc)
	if err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{"0-1-5": "0-1-5", "0-1-5,0-1-6": "0-1-5 0-1-6", "0-1-4..6": "0-1-4 0-1-5 0-1-6"} {
		if got := gtidsOf(allPages(t, ts, url.Values{"gtid": {q}}, 10)); got != want {
			t.Errorf("gtid=%s: %s, want %s", q, got, want)
		}
	}
	ts, _, _ = sceneServer(t, sc, "--include-gtids", "0-1-2,0-1-6")
	if got := gtidsOf(allPages(t, ts, nil, 10)); got != "0-1-2 0-1-6" {
		t.Errorf("--include-gtids 0-1-2,0-1-6: %s", got)
	}
}

// TestBadFlag is finding 8: one line (it was two) and exit 2.
func TestBadFlag(t *testing.T) {
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"--no-such-flag", "x"}, &stderr, nil); code != exitUsage ||
		stderr.String() != "binlogview: flag provided but not defined: -no-such-flag (run binlogview -h for usage)\n" {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
	var out bytes.Buffer
	printUsage(&out)
	clitest.CheckUsage(t, out.String(), cli.Extra(0))
	for _, h := range []string{"-h", "--help"} {
		if _, err := parseArgs([]string{h}); err != flag.ErrHelp {
			t.Errorf("%s: %v", h, err)
		}
	}
}

// TestAliases: every alias of a selection flag indexes what its first name
// does.
func TestAliases(t *testing.T) {
	sc := clitest.Write(t)
	p5, p6 := fmt.Sprint(sc.Pos["0-1-5"]), fmt.Sprint(sc.Pos["0-1-6"])
	for _, c := range [][2][]string{
		{{"--start-position", p5, "--start-file", "mysql-bin.000002"}, {"--start-pos", p5, "--start-file", "mysql-bin.000002"}},
		{{"--stop-position", p6, "--stop-file", "mysql-bin.000002"}, {"--stop-pos", p6, "--end-file", "mysql-bin.000002"}},
		{{"--stop-position", p6}, {"--end-pos", p6}},
		{{"--databases", "shop", "--tables", "users"}, {"--database", "shop", "--table", "users"}},
		{{"--databases", "shop", "--tables", "users"}, {"-d", "shop", "-t", "users"}},
		{{"--exclude-tables", "shop.users"}, {"--exclude-table", "shop.users"}},
	} {
		ts1, _, err1 := sceneServer(t, sc, c[0]...)
		ts2, _, err2 := sceneServer(t, sc, c[1]...)
		if err1 != nil || err2 != nil {
			t.Errorf("%v: %v; %v: %v", c[0], err1, c[1], err2)
			continue
		}
		want, got := gtidsOf(allPages(t, ts1, nil, 10)), gtidsOf(allPages(t, ts2, nil, 10))
		if got != want || got == "" {
			t.Errorf("%v (%s) and %v (%s) differ", c[0], want, c[1], got)
		}
	}
}

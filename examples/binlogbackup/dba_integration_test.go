//go:build integration

package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/binlogkit/binlogkit/backup"
	"github.com/binlogkit/binlogkit/internal/mariadbtest"
	"github.com/binlogkit/binlogkit/internal/mysqltest"
)

// dbaServer is what the DBA journey needs of a private server.
type dbaServer interface {
	binlogServer
	Exec(t testing.TB, sql string)
	FlushLogs(t testing.TB)
	PurgeTo(t testing.TB, name string)
	DSN() string
}

func TestIntegrationDBAJourneyMariaDB(t *testing.T) {
	dbaJourney(t, mariadbtest.Start(t))
}

func TestIntegrationDBAJourneyMySQL(t *testing.T) {
	dbaJourney(t, mysqltest.Start(t))
}

// metricsOf fetches and parses the Prometheus text of url: name (with its
// labels, as written) to value.
func metricsOf(t *testing.T, url string) map[string]float64 {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("Content-Type %q", ct)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("metric line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

// waitMetricsCaughtUp waits until the metrics say the archive holds every
// byte of the server's binlogs (an encrypted .partial file cannot be
// compared by size).
func waitMetricsCaughtUp(t *testing.T, s binlogServer, url string, stderr *syncBuffer) map[string]float64 {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		files := s.BinlogFiles(t)
		last := files[len(files)-1]
		st, err := os.Stat(last)
		m := metricsOf(t, url)
		if err == nil && m[fmt.Sprintf("binlogbackup_current_file_info{file=%q}", filepath.Base(last))] == 1 &&
			m["binlogbackup_current_position_bytes"] == float64(st.Size()) {
			return m
		}
		if time.Now().After(deadline) {
			t.Fatalf("the archive did not catch up with %s (%v); stderr:\n%s", last, m, stderr)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// dbaJourney is what a DBA does with binlogbackup: an encrypted, compressed
// archive with retention and metrics, followed for a while; checked with
// Debian's age and zstd and with verify; then the server purges binlogs the
// archive did not hold yet, and the archive continues as a new chain.
func dbaJourney(t *testing.T, s dbaServer) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	testIdentities = []age.Identity{id}
	key := filepath.Join(t.TempDir(), "key.txt")
	os.WriteFile(key, []byte(id.String()+"\n"), 0o600)

	s.Exec(t, "CREATE DATABASE bk; CREATE TABLE bk.t (id INT PRIMARY KEY, v TEXT, n INT NOT NULL DEFAULT 0) ENGINE=InnoDB")
	s.Exec(t, workload(0, 50))
	s.FlushLogs(t)
	s.Exec(t, workload(50, 50))

	dir := t.TempDir()
	args := []string{"--dsn", s.DSN(), "--dir", dir, "--compress", "zstd", "--encrypt-to", id.Recipient().String(),
		"--retain-files", "2", "--progress", "1s", "--metrics", "127.0.0.1:0", "--server-id", "7101"}
	stop, stderr := startTool(t, args...)
	var url string
	for deadline := time.Now().Add(10 * time.Second); url == ""; time.Sleep(20 * time.Millisecond) {
		if m := regexp.MustCompile(`metrics on (http://\S+/metrics)`).FindStringSubmatch(stderr.String()); m != nil {
			url = m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("no metrics address:\n%s", stderr)
		}
	}
	m := waitMetricsCaughtUp(t, s, url, stderr)
	if m["binlogbackup_up"] != 1 || m["binlogbackup_bytes_behind_server"] != 0 && m["binlogbackup_server_binlog_files"] != 0 {
		t.Errorf("caught up, metrics say: %v", m)
	}

	// The lock: a second backup of the directory is refused.
	var errb bytes.Buffer
	if code := run(context.Background(), []string{"--dsn", s.DSN(), "--dir", dir}, io.Discard, &errb); code != exitError ||
		!strings.Contains(errb.String(), fmt.Sprintf("in use by process %d", os.Getpid())) {
		t.Errorf("second backup: exit %d, %q", code, errb.String())
	}

	// Light traffic: a transaction now and then; progress lines still come
	// every second.
	before := strings.Count(stderr.String(), "binlogbackup: progress:")
	for i := range 3 {
		s.Exec(t, workload(100+i, 1))
		time.Sleep(time.Second)
	}
	if n := strings.Count(stderr.String(), "binlogbackup: progress:") - before; n < 2 {
		t.Errorf("%d progress lines in 3 s with --progress 1s:\n%s", n, stderr)
	}
	// More files: retention keeps the two newest completed ones.
	for i := range 4 {
		s.FlushLogs(t)
		s.Exec(t, workload(200+10*i, 10))
	}
	m = waitMetricsCaughtUp(t, s, url, stderr)
	if m["binlogbackup_files_stored"] != 3 || m["binlogbackup_files_deleted_total"] < 3 || m["binlogbackup_files_completed_total"] < 5 ||
		m["binlogbackup_stored_bytes"] <= 0 || m["binlogbackup_last_file_completed_timestamp_seconds"] < float64(time.Now().Add(-time.Minute).Unix()) {
		t.Errorf("after retention, metrics say: %v", m)
	}
	if code := stop(); code != exitOK {
		t.Fatalf("binlogbackup exited %d:\n%s", code, stderr)
	}
	log := stderr.String()
	t.Logf("binlogbackup's stderr:\n%s", log)
	if !strings.Contains(log, "retention removed a file") {
		t.Error("no deletion logged")
	}

	// The archive: two completed files and the one being written, each the
	// server's bytes once decrypted and decompressed; the deleted ones are
	// recorded in the index.
	index, err := backup.ReadIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := s.BinlogFiles(t)
	present := 0
	for _, e := range index {
		if e.Deleted != nil {
			if _, err := os.Stat(filepath.Join(dir, e.Stored)); err == nil {
				t.Errorf("%s: recorded as deleted, still there", e.Stored)
			}
			continue
		}
		present++
		want, err := os.ReadFile(filepath.Join(filepath.Dir(files[0]), e.Name))
		if err != nil {
			t.Fatal(err)
		}
		got := readStored(t, filepath.Join(dir, e.Stored))
		if !e.Complete {
			got[21] &^= 1 // the in-use flag the open file carries
			want[21] &^= 1
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: %d bytes differ from the server's %d at byte %d", e.Stored, len(got), len(want), firstDiff(got, want))
		}
		if !strings.HasSuffix(e.Stored, ".age") {
			t.Errorf("%s is not encrypted", e.Stored)
		}
	}
	if present != 3 || len(index) != len(files) {
		t.Errorf("index: %d files present, %d entries; the server has %d files", present, len(index), len(files))
	}
	last := index[len(index)-1]
	for _, want := range []string{fmt.Sprintf("%s partial up to byte %d)", last.Name, last.Size), fmt.Sprintf("the archive ends at %s:%d", last.Name, last.Size), "retention removed 3 files"} {
		if !strings.Contains(log, want) {
			t.Errorf("the summary does not say %q", want)
		}
	}

	// Debian's age and zstd read the completed files.
	if _, err := exec.LookPath("age"); err != nil {
		t.Logf("age is not installed (apt-get install age): the age -d | zstd -d check skips")
	} else if _, err := exec.LookPath("zstd"); err != nil {
		t.Logf("zstd is not installed (apt-get install zstd): the age -d | zstd -d check skips")
	} else {
		n, total := 0, 0
		for _, e := range index {
			if e.Deleted != nil || !e.Complete {
				continue
			}
			out, err := exec.Command("sh", "-c", `age -d -i "$1" "$2" | zstd -d`, "sh", key, filepath.Join(dir, e.Stored)).Output()
			if err != nil {
				t.Fatalf("age -d | zstd -d %s: %v", e.Stored, err)
			}
			want, _ := os.ReadFile(filepath.Join(filepath.Dir(files[0]), e.Name))
			if !bytes.Equal(out, want) {
				t.Fatalf("age -d | zstd -d %s: %d bytes, the server's file %d, first difference at %d", e.Stored, len(out), len(want), firstDiff(out, want))
			}
			n++
			total += len(out)
		}
		t.Logf("age -d -i key.txt FILE | zstd -d: %d files, %d bytes identical to the server's", n, total)
	}

	// verify: no problem; then a flipped byte is found.
	code, out, errs := runTool("verify", "--dir", dir, "--identity", key)
	if code != exitOK {
		t.Fatalf("verify: exit %d\n%s%s", code, out, errs)
	}
	t.Logf("verify:\n%s", out)
	victim := filepath.Join(dir, index[len(index)-2].Stored)
	data, _ := os.ReadFile(victim)
	bad := bytes.Clone(data)
	bad[len(bad)/2] ^= 4
	os.WriteFile(victim, bad, 0o600)
	if code, _, errs := runTool("verify", "--dir", dir, "--identity", key); code != exitError || !strings.Contains(errs, index[len(index)-2].Name) {
		t.Errorf("verify of a flipped byte: exit %d\n%s", code, errs)
	}
	os.WriteFile(victim, data, 0o600)
	if code, _, _ := runTool("verify", "--dir", dir); code != exitError {
		t.Errorf("verify of an encrypted archive without --identity: exit %d", code)
	}

	// A purge gap: while the backup is down, the server rotates and purges
	// every file but its newest.
	s.Exec(t, workload(400, 20))
	s.FlushLogs(t)
	s.Exec(t, workload(420, 20))
	s.FlushLogs(t)
	s.Exec(t, workload(440, 20))
	files = s.BinlogFiles(t)
	newest := filepath.Base(files[len(files)-1])
	s.PurgeTo(t, newest)
	resume := []string{"--dsn", s.DSN(), "--dir", dir, "--compress", "zstd", "--encrypt-to", id.Recipient().String(),
		"--identity", key, "--retain-files", "2", "--non-blocking", "--progress", "0"}
	code, _, errs = runTool(resume...)
	wantGap := fmt.Sprintf("the server no longer has %s (the archive holds it up to byte %d) and its oldest binlog is %s", last.Name, last.Size, newest)
	if code != exitError || !strings.Contains(errs, wantGap) || !strings.Contains(errs, "--new-chain") {
		t.Fatalf("after PURGE: exit %d, stderr:\n%s\nwant %q and --new-chain", code, errs, wantGap)
	}
	t.Logf("after PURGE: %s", strings.TrimSpace(errs))
	code, _, errs = runTool(append(resume, "--new-chain")...)
	if code != exitOK {
		t.Fatalf("--new-chain: exit %d\n%s", code, errs)
	}
	index, _ = backup.ReadIndex(dir)
	g := index[len(index)-1]
	if g.Name != newest || g.Gap == nil || !strings.HasPrefix(g.Gap.Missing, last.Name) {
		t.Fatalf("the new chain's first entry: %+v", g)
	}
	t.Logf("index records the gap: %+v", *g.Gap)
	code, out, errs = runTool("verify", "--dir", dir, "--identity", key)
	if code != exitOK || !strings.Contains(out, "purge gap") {
		t.Fatalf("verify after the gap: exit %d\n%s%s", code, out, errs)
	}
	// --start-file is no longer ignored once the archive holds files: a
	// later file would leave a gap, and says so.
	code, _, errs = runTool(append(resume, "--start-file", "binlog.000099")...)
	if code != exitError || !strings.Contains(errs, "would leave a gap") {
		t.Errorf("--start-file past the archive's end: exit %d\n%s", code, errs)
	}
}

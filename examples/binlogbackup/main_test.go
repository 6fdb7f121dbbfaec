package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/backup"
)

func runTool(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsage(t *testing.T) {
	code, out, _ := runTool("-h")
	if code != exitOK {
		t.Fatalf("-h: exit %d", code)
	}
	for _, f := range []string{"--dsn", "--dir", "--start-file", "--gtid", "--new-chain", "--compress", "--encrypt-to", "--identity",
		"--retain-days", "--retain-files", "--metrics", "--progress", "--fsync", "--server-id", "--non-blocking", "--stop-never",
		"Examples:", "binlogbackup.index", "binlogbackup verify"} {
		if !strings.Contains(out, f) {
			t.Errorf("usage lacks %s", f)
		}
	}
	dir := t.TempDir()
	for _, args := range [][]string{
		{},
		{"--dsn", "root@/"},
		{"--dir", dir},
		{"--dsn", "root@/", "--dir", dir, "--compress", "xz"},
		{"--dsn", "root@/", "--dir", dir, "--gtid", "0-1-x"},
		{"--dsn", "root@/", "--dir", dir, "--gtid", "0-1-2", "--start-file", "b.000001"},
		{"--dsn", "root@/", "--dir", dir, "extra"},
		{"--dsn", "root@/", "--dir", dir, "--encrypt-to", "age1notakey"},
		{"--dsn", "root@/", "--dir", dir, "--retain-days", "-1"},
		{"--dsn", "root@/", "--dir", dir, "--metrics", "nonsense"},
		{"--no-such-flag"},
		{"verify"},
		{"verify", "--dir", dir, "extra"},
	} {
		code, out, stderr := runTool(args...)
		if code != exitUsage || out != "" || !strings.HasPrefix(stderr, "binlogbackup") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and one line", args, code, out, stderr)
		}
	}
	code, out, _ = runTool("verify", "-h")
	if code != exitOK || !strings.Contains(out, "--identity") || !strings.Contains(out, "--json") {
		t.Errorf("verify -h: exit %d:\n%s", code, out)
	}
}

// TestLockedDir: a second process on a directory in use exits 1 naming the
// holder's PID, before connecting anywhere.
func TestLockedDir(t *testing.T) {
	dir := t.TempDir()
	m, err := backup.OpenMirror(dir, backup.MirrorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	code, _, stderr := runTool("--dsn", "root@tcp(127.0.0.1:1)/", "--dir", dir)
	if code != exitError || !strings.Contains(stderr, fmt.Sprintf("in use by process %d", os.Getpid())) {
		t.Fatalf("exit %d, stderr %q; want 1 naming PID %d", code, stderr, os.Getpid())
	}
}

// recordedArchive lays the recorded files out as an archive directory.
func recordedArchive(t *testing.T) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	var names []string
	for i := 1; i <= 4; i++ {
		name := fmt.Sprintf("mariadb-10_11-full.%06d", i)
		data, err := os.ReadFile(filepath.Join("../../testdata/recorded", name))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, name), data, 0o644)
		names = append(names, name)
	}
	return dir, names
}

func TestVerifyCommand(t *testing.T) {
	dir, names := recordedArchive(t)
	code, out, stderr := runTool("verify", "--dir", dir)
	if code != exitOK || !strings.Contains(out, "verified 4 files") || stderr != "" {
		t.Fatalf("intact: exit %d\n%s%s", code, out, stderr)
	}
	if at, ok := backup.LastVerified(dir); !ok || at.IsZero() {
		t.Error("the outcome was not recorded")
	}
	// A flipped byte: exit 1, the file and the offset named.
	p := filepath.Join(dir, names[1])
	data, _ := os.ReadFile(p)
	data[1000] ^= 0x10
	os.WriteFile(p, data, 0o644)
	code, out, stderr = runTool("verify", "--dir", dir)
	if code != exitError || !strings.Contains(stderr, names[1]+": at byte ") || !strings.Contains(out, "PROBLEM") {
		t.Fatalf("flipped byte: exit %d\n%s%s", code, out, stderr)
	}
	t.Logf("%s", strings.TrimSpace(stderr))
	code, out, _ = runTool("verify", "--dir", dir, "--json")
	var rep struct {
		OK       bool
		Problems []backup.Problem
		Files    []backup.FileReport
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != exitError || rep.OK || len(rep.Problems) == 0 || rep.Problems[0].File != names[1] || len(rep.Files) != 4 {
		t.Fatalf("--json: exit %d, %v:\n%s", code, err, out)
	}
	// A missing file.
	dir, names = recordedArchive(t)
	os.Remove(filepath.Join(dir, names[1]))
	code, _, stderr = runTool("verify", "--dir", dir)
	if code != exitError || !strings.Contains(stderr, names[1]+": at byte 0: missing") {
		t.Fatalf("missing file: exit %d\n%s", code, stderr)
	}
	// Not an archive.
	code, _, stderr = runTool("verify", "--dir", t.TempDir())
	if code != exitError || !strings.Contains(stderr, "no binlog files") {
		t.Fatalf("empty directory: exit %d\n%s", code, stderr)
	}
}

// TestVerifyServerEncrypted: files copied from an encrypting MariaDB's disk
// verify with the server's key file (--key-file), and name the key without.
func TestVerifyServerEncrypted(t *testing.T) {
	dir := t.TempDir()
	for i := 1; i <= 4; i++ {
		name := fmt.Sprintf("mariadb-10_11-enc-ctr.%06d", i)
		data, err := os.ReadFile(filepath.Join("../../testdata/encrypted", name))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, name), data, 0o644)
	}
	code, _, stderr := runTool("verify", "--dir", dir, "--no-record")
	if code != exitError || !strings.Contains(stderr, "mariadb-10_11-enc-ctr.000001: at byte 296: encrypted with MariaDB key 1") {
		t.Fatalf("without the key: exit %d\n%s", code, stderr)
	}
	code, out, stderr := runTool("verify", "--dir", dir, "--no-record", "--key-file", "../../testdata/encrypted/keys.txt")
	if code != exitOK || !strings.Contains(out, "verified 4 files") {
		t.Fatalf("with --key-file: exit %d\n%s%s", code, out, stderr)
	}
}

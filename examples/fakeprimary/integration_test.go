//go:build integration

package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// recorded are the project's recorded MariaDB binlogs, served under their
// own names (their ROTATE events name each other).
func recorded(t *testing.T) []string {
	files, _ := filepath.Glob("../../testdata/recorded/mariadb-10_11-full.00000?")
	if len(files) != 4 {
		t.Fatalf("want the 4 recorded files, found %v", files)
	}
	return files
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startFakePrimary builds and starts the command on files; it is stopped
// with SIGINT when the test ends.
func startFakePrimary(t *testing.T, files []string) (host, port string) {
	return startFakePrimaryArgs(t, nil, files)
}

// startFakePrimaryArgs is startFakePrimary with more flags.
func startFakePrimaryArgs(t *testing.T, flags, files []string) (host, port string) {
	bin := filepath.Join(t.TempDir(), "fakeprimary")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	addr := freeAddr(t)
	var logBuf bytes.Buffer
	args := append([]string{"--listen", addr, "--password", "s3cret", "-v"}, flags...)
	cmd := exec.Command(bin, append(args, files...)...)
	cmd.Stderr = &logBuf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("fakeprimary exited with %v after SIGINT\n%s", err, logBuf.String())
			}
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			t.Errorf("fakeprimary ignored SIGINT")
		}
		if t.Failed() {
			t.Logf("fakeprimary log:\n%s", logBuf.String())
		}
	})
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	host, port, _ = net.SplitHostPort(addr)
	return host, port
}

func mariadbBinlog(t *testing.T) string {
	p, err := exec.LookPath("mariadb-binlog")
	if err != nil {
		t.Skip("mariadb-binlog is not installed (install the MariaDB client to run this test)")
	}
	return p
}

// TestIntegrationMariadbBinlogRaw: mariadb-binlog --read-from-remote-server
// --raw against fakeprimary writes back files byte-identical to the ones
// served.
func TestIntegrationMariadbBinlogRaw(t *testing.T) {
	tool := mariadbBinlog(t)
	files := recorded(t)
	host, port := startFakePrimary(t, files)
	out := t.TempDir() + "/"
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, tool, "--read-from-remote-server", "--host="+host, "--port="+port,
		"--user=root", "--password=s3cret", "--raw", "--to-last-log", "--result-file="+out, filepath.Base(files[0]))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("mariadb-binlog: %v\n%s", err, b)
	}
	for _, f := range files {
		want, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(out, filepath.Base(f)))
		if err != nil {
			t.Fatalf("mariadb-binlog did not write %s: %v", filepath.Base(f), err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: %d bytes written back, %d served, first difference at byte %d",
				filepath.Base(f), len(got), len(want), firstDiff(got, want))
		}
	}
}

// TestIntegrationMariadbBinlogRows: without --raw, mariadb-binlog -v prints
// the same rows and commits for the stream as for the files read locally.
// Lines that legitimately differ are left out: "# at" offsets and header
// lines (a remote mariadb-binlog counts offsets across files and prints the
// artificial ROTATEs), and the session SET lines it prints once per file
// locally but once per session remotely.
func TestIntegrationMariadbBinlogRows(t *testing.T) {
	tool := mariadbBinlog(t)
	files := recorded(t)
	host, port := startFakePrimary(t, files)
	remote, err := exec.Command(tool, "--read-from-remote-server", "--host="+host, "--port="+port,
		"--user=root", "--password=s3cret", "-v", "--to-last-log", filepath.Base(files[0])).Output()
	if err != nil {
		t.Fatalf("mariadb-binlog remote: %v", err)
	}
	local, err := exec.Command(tool, append([]string{"-v"}, files...)...).Output()
	if err != nil {
		t.Fatalf("mariadb-binlog local: %v", err)
	}
	r, l := keyLines(remote), keyLines(local)
	if len(l) < 1000 {
		t.Fatalf("only %d row and commit lines locally: the comparison would prove little", len(l))
	}
	if len(r) != len(l) {
		t.Fatalf("remote output has %d row/commit lines, local %d", len(r), len(l))
	}
	for i := range l {
		if r[i] != l[i] {
			t.Fatalf("line %d differs:\nremote %s\nlocal  %s", i, r[i], l[i])
		}
	}
}

// keyLines keeps the rows (###), the statements' COMMIT/BEGIN lines and
// the Xid lines, without positions.
func keyLines(b []byte) []string {
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(line, "###"), line == "BEGIN", strings.HasPrefix(line, "COMMIT"):
			out = append(out, line)
		case strings.Contains(line, "\tXid = "):
			out = append(out, line[strings.Index(line, "\tXid = "):])
		}
	}
	return out
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

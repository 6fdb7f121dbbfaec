package binlog

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/event"
)

// rssFileKB reads how much of the process's resident set is file-backed
// (mapped files).
func rssFileKB(t *testing.T) int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "RssFile:" {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	t.Skip("no RssFile in /proc/self/status")
	return 0
}

// TestMappedFileResidentBounded reads a 128 MiB binlog through OpenFile's
// mapping: the file-backed resident set stays bounded (the pages behind
// the reader are handed back), instead of growing with the file.
func TestMappedFileResidentBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 128 MiB file")
	}
	path := filepath.Join(t.TempDir(), "big.000001")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	w := NewWriter(bw)
	h := event.Header{Timestamp: 1, ServerID: 1}
	if err := w.WriteBody(h, event.NewFormatDescription("10.11.19-MariaDB-log", event.ChecksumCRC32)); err != nil {
		t.Fatal(err)
	}
	q := &event.Query{Schema: []byte("db"), Query: bytes.Repeat([]byte("x"), 4000)}
	for w.Pos() < 128<<20 {
		if err := w.WriteBody(h, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	src, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if src.data == nil {
		t.Skip("the file was not mapped")
	}
	base := rssFileKB(t)
	peak := 0
	r := NewReader(src)
	for n := 0; ; n++ {
		_, err := r.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if n%2000 == 0 {
			peak = max(peak, rssFileKB(t)-base)
		}
	}
	if peak > 64<<10 {
		t.Errorf("file-backed resident set grew by %d KiB reading a 128 MiB mapped binlog", peak)
	}
	t.Logf("peak growth of the file-backed resident set: %d KiB", peak)
}

package cli

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

// fakeClock advances by step at each reading.
type fakeClock struct {
	t    time.Time
	step time.Duration
}

func (c *fakeClock) now() time.Time { c.t = c.t.Add(c.step); return c.t }

func writeFile(t *testing.T, name string, size int) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, make([]byte, size), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// feed passes n events of file ending at nextPos.
func feed(p *Progress, file string, nextPos uint64, n int) {
	ev := &event.Event{File: file, NextPos: nextPos}
	for range n {
		p.Update(ev)
	}
}

func TestProgressDraws(t *testing.T) {
	a := writeFile(t, "a.bin", 3<<20)
	b := writeFile(t, "b.bin", 1<<20)
	var out bytes.Buffer
	clk := &fakeClock{t: time.Unix(1e9, 0), step: time.Second}
	p := newProgress(&out, "binlogdump", 2<<20, []string{a, b}, clk.now)
	if !p.on || p.total != 4<<20 {
		t.Fatalf("progress on %v total %d; want on, 4 MiB", p.on, p.total)
	}
	feed(p, a, 1<<20, 511)
	if out.Len() != 0 {
		t.Fatalf("drawn before 512 events: %q", out.String())
	}
	feed(p, a, 1<<20, 1) // 1 s after the start: 1 MiB read
	want := "\r" + pad("binlogdump: 1.0 MiB / 4.0 MiB (25%), 1 MiB/s, ETA 3s")
	if out.String() != want {
		t.Fatalf("first line %q, want %q", out.String(), want)
	}
	out.Reset()
	feed(p, b, 1<<20, 512) // a done (3 MiB) + 1 MiB of b, 2 s after the start
	if want := "\r" + pad("binlogdump: 4.0 MiB / 4.0 MiB (100%), 2 MiB/s"); out.String() != want {
		t.Fatalf("second line %q, want %q", out.String(), want)
	}
	out.Reset()
	clk.step = 100 * time.Millisecond
	feed(p, b, 1<<20, 512)
	if out.Len() != 0 {
		t.Errorf("redrawn within 250ms: %q", out.String())
	}
	p.Clear()
	if want := "\r" + strings.Repeat(" ", 70) + "\r"; out.String() != want {
		t.Errorf("Clear wrote %q", out.String())
	}
	out.Reset()
	p.Clear()
	if out.Len() != 0 {
		t.Errorf("second Clear wrote %q", out.String())
	}
}

func pad(s string) string { return s + strings.Repeat(" ", 70-len(s)) }

func TestProgressOff(t *testing.T) {
	small := writeFile(t, "small.bin", 1<<20)
	var out bytes.Buffer
	clk := &fakeClock{t: time.Unix(1e9, 0), step: time.Second}
	for _, files := range [][]string{nil, {small}, {filepath.Join(t.TempDir(), "missing")}} {
		p := newProgress(&out, "binlogstat", 4<<20, files, clk.now)
		feed(p, small, 1<<20, 2048)
		p.Clear()
		if p.on || out.Len() != 0 {
			t.Errorf("files %q: on %v, wrote %q", files, p.on, out.String())
		}
	}
	// NewProgress draws only on a terminal.
	big := writeFile(t, "big.bin", 5<<20)
	if p := NewProgress(&out, "binlogstat", 4<<20, []string{big}); p.on {
		t.Error("enabled on a buffer")
	}
	if IsTerminal(&out) {
		t.Error("a buffer is a terminal")
	}
}

func TestProgressCompressedHasNoTotal(t *testing.T) {
	p := filepath.Join(t.TempDir(), "c.bin.gz")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	// Random-looking bytes so that the file stays large once compressed.
	buf := make([]byte, 3<<20)
	x := uint32(1)
	for i := range buf {
		x = x*1664525 + 1013904223
		buf[i] = byte(x >> 24)
	}
	zw.Write(buf)
	zw.Close()
	f.Close()
	var out bytes.Buffer
	clk := &fakeClock{t: time.Unix(1e9, 0), step: time.Second}
	pr := newProgress(&out, "binlog2sql", 2<<20, []string{p}, clk.now)
	if !pr.on || pr.total != 0 {
		t.Fatalf("compressed: on %v total %d; want on without a total", pr.on, pr.total)
	}
	feed(pr, "c.bin", 5<<20, 512)
	if want := "\r" + pad("binlog2sql: 5.0 MiB, 5 MiB/s"); out.String() != want {
		t.Errorf("line %q, want %q", out.String(), want)
	}
	if size, compressed := fileSize(p); size < 2<<20 || !compressed {
		t.Errorf("fileSize = %d, %v", size, compressed)
	}
}

func TestOpenSource(t *testing.T) {
	src, closeSrc := OpenSource([]string{"-"}, strings.NewReader("not a binlog"))
	defer closeSrc()
	if _, err := src.ReadEvent(t.Context()); err == nil || err == io.EOF || !strings.Contains(err.Error(), "stdin") {
		t.Errorf("reading garbage from stdin: %v; want an error naming stdin", err)
	}
	// Several files are read in order, a directory as a backup.
	dir := t.TempDir()
	for _, name := range []string{"mariadb-bin.000001", "mariadb-bin.000002"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "recorded", "mariadb-10_11-minimal."+name[len(name)-6:]))
		if err != nil {
			t.Skip(err)
		}
		os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
	for _, files := range [][]string{{filepath.Join(dir, "mariadb-bin.000001"), filepath.Join(dir, "mariadb-bin.000002")}, {dir}} {
		src, closeSrc := OpenSource(files, nil)
		r := binlog.NewReader(src)
		var seen []string
		for {
			ev, err := r.Next(t.Context())
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%q: %v", files, err)
			}
			if name := filepath.Base(ev.File); len(seen) == 0 || seen[len(seen)-1] != name {
				seen = append(seen, name)
			}
		}
		closeSrc()
		if strings.Join(seen, " ") != "mariadb-bin.000001 mariadb-bin.000002" {
			t.Errorf("%q: read files %q", files, seen)
		}
	}
}

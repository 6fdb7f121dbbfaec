package binlog_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

// recordedFull returns the four recorded files of one server run, in order.
func recordedFull(t testing.TB) []string {
	t.Helper()
	var files []string
	for i := 1; i <= 4; i++ {
		p := fmt.Sprintf("../testdata/recorded/mariadb-10_11-full.%06d", i)
		if _, err := os.Stat(p); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	return files
}

type rawEvent struct {
	file string
	pos  uint64
	raw  []byte
}

func readAll(t *testing.T, src binlog.Source) []rawEvent {
	t.Helper()
	var out []rawEvent
	p := src.(binlog.Positioner)
	for {
		b, err := src.ReadEvent(context.Background())
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("ReadEvent after %d events: %v", len(out), err)
		}
		f, pos := p.Position()
		out = append(out, rawEvent{f, pos, bytes.Clone(b)})
	}
}

func compress(t *testing.T, kind string, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	switch kind {
	case "lz4":
		w := lz4.NewWriter(&b)
		w.Write(data)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	case "zst":
		w, _ := zstd.NewWriter(&b)
		w.Write(data)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

// backupDir lays the recorded files out as a backup directory: the first
// plain, the second lz4, the third zstd, the fourth .partial cut at cut
// bytes (all of it when cut is 0).
func backupDir(t *testing.T, cut int) (dir string, names []string, orig [][]byte) {
	t.Helper()
	dir = t.TempDir()
	for i, p := range recordedFull(t) {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(p)
		stored := name
		content := data
		switch i {
		case 1:
			stored, content = name+binlog.Lz4Suffix, compress(t, "lz4", data)
		case 2:
			stored, content = name+binlog.ZstdSuffix, compress(t, "zst", data)
		case 3:
			stored = name + binlog.PartialSuffix
			if cut > 0 {
				data, content = data[:cut], data[:cut]
			}
		}
		if err := os.WriteFile(filepath.Join(dir, stored), content, 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
		orig = append(orig, data)
	}
	return dir, names, orig
}

func TestOpenDirReadsLikeTheFiles(t *testing.T) {
	dir, names, _ := backupDir(t, 0)
	// Index-less directory, then one with an index listing the files.
	for _, withIndex := range []bool{false, true} {
		if withIndex {
			entries, err := binlog.DirFiles(dir)
			if err != nil {
				t.Fatal(err)
			}
			if err := binlog.WriteDirIndex(dir, entries, true); err != nil {
				t.Fatal(err)
			}
		}
		want := readAll(t, binlog.OpenFiles(recordedFull(t)...))
		for _, open := range []func() (*binlog.FileList, error){
			func() (*binlog.FileList, error) { return binlog.OpenDir(dir) },
			func() (*binlog.FileList, error) { return binlog.OpenFiles(dir), nil },
		} {
			l, err := open()
			if err != nil {
				t.Fatal(err)
			}
			got := readAll(t, l)
			l.Close()
			if len(got) != len(want) {
				t.Fatalf("index %v: %d events, want %d", withIndex, len(got), len(want))
			}
			for i := range got {
				if !bytes.Equal(got[i].raw, want[i].raw) || got[i].pos != want[i].pos || got[i].file != filepath.Base(want[i].file) {
					t.Fatalf("index %v: event %d at %s:%d differs from %s:%d", withIndex, i, got[i].file, got[i].pos, want[i].file, want[i].pos)
				}
			}
			if got[len(got)-1].file != names[3] {
				t.Errorf("last file %q, want %q", got[len(got)-1].file, names[3])
			}
		}
	}
}

func TestOpenDirIndexOrder(t *testing.T) {
	dir, names, _ := backupDir(t, 0)
	// An index listing the files in another order is followed; a file the
	// index does not list comes after the listed ones.
	entries := []binlog.DirEntry{
		{Name: names[2], Stored: names[2] + binlog.ZstdSuffix, Complete: true},
		{Name: names[0], Stored: names[0], Complete: true},
		{Name: names[3], Stored: names[3] + binlog.PartialSuffix},
	}
	if err := binlog.WriteDirIndex(dir, entries, false); err != nil {
		t.Fatal(err)
	}
	got, err := binlog.DirFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, e := range got {
		order = append(order, e.Name)
	}
	want := []string{names[2], names[0], names[3], names[1]}
	if fmt.Sprint(order) != fmt.Sprint(want) {
		t.Fatalf("order %v, want %v", order, want)
	}
}

func TestOpenDirPartialCut(t *testing.T) {
	// The .partial file cut inside an event: the stream ends cleanly at the
	// last whole event and Tail reports the cut.
	full := readAll(t, binlog.OpenFiles(recordedFull(t)...))
	var last []rawEvent
	for _, e := range full {
		if filepath.Base(e.file) == "mariadb-10_11-full.000004" {
			last = append(last, e)
		}
	}
	if len(last) < 3 {
		t.Fatalf("only %d events in the last file", len(last))
	}
	ev := last[len(last)-2]
	cut := int(ev.pos) + len(ev.raw)/2
	dir, names, _ := backupDir(t, cut)
	l, err := binlog.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	got := readAll(t, l)
	if n := len(full) - 2; len(got) != n {
		t.Fatalf("%d events, want %d", len(got), n)
	}
	file, off, n := l.Tail()
	if file != names[3] || off != ev.pos || n != cut-int(ev.pos) {
		t.Errorf("Tail = %s %d %d, want %s %d %d", file, off, n, names[3], ev.pos, cut-int(ev.pos))
	}

	// The same cut in a file that is not .partial is an error.
	os.Rename(filepath.Join(dir, names[3]+binlog.PartialSuffix), filepath.Join(dir, names[3]))
	l2, err := binlog.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	for {
		_, err := l2.ReadEvent(context.Background())
		if err == io.EOF {
			t.Fatal("a cut complete file ended cleanly")
		}
		if err != nil {
			if !errors.Is(err, binlog.ErrTruncated) {
				t.Fatalf("error %v, want ErrTruncated", err)
			}
			break
		}
	}
}

func TestOpenDirEmpty(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644)
	if _, err := binlog.OpenDir(dir); err == nil {
		t.Fatal("OpenDir of a directory without binlogs succeeded")
	}
	if _, err := binlog.OpenDir(filepath.Join(dir, "missing")); err == nil {
		t.Fatal("OpenDir of a missing directory succeeded")
	}
}

func TestSplitStoredName(t *testing.T) {
	for _, c := range []struct {
		in, name, suffix string
		ok               bool
	}{
		{"binlog.000001", "binlog.000001", "", true},
		{"binlog.000001.partial", "binlog.000001", ".partial", true},
		{"mysql-bin.000010.zst", "mysql-bin.000010", ".zst", true},
		{"mysql-bin.000010.lz4", "mysql-bin.000010", ".lz4", true},
		{"binlogbackup.index", "", "", false},
		{"binlogbackup.index.tmp", "", "", false},
		{".binlog.000001.zst.tmp", "", "", false},
		{"binlog.index", "", "", false},
	} {
		name, suffix, ok := binlog.SplitStoredName(c.in)
		if name != c.name || suffix != c.suffix || ok != c.ok {
			t.Errorf("SplitStoredName(%q) = %q %q %v, want %q %q %v", c.in, name, suffix, ok, c.name, c.suffix, c.ok)
		}
	}
}

func ExampleOpenDir() {
	// A backup directory as binlogbackup keeps it: completed files (plain or
	// compressed) and the file being written, with a .partial suffix.
	dir, err := os.MkdirTemp("", "backup")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "binlog.000001"), sampleBinlog(), 0o644)
	os.WriteFile(filepath.Join(dir, "binlog.000002.partial"), sampleBinlog(), 0o644)

	src, err := binlog.OpenDir(dir)
	if err != nil {
		log.Fatal(err)
	}
	defer src.Close()
	r := binlog.NewReader(src)
	for tx, err := range r.Transactions(context.Background()) {
		if err != nil {
			log.Fatal(err)
		}
		for range tx.Events() {
		}
		if tx.HasGTID {
			fmt.Println(tx.File, tx.Pos, tx.GTID)
		}
	}
	// Output:
	// binlog.000001 256 0-1-1
	// binlog.000001 410 0-1-2
	// binlog.000001 558 0-1-3
	// binlog.000002 256 0-1-1
	// binlog.000002 410 0-1-2
	// binlog.000002 558 0-1-3
}

// TestFileListRange: --start-file and --stop-file pick files of a list and
// of a backup directory by the names positions give them.
func TestFileListRange(t *testing.T) {
	dir, names, orig := backupDir(t, 0)
	files := recordedFull(t)
	for _, c := range []struct {
		name        string
		inputs      []string
		first, last string
		want        []string // names kept
		err         string
	}{
		{"a list", files, names[1], names[2], names[1:3], ""},
		{"a list, open end", files, names[2], "", names[2:], ""},
		{"a list, open start", files, "", names[0], names[:1], ""},
		{"a directory", []string{dir}, names[1], names[2], names[1:3], ""},
		{"a directory by its server names only", []string{dir}, names[3], "", names[3:], ""},
		{"no such file", []string{dir}, "mariadb-10_11-full.000009", "", nil,
			"binlog: no file mariadb-10_11-full.000009 among the inputs (" + names[0] + ", " + names[1] + ", " + names[2] + ", " + names[3] + ")"},
		{"stop before start", files, names[2], names[1], nil, "binlog: the stop file " + names[1] + " comes before the start file " + names[2]},
	} {
		l := binlog.OpenFiles(c.inputs...)
		got, err := l.Range(c.first, c.last)
		if c.err != "" {
			if err == nil || len(err.Error()) < len(c.err) || err.Error()[:len(c.err)] != c.err {
				t.Errorf("%s: %v, want %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var base []string
		for _, g := range got {
			base = append(base, filepath.Base(g))
		}
		if fmt.Sprint(base) != fmt.Sprint(c.want) {
			t.Errorf("%s: Range = %v, want %v", c.name, base, c.want)
		}
		// Only the kept files are read, each to its end.
		seen := map[string]int{}
		for _, e := range readAll(t, l) {
			seen[filepath.Base(e.file)] = max(seen[filepath.Base(e.file)], int(e.pos)+len(e.raw))
		}
		l.Close()
		if len(seen) != len(c.want) {
			t.Errorf("%s: read files %v, want %v", c.name, seen, c.want)
		}
		for _, w := range c.want {
			i := 0
			for i < len(names) && names[i] != w {
				i++
			}
			if seen[w] != len(orig[i]) {
				t.Errorf("%s: %s read to byte %d of %d", c.name, w, seen[w], len(orig[i]))
			}
		}
	}
}

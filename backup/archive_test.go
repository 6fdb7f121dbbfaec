package backup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

func TestLockNamesHolder(t *testing.T) {
	dir := t.TempDir()
	m, err := OpenMirror(dir, MirrorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = OpenMirror(dir, MirrorOptions{})
	var le *LockedError
	if !errors.As(err, &le) || !errors.Is(err, ErrLocked) || le.PID != os.Getpid() {
		t.Fatalf("second writer: %v, want a LockedError with PID %d", err, os.Getpid())
	}
	if !strings.Contains(err.Error(), fmt.Sprint(os.Getpid())) {
		t.Errorf("message %q does not name the PID", err)
	}
	m.Close()
	m, err = OpenMirror(dir, MirrorOptions{})
	if err != nil {
		t.Fatalf("after Close: %v", err)
	}
	m.Close()
}

// TestMirrorEncryptedResume stops an encrypting mirror inside a file and
// opens the archive again: with the identity the encrypted partial file is
// read back and continued; without, the file is copied again from its
// start. Both end byte-identical.
func TestMirrorEncryptedResume(t *testing.T) {
	files := loadRecorded(t)
	rec := []age.Recipient{testIdentity.Recipient()}
	for _, withID := range []bool{true, false} {
		t.Run(fmt.Sprint("identity=", withID), func(t *testing.T) {
			dir := t.TempDir()
			m, err := OpenMirror(dir, MirrorOptions{Compression: Zstd, Recipients: rec})
			if err != nil {
				t.Fatal(err)
			}
			stream := serverStream(files, 0, 4)
			stop := 1 + len(files[0].events) + 1 + 9
			feed(t, m, stream[:stop])
			m.Close()
			if _, err := os.Stat(filepath.Join(dir, files[1].name+PartialSuffix+AgeSuffix)); err != nil {
				t.Fatal(err)
			}
			if plain, _ := filepath.Glob(filepath.Join(dir, "*.partial")); len(plain) > 0 {
				t.Fatalf("plaintext partial files: %v", plain)
			}
			opts := MirrorOptions{Compression: Zstd, Recipients: rec}
			if withID {
				opts.Identities = []age.Identity{testIdentity}
			}
			m, err = OpenMirror(dir, opts)
			if err != nil {
				t.Fatal(err)
			}
			name, pos, _ := m.ResumePoint()
			if name != files[1].name || withID == (pos == 4) {
				t.Fatalf("resume point %s:%d (identity %v)", name, pos, withID)
			}
			feed(t, m, serverStream(files, 1, pos))
			if err := m.Close(); err != nil {
				t.Fatal(err)
			}
			checkDir(t, dir, files, false)
		})
	}
}

// TestRetention removes files by count and by age, oldest first, never the
// last one, records each removal in the index, and the archive still reads
// and verifies.
func TestRetention(t *testing.T) {
	files := loadRecorded(t)
	// The recorded files' last events are all within a few seconds; the
	// clock is set relative to them.
	last := make([]time.Time, len(files))
	for i, f := range files {
		_, _, _, last[i] = describe(t, f)
	}
	for _, c := range []struct {
		name string
		r    Retention
		now  time.Time
		want int // files removed
	}{
		{"files 2", Retention{Files: 2}, last[3], 2},
		{"files 10", Retention{Files: 10}, last[3], 0},
		{"days 1, all old", Retention{MaxAge: 24 * time.Hour}, last[3].Add(48 * time.Hour), 3},
		{"days 1, recent", Retention{MaxAge: 24 * time.Hour}, last[3].Add(time.Hour), 0},
		{"both: the count keeps more", Retention{MaxAge: 24 * time.Hour, Files: 3}, last[3].Add(48 * time.Hour), 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			m, err := OpenMirror(dir, MirrorOptions{Compression: Lz4, Retention: c.r})
			if err != nil {
				t.Fatal(err)
			}
			m.now = func() time.Time { return c.now }
			feed(t, m, serverStream(files, 0, 4))
			if err := m.Close(); err != nil {
				t.Fatal(err)
			}
			idx, _ := ReadIndex(dir)
			removed := 0
			for i, e := range idx {
				_, err := os.Stat(filepath.Join(dir, e.Stored))
				if e.Deleted != nil {
					removed++
					if i >= c.want || err == nil || e.Deleted.Reason == "" {
						t.Errorf("%s: deleted %+v, file present %v", e.Name, e.Deleted, err == nil)
					}
				} else if err != nil {
					t.Errorf("%s: %v", e.Name, err)
				}
			}
			if removed != c.want || m.Stats().FilesDeleted != c.want {
				t.Fatalf("removed %d files (stats %d), want %d", removed, m.Stats().FilesDeleted, c.want)
			}
			src, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for {
				_, err := src.ReadEvent(context.Background())
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				n++
			}
			src.Close()
			want := 0
			for _, f := range files[c.want:] {
				want += len(f.events)
			}
			if n != want {
				t.Fatalf("read %d events back, want %d", n, want)
			}
			if rep := verifyDir(t, dir); !rep.OK() {
				t.Fatalf("Verify after retention: %v", rep.Problems)
			} else if c.want > 0 {
				t.Logf("notes: %v", rep.Notes)
			}
		})
	}
}

// TestMirrorGap: a stream that jumps over files is refused unless a gap is
// expected; then the current file is completed, the gap recorded on the
// next one, reading stops there with ErrGap and Verify notes it.
func TestMirrorGap(t *testing.T) {
	files := loadRecorded(t)
	dir := t.TempDir()
	m, err := OpenMirror(dir, MirrorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	stream := serverStream(files, 0, 4)
	stop := 1 + len(files[0].events) + 1 + 9 // inside file 2
	feed(t, m, stream[:stop])
	name, pos, _ := m.ResumePoint()
	if err := m.Write(artificialRotate(files[3].name, 4)); !errors.Is(err, ErrMismatch) {
		t.Fatalf("a jump to %s: %v, want ErrMismatch", files[3].name, err)
	}
	m.ExpectGap(Gap{After: name, Pos: pos, Missing: describeMissing(name, pos, files[3].name)})
	feed(t, m, serverStream(files, 3, 4))
	m.Close()
	idx, _ := ReadIndex(dir)
	if len(idx) != 3 || idx[2].Gap == nil || !idx[1].Complete {
		t.Fatalf("index %+v", idx)
	}
	t.Logf("gap: %+v", *idx[2].Gap)
	if want := fmt.Sprintf("%s from byte %d, %s", files[1].name, idx[1].Size, files[2].name); idx[2].Gap.Missing != want {
		t.Errorf("missing %q, want %q", idx[2].Gap.Missing, want)
	}
	src, _ := Open(dir)
	defer src.Close()
	for {
		_, err := src.ReadEvent(context.Background())
		if err == nil {
			continue
		}
		if !errors.Is(err, ErrGap) || !strings.Contains(err.Error(), files[2].name) {
			t.Fatalf("reading across the gap: %v", err)
		}
		break
	}
	rep := verifyDir(t, dir)
	if !rep.OK() || len(rep.Notes) == 0 {
		t.Fatalf("Verify: problems %v notes %v", rep.Problems, rep.Notes)
	}
	t.Logf("verify notes: %v", rep.Notes)
}

func TestDescribeMissing(t *testing.T) {
	for _, c := range []struct {
		file string
		pos  uint64
		next string
		want string
	}{
		{"b.000005", 1234, "b.000006", "b.000005 from byte 1234"},
		{"b.000005", 1234, "b.000007", "b.000005 from byte 1234, b.000006"},
		{"b.000005", 4, "b.000009", "b.000005, b.000006 to b.000008"},
	} {
		if got := describeMissing(c.file, c.pos, c.next); got != c.want {
			t.Errorf("describeMissing(%s, %d, %s) = %q, want %q", c.file, c.pos, c.next, got, c.want)
		}
	}
}

// TestSourceIndexOrderAndPartial: Files follows the index and lists files it
// does not know after; a .partial file cut inside an event ends the stream
// cleanly, Tail says where; a complete file cut so is an error.
func TestSourceIndexOrderAndPartial(t *testing.T) {
	files := loadRecorded(t)
	dir := t.TempDir()
	for i, f := range files {
		stored := f.name
		data := f.data
		if i == 3 {
			stored += PartialSuffix
			k := len(f.offs) - 2
			data = data[:f.offs[k]+uint64(len(f.events[k]))/2]
		}
		os.WriteFile(filepath.Join(dir, stored), data, 0o644)
	}
	es, err := Files(dir)
	if err != nil || len(es) != 4 || es[3].Complete {
		t.Fatalf("Files: %+v %v", es, err)
	}
	writeIndex(dir, []Entry{es[2], es[0]}, false)
	es, _ = Files(dir)
	var order []string
	for _, e := range es {
		order = append(order, e.Name)
	}
	if want := []string{files[2].name, files[0].name, files[1].name, files[3].name}; fmt.Sprint(order) != fmt.Sprint(want) {
		t.Fatalf("order %v, want %v", order, want)
	}
	os.Remove(filepath.Join(dir, IndexName))
	src, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		_, err := src.ReadEvent(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	want := len(files[0].events) + len(files[1].events) + len(files[2].events) + len(files[3].events) - 2
	file, off, cut := src.Tail()
	if n != want || file != files[3].name || off != files[3].offs[len(files[3].offs)-2] || cut == 0 {
		t.Fatalf("%d events, Tail %s %d %d; want %d events and the cut last event", n, file, off, cut, want)
	}
	src.Close()
	// The same cut in a complete file is an error.
	os.Rename(filepath.Join(dir, files[3].name+PartialSuffix), filepath.Join(dir, files[3].name))
	src, _ = Open(dir)
	defer src.Close()
	for {
		_, err := src.ReadEvent(context.Background())
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
	if _, err := Open(t.TempDir()); err == nil {
		t.Fatal("Open of a directory without binlogs succeeded")
	}
}

func TestParseStored(t *testing.T) {
	for _, c := range []struct {
		in   string
		want storedName
		ok   bool
	}{
		{"binlog.000001", storedName{name: "binlog.000001"}, true},
		{"binlog.000001.partial", storedName{name: "binlog.000001", partial: true}, true},
		{"binlog.000001.partial.age", storedName{name: "binlog.000001", partial: true, encrypted: true}, true},
		{"mysql-bin.000010.zst.age", storedName{name: "mysql-bin.000010", comp: Zstd, encrypted: true}, true},
		{"mysql-bin.000010.lz4", storedName{name: "mysql-bin.000010", comp: Lz4}, true},
		{"mysql-bin.000010.gz", storedName{name: "mysql-bin.000010", comp: Gzip}, true},
		{IndexName, storedName{}, false},
		{LockName, storedName{}, false},
		{".binlog.000001.zst.tmp", storedName{}, false},
		{"binlog.index", storedName{}, false},
	} {
		got, ok := parseStored(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("parseStored(%q) = %+v %v, want %+v %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// TestStandardTools: the stored files are what Debian's zstd, lz4, gzip
// and age commands read: decompressed and decrypted by them, each gives the
// server's file byte for byte.
func TestStandardTools(t *testing.T) {
	files := loadRecorded(t)
	key := filepath.Join(t.TempDir(), "key.txt")
	if err := os.WriteFile(key, []byte(testIdentity.String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, v := range []archiveVariant{{"zstd", Zstd, false}, {"lz4", Lz4, false}, {"gzip", Gzip, false}, {"zstd+age", Zstd, true}, {"age", None, true}} {
		t.Run(v.name, func(t *testing.T) {
			var cmds [][]string
			if v.encrypt {
				cmds = append(cmds, []string{"age", "-d", "-i", key})
			}
			switch v.comp {
			case Zstd:
				cmds = append(cmds, []string{"zstd", "-d", "-c"})
			case Lz4:
				cmds = append(cmds, []string{"lz4", "-d", "-c"})
			case Gzip:
				cmds = append(cmds, []string{"gzip", "-d", "-c"})
			}
			for _, c := range cmds {
				if _, err := exec.LookPath(c[0]); err != nil {
					t.Skipf("%s is not installed (apt-get install %s): the interoperability test skips", c[0], c[0])
				}
			}
			dir := makeArchive(t, files, v, false)
			total := 0
			for i, f := range files {
				es, _ := Files(dir)
				data, err := os.ReadFile(filepath.Join(dir, es[i].Stored))
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range cmds {
					cmd := exec.Command(c[0], c[1:]...)
					cmd.Stdin = bytes.NewReader(data)
					var stderr bytes.Buffer
					cmd.Stderr = &stderr
					if data, err = cmd.Output(); err != nil {
						t.Fatalf("%s < %s: %v: %s", strings.Join(c, " "), es[i].Stored, err, stderr.String())
					}
				}
				if !bytes.Equal(data, f.data) {
					t.Fatalf("%s through %v: %d bytes differ from the server's %d at byte %d", es[i].Stored, cmds, len(data), len(f.data), firstDiff(data, f.data))
				}
				total += len(data)
			}
			t.Logf("%d files, %d bytes identical through %v", len(files), total, cmds)
		})
	}
	// And age files written by the age command are read by Open.
	if _, err := exec.LookPath("age"); err == nil {
		dir := t.TempDir()
		cmd := exec.Command("age", "-r", testIdentity.Recipient().String(), "-o", filepath.Join(dir, "binlog.000001.age"))
		cmd.Stdin = bytes.NewReader(files[0].data)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("age -r: %v: %s", err, out)
		}
		src, err := Open(dir, testIdentity)
		if err != nil {
			t.Fatal(err)
		}
		defer src.Close()
		for j, want := range files[0].events {
			got, err := src.ReadEvent(context.Background())
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("event %d of the age command's file: %v", j, err)
			}
		}
	}
}

// ExampleOpen reads an archive back as if it were the server.
func ExampleOpen() {
	dir, err := os.MkdirTemp("", "archive")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	data, err := os.ReadFile("../testdata/recorded/mariadb-10_11-full.000001")
	if err != nil {
		panic(err)
	}
	os.WriteFile(filepath.Join(dir, "mariadb-10_11-full.000001"), data, 0o644)

	src, err := Open(dir) // Open(dir, identities...) for an encrypted archive
	if err != nil {
		panic(err)
	}
	defer src.Close()
	r := binlog.NewReader(src)
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			panic(err)
		}
		if ev.Header.Type == event.RotateEvent {
			fmt.Println(ev.File, ev.Pos, "ROTATE")
		}
	}
	// Output:
	// mariadb-10_11-full.000001 69838 ROTATE
}

// TestBehind: the bytes the server holds past the archive's end, and since
// when the oldest of them is there, from the polls of its binlog list.
func TestBehind(t *testing.T) {
	b := &Backup{}
	if _, _, ok := b.Behind(); ok {
		t.Fatal("known before any poll")
	}
	now := time.Now()
	b.status.File, b.status.Pos = "b.000002", 100
	b.status.ServerFiles = []ServerFile{{"b.000001", 500}, {"b.000002", 300}, {"b.000003", 50}}
	b.seen = []seenPos{{now.Add(-30 * time.Second), "b.000002", 100}, {now.Add(-20 * time.Second), "b.000002", 300}, {now.Add(-10 * time.Second), "b.000003", 50}}
	bytes, secs, ok := b.Behind()
	if !ok || bytes != 250 || secs < 19.5 || secs > 21 {
		t.Fatalf("Behind = %d bytes, %.1f s, %v; want 250 bytes, 20 s", bytes, secs, ok)
	}
	b.status.File, b.status.Pos = "b.000003", 50
	if bytes, secs, _ := b.Behind(); bytes != 0 || secs != 0 {
		t.Fatalf("caught up: %d bytes, %.1f s", bytes, secs)
	}
}

// TestWriteMetrics: the Prometheus text names every metric once with its
// HELP and TYPE.
func TestWriteMetrics(t *testing.T) {
	dir := t.TempDir()
	b, err := New(dir, Config{DSN: "root@tcp(127.0.0.1:1)/"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var out bytes.Buffer
	if err := b.WriteMetrics(&out); err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"binlogbackup_up 0", "binlogbackup_files_stored 0", "binlogbackup_reconnects_total 0", "binlogbackup_errors_total 0",
		"binlogbackup_last_verified_timestamp_seconds 0", `binlogbackup_current_file_info{file=""} 1`, "# TYPE binlogbackup_bytes_written_total counter"} {
		if !strings.Contains(out.String(), m+"\n") {
			t.Errorf("metrics lack %q:\n%s", m, out.String())
		}
	}
}

// TestSourceRange: --start-file and --stop-file pick an archive's files by
// the server's names.
func TestSourceRange(t *testing.T) {
	files := loadRecorded(t)
	dir := makeArchive(t, files, archiveVariants[1], false)
	for _, c := range []struct {
		first, last string
		want        int // files kept, from the first
		from        int
		err         string
	}{
		{files[1].name, files[2].name, 2, 1, ""},
		{files[3].name, "", 1, 3, ""},
		{"", files[0].name, 1, 0, ""},
		{"binlog.000009", "", 0, 0, "backup: no file binlog.000009 in the archive"},
		{files[2].name, files[1].name, 0, 0, "backup: the stop file"},
	} {
		src, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		names, err := src.Range(c.first, c.last)
		if c.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), c.err) {
				t.Errorf("Range(%q, %q): %v, want %q", c.first, c.last, err, c.err)
			}
			src.Close()
			continue
		}
		if err != nil || len(names) != c.want || names[0] != files[c.from].name {
			t.Fatalf("Range(%q, %q) = %v, %v", c.first, c.last, names, err)
		}
		n := 0
		for {
			_, err := src.ReadEvent(context.Background())
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		src.Close()
		want := 0
		for _, f := range files[c.from : c.from+c.want] {
			want += len(f.events)
		}
		if n != want {
			t.Errorf("Range(%q, %q): %d events, want %d", c.first, c.last, n, want)
		}
	}
}

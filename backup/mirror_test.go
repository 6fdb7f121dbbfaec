package backup

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/event"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

// recFile is one recorded binlog file, split into its events.
type recFile struct {
	name   string
	data   []byte
	events [][]byte // raw events in order
	offs   []uint64 // offset of each event
	bounds map[uint64]bool
}

func loadRecorded(t testing.TB) []recFile {
	t.Helper()
	var out []recFile
	for i := 1; i <= 4; i++ {
		p := fmt.Sprintf("../testdata/recorded/mariadb-10_11-full.%06d", i)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rf := recFile{name: filepath.Base(p), data: data, bounds: map[uint64]bool{}}
		src, err := binlog.OpenFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for {
			b, err := src.ReadEvent(context.Background())
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			_, off := src.Position()
			rf.events = append(rf.events, bytes.Clone(b))
			rf.offs = append(rf.offs, off)
		}
		src.Close()
		// Transaction boundaries, as the library's Reader sees them.
		src, _ = binlog.OpenFile(p)
		r := binlog.NewReader(src)
		for tx, err := range r.Transactions(context.Background()) {
			if err != nil {
				t.Fatal(err)
			}
			for range tx.Events() {
			}
			if tx.Complete {
				rf.bounds[tx.EndPos] = true
			}
		}
		src.Close()
		out = append(out, rf)
	}
	return out
}

// artificialRotate builds the ROTATE a server sends at the start of a dump.
func artificialRotate(name string, pos uint64) []byte {
	size := event.HeaderLen + 8 + len(name) + event.ChecksumLen
	h := event.Header{Type: event.RotateEvent, ServerID: 1, EventSize: uint32(size), Flags: event.FlagArtificial}
	b := h.Append(nil)
	b = binary.LittleEndian.AppendUint64(b, pos)
	b = append(b, name...)
	return binary.LittleEndian.AppendUint32(b, event.Checksum(b))
}

// resentFDE is the file's FORMAT_DESCRIPTION as a server re-sends it when a
// dump starts inside the file: log_pos and the creation time zeroed, the
// in-use flag cleared, the checksum recomputed.
func resentFDE(fde []byte) []byte {
	b := bytes.Clone(fde)
	binary.LittleEndian.PutUint32(b[13:], 0)
	b[17] &^= byte(event.FlagBinlogInUse)
	binary.LittleEndian.PutUint32(b[event.HeaderLen+2+50:], 0)
	n := len(b) - event.ChecksumLen
	binary.LittleEndian.PutUint32(b[n:], event.Checksum(b[:n]))
	return b
}

// serverStream is what a server sends for a dump starting at file from,
// position pos: an artificial ROTATE, the FDE again when pos > 4, the events
// from pos, and an artificial ROTATE before each next file.
func serverStream(files []recFile, from int, pos uint64) [][]byte {
	var out [][]byte
	for i := from; i < len(files); i++ {
		f := files[i]
		p := uint64(event.MagicLen)
		if i == from {
			p = pos
		}
		out = append(out, artificialRotate(f.name, p))
		if p > event.MagicLen {
			out = append(out, resentFDE(f.events[0]))
		}
		for j, ev := range f.events {
			if f.offs[j] >= p {
				out = append(out, ev)
			}
		}
	}
	return out
}

func feed(t *testing.T, m *Mirror, evs [][]byte) {
	t.Helper()
	for i, ev := range evs {
		if err := m.Write(ev); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
}

// checkDir asserts that dir holds files byte-identical to want (decompressed
// where stored compressed) and that the index describes them.
func checkDir(t *testing.T, dir string, want []recFile, lastPartial bool) {
	t.Helper()
	entries, err := ReadIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(want) {
		t.Fatalf("index lists %d files, want %d", len(entries), len(want))
	}
	for i, w := range want {
		e := entries[i]
		got := readStored(t, filepath.Join(dir, e.Stored))
		partial := lastPartial && i == len(want)-1
		if partial && len(got) > 21 && len(w.data) > 21 {
			// The open file carries the in-use flag, as the server's does.
			if got[21]&1 == 0 {
				t.Errorf("%s: the open file's FDE lacks the in-use flag", e.Stored)
			}
			got = bytes.Clone(got)
			got[21] = w.data[21]
		}
		if !bytes.Equal(got, w.data) {
			t.Fatalf("%s: %d bytes differ from the original's %d (first difference at %d)", e.Stored, len(got), len(w.data), firstDiff(got, w.data))
		}
		if e.Name != w.name || e.Size != uint64(len(w.data)) || e.Complete == partial || e.Events != uint64(len(w.events)) {
			t.Errorf("index entry %+v; want name %s size %d complete %v events %d", e, w.name, len(w.data), !partial, len(w.events))
		}
		first, last, t0, t1 := describe(t, w)
		if e.FirstGTID != first || e.LastGTID != last || !e.FirstTime.Equal(t0) || !e.LastTime.Equal(t1) {
			t.Errorf("index entry %s: GTIDs %q..%q times %v..%v; want %q..%q %v..%v", e.Name, e.FirstGTID, e.LastGTID, e.FirstTime, e.LastTime, first, last, t0, t1)
		}
	}
}

// describe computes a file's first and last GTIDs and timestamps with the
// library's Reader.
func describe(t *testing.T, f recFile) (first, last string, t0, t1 time.Time) {
	r := binlog.NewReader(binlog.NewStreamSource(bytes.NewReader(f.data), f.name))
	for {
		ev, err := r.Next(context.Background())
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if g, ok := binlog.GTIDFromEvent(ev.Body, ev.Header.ServerID); ok {
			if first == "" {
				first = g.String()
			}
			last = g.String()
		}
		ts := time.Unix(int64(ev.Header.Timestamp), 0).UTC()
		if t0.IsZero() {
			t0 = ts
		}
		t1 = ts
	}
}

// testIdentity is the age identity the tests encrypt to.
var testIdentity = func() *age.X25519Identity {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		panic(err)
	}
	return id
}()

// readStored returns the binlog bytes of a stored file, decrypting and
// decompressing it with the tools' formats.
func readStored(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(path, AgeSuffix) {
		r, err := age.Decrypt(bytes.NewReader(data), testIdentity)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if data, err = io.ReadAll(r); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		path = strings.TrimSuffix(path, AgeSuffix)
	}
	switch filepath.Ext(path) {
	case ".lz4":
		out, err := io.ReadAll(lz4.NewReader(bytes.NewReader(data)))
		if err != nil {
			t.Fatal(err)
		}
		return out
	case ".zst":
		d, _ := zstd.NewReader(nil)
		defer d.Close()
		out, err := d.DecodeAll(data, nil)
		if err != nil {
			t.Fatal(err)
		}
		return out
	case ".gz":
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		out, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	return data
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func TestMirrorByteIdentical(t *testing.T) {
	files := loadRecorded(t)
	for _, c := range []struct {
		comp    Compression
		encrypt bool
	}{{None, false}, {Lz4, false}, {Zstd, false}, {Gzip, false}, {None, true}, {Zstd, true}} {
		name := string(c.comp)
		if name == "" {
			name = "none"
		}
		if c.encrypt {
			name += "+age"
		}
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			opts := MirrorOptions{Compression: c.comp, Fsync: c.comp == Zstd}
			if c.encrypt {
				opts.Recipients = []age.Recipient{testIdentity.Recipient()}
			}
			m, err := OpenMirror(dir, opts)
			if err != nil {
				t.Fatal(err)
			}
			feed(t, m, serverStream(files, 0, 4))
			if err := m.Close(); err != nil {
				t.Fatal(err)
			}
			// The last recorded file ends with the server's STOP: complete.
			checkDir(t, dir, files, false)
			des, _ := os.ReadDir(dir)
			for _, de := range des {
				s, ok := parseStored(de.Name())
				if !ok {
					if de.Name() != IndexName && de.Name() != LockName {
						t.Errorf("stray file %s", de.Name())
					}
					continue
				}
				if s.comp != c.comp || s.encrypted != c.encrypt || s.partial {
					t.Errorf("%s stored as %+v, want compression %q, encrypted %v", de.Name(), s, c.comp, c.encrypt)
				}
			}
			// Read back through Open: the events of the originals, with the
			// server's file names.
			var ids []age.Identity
			if c.encrypt {
				if _, err := Open(dir); err != nil {
					t.Fatal(err)
				}
				l, _ := Open(dir)
				if _, err := l.ReadEvent(context.Background()); !errors.Is(err, ErrNoIdentity) {
					t.Fatalf("reading an encrypted archive without identity: %v, want ErrNoIdentity", err)
				}
				ids = []age.Identity{testIdentity}
			}
			l, err := Open(dir, ids...)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			for _, f := range files {
				for j, want := range f.events {
					got, err := l.ReadEvent(context.Background())
					if err != nil {
						t.Fatal(err)
					}
					name, off := l.Position()
					if !bytes.Equal(got, want) || name != f.name || off != f.offs[j] {
						t.Fatalf("Open event at %s:%d differs from %s:%d", name, off, f.name, f.offs[j])
					}
				}
			}
			if _, err := l.ReadEvent(context.Background()); err != io.EOF {
				t.Fatalf("after the last event: %v, want EOF", err)
			}
			// Verify finds nothing wrong.
			rep, err := Verify(context.Background(), dir, VerifyOptions{Identities: ids})
			if err != nil {
				t.Fatal(err)
			}
			if !rep.OK() || len(rep.Files) != len(files) {
				t.Fatalf("Verify: %d files, problems %v", len(rep.Files), rep.Problems)
			}
		})
	}
}

// TestMirrorResume stops the mirror inside a file, cuts the .partial file at
// a random byte (often inside an event), reopens the directory and resumes
// from where the mirror asks the server to start: the result is
// byte-identical to the originals.
func TestMirrorResume(t *testing.T) {
	files := loadRecorded(t)
	rng := rand.New(rand.NewPCG(6, 1))
	for round := range 40 {
		fi := rng.IntN(len(files))
		f := files[fi]
		upTo := 1 + rng.IntN(len(f.events)-1) // events of file fi written before the stop
		dir := t.TempDir()
		m, err := OpenMirror(dir, MirrorOptions{Compression: []Compression{None, Lz4, Zstd}[round%3]})
		if err != nil {
			t.Fatal(err)
		}
		stream := serverStream(files, 0, 4)
		n := 0
		for i := range fi {
			n += 1 + len(files[i].events)
		}
		feed(t, m, stream[:n+1+upTo])
		if err := m.Close(); err != nil {
			t.Fatal(err)
		}
		partial := filepath.Join(dir, f.name+PartialSuffix)
		fiSize := f.offs[upTo-1] + uint64(len(f.events[upTo-1]))
		st, err := os.Stat(partial)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if uint64(st.Size()) != fiSize {
			t.Fatalf("round %d: partial file of %d bytes, %d written", round, st.Size(), fiSize)
		}
		cut := int64(rng.Uint64N(fiSize + 1))
		if err := os.Truncate(partial, cut); err != nil {
			t.Fatal(err)
		}

		m, err = OpenMirror(dir, MirrorOptions{Compression: []Compression{None, Lz4, Zstd}[round%3]})
		if err != nil {
			t.Fatalf("round %d: reopening after a cut at %d: %v", round, cut, err)
		}
		name, pos, ok := m.ResumePoint()
		if !ok || name != f.name {
			t.Fatalf("round %d: resume point %s:%d %v, want file %s", round, name, pos, ok, f.name)
		}
		if int64(pos) > cut && pos > 4 {
			t.Fatalf("round %d: resume at %d after the cut at %d", round, pos, cut)
		}
		if pos != 4 && !f.bounds[pos] {
			t.Fatalf("round %d: resume at %d, not a transaction boundary (cut at %d)", round, pos, cut)
		}
		feed(t, m, serverStream(files, fi, pos))
		if err := m.Close(); err != nil {
			t.Fatal(err)
		}
		checkDir(t, dir, files, false)
	}
}

// TestMirrorReconnect: a reconnect re-delivers an interrupted transaction
// from its start (an artificial ROTATE naming the last boundary, the FDE
// again); the file is cut back and continues identically.
func TestMirrorReconnect(t *testing.T) {
	files := loadRecorded(t)
	f := files[1]
	// Find a transaction of several events and stop in its middle.
	var start, mid int
	for j := 1; j < len(f.events)-3; j++ {
		if f.bounds[f.offs[j]] && !f.bounds[f.offs[j+2]] {
			start, mid = j, j+2
			break
		}
	}
	if mid == 0 {
		t.Fatal("no multi-event transaction in the recorded file")
	}
	for _, back := range []uint64{f.offs[start], 4} {
		dir := t.TempDir()
		m, err := OpenMirror(dir, MirrorOptions{})
		if err != nil {
			t.Fatal(err)
		}
		stream := serverStream(files, 0, 4)
		n := 1 + len(files[0].events) + 1 + mid
		feed(t, m, stream[:n])
		feed(t, m, serverStream(files, 1, back))
		m.Close()
		checkDir(t, dir, files, false)
	}

	// A re-sent event that differs from the stored one is refused.
	dir := t.TempDir()
	m, _ := OpenMirror(dir, MirrorOptions{})
	feed(t, m, serverStream(files, 0, 4)[:1+len(files[0].events)+1+mid])
	feed(t, m, [][]byte{artificialRotate(f.name, f.offs[start])})
	bad := bytes.Clone(f.events[start])
	bad[len(bad)-5] ^= 1
	n := len(bad) - 4
	binary.LittleEndian.PutUint32(bad[n:], event.Checksum(bad[:n]))
	if err := m.Write(bad); !errors.Is(err, ErrMismatch) {
		t.Fatalf("a different re-sent event: %v, want ErrMismatch", err)
	}
	m.Close()
}

func TestMirrorRefusesCorruptEvent(t *testing.T) {
	files := loadRecorded(t)
	f := files[0]
	dir := t.TempDir()
	m, err := OpenMirror(dir, MirrorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	feed(t, m, [][]byte{artificialRotate(f.name, 4)})
	k := len(f.events) / 2
	feed(t, m, f.events[:k])
	bad := bytes.Clone(f.events[k])
	bad[len(bad)/2] ^= 0x40
	err = m.Write(bad)
	if !errors.Is(err, binlog.ErrChecksum) {
		t.Fatalf("corrupt event: %v, want ErrChecksum", err)
	}
	m.Close()
	data, _ := os.ReadFile(filepath.Join(dir, f.name+PartialSuffix))
	if uint64(len(data)) != f.offs[k] {
		t.Fatalf("partial file of %d bytes after the refused event at %d", len(data), f.offs[k])
	}

	// A missing event (a gap in the stream) is refused too.
	dir = t.TempDir()
	m, _ = OpenMirror(dir, MirrorOptions{})
	feed(t, m, [][]byte{artificialRotate(f.name, 4)})
	feed(t, m, f.events[:k])
	if err := m.Write(f.events[k+1]); !errors.Is(err, ErrMismatch) {
		t.Fatalf("gap: %v, want ErrMismatch", err)
	}
	// An event of another file's content claiming to resume elsewhere.
	if err := m.Write(artificialRotate(f.name, f.offs[k]+7)); !errors.Is(err, ErrMismatch) {
		t.Fatalf("resume past the end: %v, want ErrMismatch", err)
	}
	m.Close()
}

// TestMirrorCrashedFile: a file that ends without ROTATE or STOP (the
// server crashed) is completed when the stream moves to the next file, and
// keeps the in-use flag the server's copy keeps.
func TestMirrorCrashedFile(t *testing.T) {
	files := loadRecorded(t)
	f := files[1]
	// The events up to the last boundary before the final ROTATE.
	k := len(f.events) - 1
	dir := t.TempDir()
	m, _ := OpenMirror(dir, MirrorOptions{})
	feed(t, m, [][]byte{artificialRotate(f.name, 4)})
	feed(t, m, f.events[:k])
	feed(t, m, serverStream(files, 2, 4))
	m.Close()
	got, err := os.ReadFile(filepath.Join(dir, f.name))
	if err != nil {
		t.Fatal(err)
	}
	want := bytes.Clone(f.data[:f.offs[k]])
	want[21] |= byte(event.FlagBinlogInUse)
	if !bytes.Equal(got, want) {
		t.Fatalf("crashed file differs at %d", firstDiff(got, want))
	}
	// It reads back with valid checksums (the FDE's CRC ignores the flag).
	l, _ := Open(dir)
	defer l.Close()
	r := binlog.NewReader(l)
	for {
		_, err := r.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// splitEvents splits a binlog file's bytes into its events.
func splitEvents(t *testing.T, data []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for off := event.MagicLen; off < len(data); {
		h, err := event.ParseHeader(data[off:])
		if err != nil || off+int(h.EventSize) > len(data) {
			t.Fatalf("event at %d: %v", off, err)
		}
		out = append(out, data[off:off+int(h.EventSize)])
		off += int(h.EventSize)
	}
	return out
}

// TestMirrorCrashedFileMySQL: MySQL's crash recovery clears the in-use flag
// of the file the crash interrupted, so the copy of a MySQL file that ended
// without ROTATE or STOP is completed without it, byte-identical to the
// server's file after the restart.
func TestMirrorCrashedFileMySQL(t *testing.T) {
	crashed, err := binlogtest.NewStream(event.MySQL).DDL("d", "CREATE TABLE t (id INT)").
		Begin().Query("d", "INSERT INTO t VALUES (1)").XID().Bytes()
	if err != nil {
		t.Fatal(err)
	}
	next, err := binlogtest.NewStream(event.MySQL).DDL("d", "DROP TABLE t").Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if crashed[21]&byte(event.FlagBinlogInUse) != 0 {
		t.Fatal("the fabricated file already has the in-use flag")
	}
	dir := t.TempDir()
	m, _ := OpenMirror(dir, MirrorOptions{})
	feed(t, m, [][]byte{artificialRotate("binlog.000001", 4)})
	feed(t, m, splitEvents(t, crashed))
	partial, _ := os.ReadFile(filepath.Join(dir, "binlog.000001"+PartialSuffix))
	if len(partial) != len(crashed) || partial[21]&byte(event.FlagBinlogInUse) == 0 {
		t.Fatalf("the open copy (%d bytes, FDE flags 0x%02x) lacks the in-use flag", len(partial), partial[21])
	}
	// The server restarts (recovery runs) and opens the next file.
	feed(t, m, [][]byte{artificialRotate("binlog.000002", 4)})
	feed(t, m, splitEvents(t, next))
	m.Close()
	got, err := os.ReadFile(filepath.Join(dir, "binlog.000001"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, crashed) {
		t.Fatalf("crashed MySQL file differs at byte %d (FDE flags 0x%02x)", firstDiff(got, crashed), got[21])
	}
}

// TestMirrorResentFDEMismatch: a server whose file of the same name differs
// (a reset binlog) is refused.
func TestMirrorResentFDEMismatch(t *testing.T) {
	files := loadRecorded(t)
	f := files[0]
	dir := t.TempDir()
	m, _ := OpenMirror(dir, MirrorOptions{})
	feed(t, m, [][]byte{artificialRotate(f.name, 4)})
	feed(t, m, f.events[:5])
	m.Close()
	m, err := OpenMirror(dir, MirrorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, pos, _ := m.ResumePoint()
	fde := resentFDE(f.events[0])
	fde[event.HeaderLen+3] ^= 1 // another server version
	n := len(fde) - 4
	binary.LittleEndian.PutUint32(fde[n:], event.Checksum(fde[:n]))
	feed(t, m, [][]byte{artificialRotate(f.name, pos)})
	if err := m.Write(fde); !errors.Is(err, ErrMismatch) {
		t.Fatalf("different FDE: %v, want ErrMismatch", err)
	}
	m.Close()
}

// TestMirrorResumeAfterCompleteFile: a directory whose last file is
// complete resumes at that file's end; a server re-sending a completed file
// (a GTID resume landing in it) has its events skipped.
func TestMirrorResumeAfterCompleteFile(t *testing.T) {
	files := loadRecorded(t)
	dir := t.TempDir()
	m, _ := OpenMirror(dir, MirrorOptions{Compression: Lz4})
	feed(t, m, serverStream(files, 0, 4))
	m.Close()
	m, err := OpenMirror(dir, MirrorOptions{Compression: Lz4})
	if err != nil {
		t.Fatal(err)
	}
	name, pos, ok := m.ResumePoint()
	if last := files[3]; !ok || name != last.name || pos != uint64(len(last.data)) {
		t.Fatalf("resume point %s:%d, want %s:%d", name, pos, last.name, len(last.data))
	}
	feed(t, m, serverStream(files, 3, pos))
	feed(t, m, serverStream(files, 1, 4)[:1+len(files[1].events)])
	feed(t, m, [][]byte{artificialRotate(files[3].name, pos), resentFDE(files[3].events[0])})
	if err := m.Write(files[3].events[2]); err != nil {
		t.Fatalf("an event of a completed file sent again: %v", err)
	}
	m.Close()
	checkDir(t, dir, files, false)
}

// FuzzMirrorWrite: arbitrary bytes after a file's first events never make
// the mirror panic, and what it accepts keeps the file readable up to its
// last whole event.
func FuzzMirrorWrite(f *testing.F) {
	files := loadRecorded(f)
	rf := files[0]
	for _, ev := range rf.events[5:12] {
		f.Add(ev)
	}
	f.Add(artificialRotate("x.000002", 4))
	f.Add(artificialRotate(rf.name, 100))
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		m, err := OpenMirror(dir, MirrorOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		feed(t, m, [][]byte{artificialRotate(rf.name, 4)})
		feed(t, m, rf.events[:5])
		m.Write(b)
		m.Write(b)
	})
}

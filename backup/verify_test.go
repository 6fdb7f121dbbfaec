package backup

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/event"
)

// archiveVariant is one way of storing the test archive.
type archiveVariant struct {
	name    string
	comp    Compression
	encrypt bool
}

var archiveVariants = []archiveVariant{
	{"plain", None, false},
	{"zstd", Zstd, false},
	{"lz4", Lz4, false},
	{"gzip", Gzip, false},
	{"zstd+age", Zstd, true},
	{"age", None, true},
}

// makeArchive mirrors the recorded files into a new directory, stopping
// before the last events of the last file when partial is set (its
// .partial file then stays, closed cleanly).
func makeArchive(t testing.TB, files []recFile, v archiveVariant, partial bool) string {
	t.Helper()
	dir := t.TempDir()
	opts := MirrorOptions{Compression: v.comp}
	if v.encrypt {
		opts.Recipients = []age.Recipient{testIdentity.Recipient()}
	}
	m, err := OpenMirror(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	stream := serverStream(files, 0, 4)
	if partial {
		stream = stream[:len(stream)-2]
	}
	for i, ev := range stream {
		if err := m.Write(ev); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func verifyDir(t testing.TB, dir string) *Report {
	t.Helper()
	rep, err := Verify(context.Background(), dir, VerifyOptions{Identities: []age.Identity{testIdentity}})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// storedFiles lists the stored binlog files of dir.
func storedFiles(t testing.TB, dir string) []string {
	t.Helper()
	es, err := Files(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, filepath.Join(dir, e.Stored))
	}
	return out
}

// TestVerifyFlippedBytes flips one byte at many offsets of every stored
// file (complete ones and the partial one, every storage variant): Verify
// reports a problem each time, naming the file.
func TestVerifyFlippedBytes(t *testing.T) {
	files := loadRecorded(t)
	rng := rand.New(rand.NewPCG(15, 2))
	total := 0
	for _, v := range archiveVariants {
		t.Run(v.name, func(t *testing.T) {
			dir := makeArchive(t, files, v, true)
			if rep := verifyDir(t, dir); !rep.OK() {
				t.Fatalf("intact archive: %v", rep.Problems)
			}
			for _, path := range storedFiles(t, dir) {
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				// Every offset of small files and of the start of the big
				// one (headers, magic, FDE), then random offsets.
				var offs []int
				every, random := 48, 32
				if raceEnabled {
					every, random = 8, 8
				}
				for i := range min(len(data), every) {
					offs = append(offs, i)
				}
				for range random {
					offs = append(offs, rng.IntN(len(data)))
				}
				offs = append(offs, len(data)-1)
				for _, off := range offs {
					bad := append([]byte(nil), data...)
					bad[off] ^= byte(1 + rng.IntN(255))
					if err := os.WriteFile(path, bad, 0o644); err != nil {
						t.Fatal(err)
					}
					rep := verifyDir(t, dir)
					total++
					if rep.OK() {
						t.Errorf("%s: byte %d flipped, Verify found nothing (notes %v)", filepath.Base(path), off, rep.Notes)
					} else if p := rep.Problems[0]; !strings.HasPrefix(filepath.Base(path), p.File) {
						t.Errorf("%s: byte %d flipped, first problem names %s: %s", filepath.Base(path), off, p.File, p)
					}
				}
				if err := os.WriteFile(path, data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	t.Logf("%d flipped bytes, every one caught", total)
}

// FuzzVerifyFlip: a byte flipped anywhere in any stored file of a zstd
// archive, an encrypted one or a plain one is reported by Verify; Verify
// never panics.
func FuzzVerifyFlip(f *testing.F) {
	files := loadRecorded(f)
	dirs := map[int]string{}
	for i, v := range []archiveVariant{archiveVariants[0], archiveVariants[1], archiveVariants[4]} {
		dirs[i] = makeArchive(f, files, v, true)
	}
	f.Add(uint8(0), uint8(0), uint32(0), uint8(1))
	f.Add(uint8(1), uint8(1), uint32(100), uint8(0x80))
	f.Add(uint8(2), uint8(3), uint32(30), uint8(7))
	f.Add(uint8(0), uint8(3), uint32(21), uint8(1)) // the in-use flag of the partial file
	f.Fuzz(func(t *testing.T, variant, file uint8, off uint32, x uint8) {
		if x == 0 {
			return
		}
		dir := dirs[int(variant)%len(dirs)]
		paths := storedFiles(t, dir)
		path := paths[int(file)%len(paths)]
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		o := int(off) % len(data)
		bad := append([]byte(nil), data...)
		bad[o] ^= x
		if err := os.WriteFile(path, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		defer os.WriteFile(path, data, 0o644)
		if rep := verifyDir(t, dir); rep.OK() {
			t.Fatalf("%s: byte %d ^ 0x%02x not caught", filepath.Base(path), o, x)
		}
	})
}

// TestVerifyMissingFile: a file removed from the middle of the archive is
// reported, whether or not the index still lists it.
func TestVerifyMissingFile(t *testing.T) {
	files := loadRecorded(t)
	dir := makeArchive(t, files, archiveVariant{"zstd", Zstd, false}, false)
	paths := storedFiles(t, dir)
	os.Remove(paths[1])
	rep := verifyDir(t, dir)
	if rep.OK() || !strings.Contains(rep.Problems[0].What, "missing") || rep.Problems[0].File != files[1].name {
		t.Fatalf("file removed: %v", rep.Problems)
	}
	t.Logf("reported: %s", rep.Problems[0])
	// The index rewritten without it: the chain still shows the hole.
	es, _ := ReadIndex(dir)
	es = append(es[:1], es[2:]...)
	if err := writeIndex(dir, es, false); err != nil {
		t.Fatal(err)
	}
	rep = verifyDir(t, dir)
	if rep.OK() || !strings.Contains(rep.Problems[0].What, "missing") || rep.Problems[0].File != files[1].name {
		t.Fatalf("file and its index line removed: %v", rep.Problems)
	}
	t.Logf("reported: %s", rep.Problems[0])
	// Reading it back stops at the hole.
	src, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	for {
		_, err := src.ReadEvent(context.Background())
		if err == nil {
			continue
		}
		if !errors.Is(err, ErrGap) {
			t.Fatalf("reading across the hole: %v, want ErrGap", err)
		}
		break
	}
}

// TestVerifyFileFromAnotherServer: a file of another server's run put in
// the place of one of the archive's is reported: by the index's SHA-256,
// and, with the index made to describe the impostor, by what its events say.
func TestVerifyFileFromAnotherServer(t *testing.T) {
	files := loadRecorded(t)
	other, err := os.ReadFile("../testdata/recorded/mariadb-10_11-minimal.000003")
	if err != nil {
		t.Fatal(err)
	}
	dir := makeArchive(t, files, archiveVariant{"plain", None, false}, false)
	target := filepath.Join(dir, files[2].name)
	if err := os.WriteFile(target, other, 0o644); err != nil {
		t.Fatal(err)
	}
	rep := verifyDir(t, dir)
	if rep.OK() || rep.Problems[0].File != files[2].name {
		t.Fatalf("foreign file: %v", rep.Problems)
	}
	t.Logf("reported: %s", rep.Problems[0])
	describeAnew(t, dir, files[2].name)
	rep = verifyDir(t, dir)
	if rep.OK() || rep.Problems[0].File != files[2].name {
		t.Fatalf("foreign file, index rewritten: %v", rep.Problems)
	}
	t.Logf("reported: %s", rep.Problems[0])

	// Two MySQL servers with the same server id and file names: the file
	// of the other one breaks the GTID chain.
	ours, theirs := mysqlRun(t, 0x11), mysqlRun(t, 0x22)
	dir = t.TempDir()
	m, err := OpenMirror(dir, MirrorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range ours {
		feed(t, m, [][]byte{artificialRotate(fmt.Sprintf("binlog.%06d", i+1), 4)})
		feed(t, m, splitEvents(t, f))
	}
	m.Close()
	if rep := verifyDir(t, dir); !rep.OK() {
		t.Fatalf("intact fabricated archive: %v", rep.Problems)
	}
	os.WriteFile(filepath.Join(dir, "binlog.000002"), theirs[1], 0o644)
	describeAnew(t, dir, "binlog.000002")
	rep = verifyDir(t, dir)
	if rep.OK() || rep.Problems[0].File != "binlog.000002" || !strings.Contains(rep.Problems[0].What, "GTIDs do not continue") {
		t.Fatalf("another MySQL server's file: %v", rep.Problems)
	}
	t.Logf("reported: %s", rep.Problems[0])
}

// describeAnew makes the index line of name describe the file as it is now
// (as an index rewritten along with the file would).
func describeAnew(t *testing.T, dir, name string) {
	t.Helper()
	es, _ := ReadIndex(dir)
	for i := range es {
		if es[i].Name == name {
			es[i] = Entry{Name: es[i].Name, Stored: es[i].Stored, Complete: true}
		}
	}
	if err := writeIndex(dir, es, false); err != nil {
		t.Fatal(err)
	}
}

// mysqlRun fabricates three binlog files of a MySQL server whose UUID
// starts with the byte u: PREVIOUS_GTIDS, two transactions each, ROTATE.
func mysqlRun(t *testing.T, u byte) [][]byte {
	t.Helper()
	var out [][]byte
	var set binlog.GTIDSet
	uuid := fmt.Sprintf("%02x000000-0000-0000-0000-000000000000", u)
	for i := 1; i <= 3; i++ {
		pg, err := set.PreviousGTIDs()
		if err != nil {
			t.Fatal(err)
		}
		s := binlogtest.NewStream(event.MySQL).Event(pg)
		for k := 0; k < 2; k++ {
			gno := uint64(2*(i-1) + k + 1)
			g, _ := binlog.ParseGTID(fmt.Sprintf("%s:%d", uuid, gno))
			set.Add(g)
			s.Event(&event.GTID{Type: event.GTIDEvent, SID: g.UUID, GNO: int64(gno), HasLogicalClock: true, LogicalClockType: 2, SequenceNumber: 1}).
				Query("d", "BEGIN").Query("d", "INSERT INTO t VALUES (1)").XID()
		}
		s.Rotate(fmt.Sprintf("binlog.%06d", i+1))
		b, err := s.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// TestVerifyRecord: Verify records its outcome for LastVerified.
func TestVerifyRecord(t *testing.T) {
	files := loadRecorded(t)
	dir := makeArchive(t, files, archiveVariants[1], false)
	if at, _ := LastVerified(dir); !at.IsZero() {
		t.Fatal("verified before any Verify")
	}
	rep, err := Verify(context.Background(), dir, VerifyOptions{Record: true})
	if err != nil || !rep.OK() {
		t.Fatal(err, rep.Problems)
	}
	at, ok := LastVerified(dir)
	if !ok || !at.Equal(rep.Time) {
		t.Fatalf("LastVerified = %v %v, want %v true", at, ok, rep.Time)
	}
	fmt.Fprint(os.Stderr)
}

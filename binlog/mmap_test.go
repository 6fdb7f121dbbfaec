package binlog

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// rawEvents reads every raw event of src with its position, and the error
// that ended the read (nil at a clean end) and the tail.
type rawRead struct {
	events  [][]byte
	offsets []uint64
	err     string
	tail    int
	tailOff uint64
}

func readRaw(t *testing.T, src interface {
	Source
	Positioner
	Tailer
}) rawRead {
	t.Helper()
	var rr rawRead
	for {
		b, err := src.ReadEvent(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			rr.err = err.Error()
			break
		}
		rr.events = append(rr.events, bytes.Clone(b))
		_, off := src.Position()
		rr.offsets = append(rr.offsets, off)
	}
	_, rr.tailOff, rr.tail = src.Tail()
	return rr
}

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// compareSources checks that OpenFile (mapped) and a buffered StreamSource
// over the same bytes give the same events, positions, errors and tails.
func compareSources(t *testing.T, path string) rawRead {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	mapped, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer mapped.Close()
	if runtime.GOOS == "linux" && len(data) >= 4 && string(data[:4]) == "\xfebin" && !inUse(data) && mapped.mm == nil {
		t.Fatalf("%s: OpenFile did not map the file", path)
	}
	got := readRaw(t, mapped)
	want := readRaw(t, NewStreamSource(bytes.NewReader(data), path))
	if len(got.events) != len(want.events) {
		t.Fatalf("%s: mapped %d events, buffered %d", path, len(got.events), len(want.events))
	}
	for i := range got.events {
		if !bytes.Equal(got.events[i], want.events[i]) || got.offsets[i] != want.offsets[i] {
			t.Fatalf("%s: event %d differs (offset %d vs %d)", path, i, got.offsets[i], want.offsets[i])
		}
	}
	if got.err != want.err || got.tail != want.tail || got.tailOff != want.tailOff {
		t.Fatalf("%s: mapped ends with %q tail %d@%d, buffered with %q tail %d@%d", path, got.err, got.tail, got.tailOff, want.err, want.tail, want.tailOff)
	}
	return got
}

func TestMappedFileMatchesBuffered(t *testing.T) {
	for _, f := range allFiles(t) {
		compareSources(t, f)
	}
}

func TestMappedFileErrors(t *testing.T) {
	data := fabricate(t, 20, 300)
	whole := compareSources(t, writeTemp(t, "whole", data))
	if len(whole.events) != 21 || whole.err != "" {
		t.Fatalf("whole file: %d events, error %q", len(whole.events), whole.err)
	}
	// Cut inside an event body: a positioned ErrTruncated, as when buffered.
	cut := compareSources(t, writeTemp(t, "cut", data[:len(data)-100]))
	if cut.err == "" || len(cut.events) != 20 {
		t.Fatalf("cut body: %d events, error %q", len(cut.events), cut.err)
	}
	// Cut inside a header: a clean end with a tail.
	lastStart := whole.offsets[len(whole.offsets)-1]
	hdr := compareSources(t, writeTemp(t, "cuthdr", data[:lastStart+7]))
	if hdr.err != "" || hdr.tail != 7 || hdr.tailOff != lastStart {
		t.Fatalf("cut header: error %q tail %d@%d", hdr.err, hdr.tail, hdr.tailOff)
	}
	// A size field smaller than a header, and one over the limit.
	bad := bytes.Clone(data)
	bad[lastStart+9], bad[lastStart+10], bad[lastStart+11], bad[lastStart+12] = 5, 0, 0, 0
	if r := compareSources(t, writeTemp(t, "small", bad)); !bytes.Contains([]byte(r.err), []byte("smaller than the header")) {
		t.Fatalf("size 5: error %q", r.err)
	}
	bad[lastStart+12] = 0x7f
	if r := compareSources(t, writeTemp(t, "huge", bad)); !bytes.Contains([]byte(r.err), []byte("exceeds the limit")) {
		t.Fatalf("huge size: error %q", r.err)
	}
	// Empty file, magic only, bad magic.
	for name, b := range map[string][]byte{"empty": nil, "magic": data[:4], "badmagic": []byte("\xfebix" + string(data[4:]))} {
		p := writeTemp(t, name, b)
		_, err := OpenFile(p)
		_, serr := NewStreamSource(bytes.NewReader(b), p).ReadEvent(context.Background())
		if name == "magic" {
			if r := compareSources(t, p); len(r.events) != 0 || r.err != "" {
				t.Fatalf("magic only: %d events, error %q", len(r.events), r.err)
			}
			continue
		}
		if err == nil || serr == nil || err.Error() != serr.Error() || !errors.Is(err, ErrBadMagic) {
			t.Fatalf("%s: OpenFile error %v, buffered %v", name, err, serr)
		}
	}
}

func TestMappedFileClose(t *testing.T) {
	s, err := OpenFile(writeTemp(t, "f", fabricate(t, 3, 10)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReadEvent(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if s.mm != nil || s.data != nil {
		t.Fatal("Close left the mapping in place")
	}
	if _, err := s.ReadEvent(context.Background()); !errors.Is(err, os.ErrClosed) {
		t.Fatalf("ReadEvent after Close: %v, want os.ErrClosed", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

// A file that grows after it was opened (a server still writing it) is read
// to its new end: through the mapping, then through a buffer.
func TestMappedFileGrows(t *testing.T) {
	data := fabricate(t, 10, 200)
	for _, cut := range []int{len(data) - 150, len(data) - 220 + 5, len(data)} {
		p := writeTemp(t, "grow", data[:cut])
		s, err := OpenFile(p)
		if err != nil {
			t.Fatal(err)
		}
		more := append(bytes.Clone(data[cut:]), fabricate(t, 2, 50)[4:]...)
		f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(more); err != nil {
			t.Fatal(err)
		}
		f.Close()
		rr := readRaw(t, s)
		s.Close()
		if rr.err != "" || len(rr.events) != 11+3 || rr.tail != 0 {
			t.Fatalf("cut at %d: %d events, error %q, tail %d", cut, len(rr.events), rr.err, rr.tail)
		}
	}
}

// A backup's file in progress may be cut back while it is read: it is read
// through a buffer, never mapped.
func TestPartialFileNotMapped(t *testing.T) {
	s, err := OpenFile(writeTemp(t, "mysql-bin.000001.partial", fabricate(t, 3, 10)))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.mm != nil {
		t.Fatal("a .partial file was mapped")
	}
	if rr := readRaw(t, s); len(rr.events) != 4 || rr.err != "" {
		t.Fatalf("%d events, error %q", len(rr.events), rr.err)
	}
}

// A file the server has open, or crashed with open, may be cut back by its
// crash recovery: one whose FORMAT_DESCRIPTION carries the in-use flag is
// read through a buffer; the same file with the flag clear is mapped.
func TestInUseFileNotMapped(t *testing.T) {
	data := fabricate(t, 3, 10)
	if data[4+4] != 15 {
		t.Fatalf("first event is type %d, not a FORMAT_DESCRIPTION", data[8])
	}
	for _, flagged := range []bool{false, true} {
		d := bytes.Clone(data)
		if flagged {
			d[4+17] |= 0x01 // outside the checksum, as the server sets it
		} else {
			d[4+17] &^= 0x01
		}
		s, err := OpenFile(writeTemp(t, "mysql-bin.000001", d))
		if err != nil {
			t.Fatal(err)
		}
		if mapped := s.mm != nil; runtime.GOOS == "linux" && mapped == flagged {
			t.Errorf("in-use flag %v: mapped %v", flagged, mapped)
		}
		if rr := readRaw(t, s); len(rr.events) != 4 || rr.err != "" {
			t.Fatalf("in-use flag %v: %d events, error %q", flagged, len(rr.events), rr.err)
		}
		s.Close()
	}
}

package binlog

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/event"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

// fabricate returns a binlog file: magic, a MySQL 8.0 FORMAT_DESCRIPTION with
// CRC32, and n events of an unknown type (100, flagged ignorable) whose bodies
// are bodySize bytes, with end_log_pos filled in.
func fabricate(t testing.TB, n, bodySize int) []byte {
	t.Helper()
	fd := event.NewFormatDescription("8.0.40", event.ChecksumCRC32)
	b := append([]byte(nil), event.Magic[:]...)
	var err error
	add := func(h event.Header, body event.Body) {
		start := len(b)
		b, err = event.Append(b, h, body, fd)
		if err != nil {
			t.Fatal(err)
		}
		// patch end_log_pos and the checksum
		ev := b[start:]
		end := uint32(len(b))
		ev[13], ev[14], ev[15], ev[16] = byte(end), byte(end>>8), byte(end>>16), byte(end>>24)
		c := event.Checksum(ev[:len(ev)-4])
		ev[len(ev)-4], ev[len(ev)-3], ev[len(ev)-2], ev[len(ev)-1] = byte(c), byte(c>>8), byte(c>>16), byte(c>>24)
	}
	add(event.Header{Timestamp: 1700000000, ServerID: 1}, fd)
	payload := bytes.Repeat([]byte("x"), bodySize)
	for i := 0; i < n; i++ {
		add(event.Header{Timestamp: 1700000000 + uint32(i), ServerID: 1, Flags: event.FlagIgnorable}, &event.Unknown{Type: 100, Data: payload})
	}
	return b
}

func readStream(t testing.TB, data []byte, opts ...Option) ([]*event.Event, error) {
	t.Helper()
	r := NewReader(NewStreamSource(bytes.NewReader(data), "mem"), opts...)
	var evs []*event.Event
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			return evs, err
		}
		evs = append(evs, ev.Clone())
	}
	return evs, nil
}

func TestUnknownEventsKeepSync(t *testing.T) {
	// TESTCASES 2: unknown types are skipped by event_size, raw bytes kept.
	data := fabricate(t, 5, 33)
	evs, err := readStream(t, data)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 6 {
		t.Fatalf("got %d events, want 6", len(evs))
	}
	for _, ev := range evs[1:] {
		u, ok := ev.Body.(*event.Unknown)
		if !ok || u.Type != 100 || len(u.Data) != 33 || ev.Header.Type.String() != "UNKNOWN_EVENT_100" {
			t.Fatalf("event at %d: body %#v", ev.Pos, ev.Body)
		}
		if !ev.HasChecksum() || ev.NextPos != uint64(ev.Header.LogPos) {
			t.Errorf("event at %d: checksum %v, next %d, end_log_pos %d", ev.Pos, ev.HasChecksum(), ev.NextPos, ev.Header.LogPos)
		}
	}
}

func TestChecksumMismatch(t *testing.T) {
	data := fabricate(t, 3, 10)
	data[len(data)-10] ^= 0xff // inside the last event's body
	evs, err := readStream(t, data)
	var pe *Error
	if !errors.Is(err, ErrChecksum) || !errors.As(err, &pe) || len(evs) != 3 {
		t.Fatalf("err = %v after %d events, want ErrChecksum after 3", err, len(evs))
	}
	if pe.File != "mem" || pe.Offset != evs[2].NextPos || pe.Type != 100 {
		t.Errorf("error position %+v, want mem at %d type 100", pe, evs[2].NextPos)
	}
	// Verification off: the same stream reads to the end.
	if evs, err := readStream(t, data, WithChecksumVerification(false)); err != nil || len(evs) != 4 {
		t.Errorf("without verification: %d events, %v", len(evs), err)
	}
}

func TestTruncation(t *testing.T) {
	data := fabricate(t, 3, 50)
	last := len(data) - (event.HeaderLen + 50 + 4)
	for _, tc := range []struct {
		cut      int
		wantErr  error
		wantTail int
	}{
		{cut: last, wantErr: nil},                                // at an event boundary
		{cut: last + 7, wantErr: nil, wantTail: 7},               // inside a header: clean end
		{cut: last + event.HeaderLen + 5, wantErr: ErrTruncated}, // inside a body
		{cut: 2, wantErr: ErrCorrupt},                            // inside the magic
	} {
		r := NewReader(NewStreamSource(bytes.NewReader(data[:tc.cut]), "cut"))
		var err error
		for _, err = range r.Events(context.Background()) {
		}
		if tc.wantErr == nil && err != nil || tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
			t.Errorf("cut at %d: err %v, want %v", tc.cut, err, tc.wantErr)
		}
		if _, _, n := r.Tail(); n != tc.wantTail {
			t.Errorf("cut at %d: tail %d, want %d", tc.cut, n, tc.wantTail)
		}
		if tc.wantErr == ErrTruncated {
			var pe *Error
			if !errors.As(err, &pe) || pe.Offset != uint64(last) || !strings.Contains(err.Error(), "cut: at byte") {
				t.Errorf("cut at %d: error %v does not name the event at %d", tc.cut, err, last)
			}
		}
	}
}

func TestMaxEventSize(t *testing.T) {
	data := fabricate(t, 2, 1000)
	_, err := readStream(t, data, WithMaxEventSize(500))
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "exceeds the limit") {
		t.Fatalf("err = %v, want the size limit", err)
	}
	// A hostile size in a tiny input must not allocate the declared size.
	bad := append([]byte(nil), data[:event.MagicLen+event.HeaderLen]...)
	bad[event.MagicLen+9], bad[event.MagicLen+10], bad[event.MagicLen+11], bad[event.MagicLen+12] = 0xff, 0xff, 0xff, 0x3f
	var before, after runtime.MemStats
	// No GC while counting: a collection empties sync.Pools (the zstd
	// decoder keeps its tables in them) and refilling them would be counted
	// against the Reader.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	runtime.ReadMemStats(&before)
	r := NewReader(NewStreamSource(bytes.NewReader(bad), "bad"))
	if _, err := r.Next(context.Background()); !errors.Is(err, ErrTruncated) {
		t.Errorf("hostile size: %v, want ErrTruncated", err)
	}
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 4<<20 {
		t.Errorf("a 1 GiB declared size in a 42-byte input allocated %d bytes", grew)
	}
}

func TestLargeEventBeyondBuffer(t *testing.T) {
	data := fabricate(t, 3, 3*readBufferSize+17)
	evs, err := readStream(t, data)
	if err != nil || len(evs) != 4 || len(evs[3].Body.(*event.Unknown).Data) != 3*readBufferSize+17 {
		t.Fatalf("%d events, %v", len(evs), err)
	}
}

func TestCompressedInputs(t *testing.T) {
	data := fabricate(t, 20, 100)
	var gz, zs, l4 bytes.Buffer
	gw := gzip.NewWriter(&gz)
	gw.Write(data)
	gw.Close()
	zw, _ := zstd.NewWriter(&zs)
	zw.Write(data)
	zw.Close()
	lw := lz4.NewWriter(&l4)
	lw.Write(data)
	lw.Close()
	dir := t.TempDir()
	for name, b := range map[string][]byte{"plain": data, "gz": gz.Bytes(), "zst": zs.Bytes(), "lz4": l4.Bytes(), "xz": xzBytes(t, data)} {
		path := filepath.Join(dir, "binlog."+name)
		os.WriteFile(path, b, 0o644)
		src, err := OpenFile(path)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		n := 0
		for _, err := range NewReader(src).Events(context.Background()) {
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			n++
		}
		src.Close()
		if n != 21 {
			t.Errorf("%s: %d events, want 21", name, n)
		}
	}
	// Not a binlog at all.
	path := filepath.Join(dir, "text")
	os.WriteFile(path, []byte("hello world"), 0o644)
	if _, err := OpenFile(path); !errors.Is(err, ErrBadMagic) || !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), path) {
		t.Errorf("text file: %v", err)
	}
}

func TestFileList(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i, n := range []int{3, 0, 2} {
		p := filepath.Join(dir, "bin.00000"+string(rune('1'+i)))
		os.WriteFile(p, fabricate(t, n, 8), 0o644)
		paths = append(paths, p)
	}
	r := NewReader(OpenFiles(paths...))
	var got []string
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, filepath.Base(ev.File))
	}
	want := "bin.000001 bin.000001 bin.000001 bin.000001 bin.000002 bin.000003 bin.000003 bin.000003"
	if strings.Join(got, " ") != want {
		t.Errorf("files %v, want %v", got, want)
	}
	// A missing file is an error naming it.
	r = NewReader(OpenFiles(paths[0], filepath.Join(dir, "missing")))
	var err error
	for _, err = range r.Events(context.Background()) {
	}
	if err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("missing file: %v", err)
	}
}

func TestStickyError(t *testing.T) {
	data := fabricate(t, 2, 10)
	r := NewReader(NewStreamSource(bytes.NewReader(data[:len(data)-3]), "cut"))
	ctx := context.Background()
	var first error
	for i := 0; i < 5; i++ {
		if _, err := r.Next(ctx); err != nil {
			if first == nil {
				first = err
			} else if err != first {
				t.Fatalf("error changed: %v then %v", first, err)
			}
		}
	}
	if first == nil || r.Err() != first {
		t.Fatalf("no sticky error: %v / %v", first, r.Err())
	}
	// A clean end is io.EOF from Next and nil from Err.
	r = NewReader(NewStreamSource(bytes.NewReader(data), "ok"))
	for {
		if _, err := r.Next(ctx); err != nil {
			if err != io.EOF || r.Err() != nil {
				t.Fatalf("end: %v, Err %v", err, r.Err())
			}
			break
		}
	}
}

// TestNextDoesNotAllocate proves the steady state of Reader.Next on a file
// source allocates nothing per event.
func TestNextDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	data := fabricate(t, 5000, 200)
	path := filepath.Join(t.TempDir(), "bin.000001")
	os.WriteFile(path, data, 0o644)
	src, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	r := NewReader(src)
	ctx := context.Background()
	for i := 0; i < 10; i++ { // warm up: FDE, first body of each type
		if _, err := r.Next(ctx); err != nil {
			t.Fatal(err)
		}
	}
	allocs := testing.AllocsPerRun(2000, func() {
		if _, err := r.Next(ctx); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("Reader.Next allocates %.2f times per event, want 0", allocs)
	}
}

// TestNextDoesNotAllocateRecorded is TestNextDoesNotAllocate on real events:
// the project's MariaDB recording (queries, table maps, rows, GTIDs, XIDs,
// compressed events) repeated into a file of several MiB.
func TestNextDoesNotAllocateRecorded(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	data := bigBinlog(t, 8<<20)
	path := filepath.Join(t.TempDir(), "bin.000001")
	os.WriteFile(path, data, 0o644)
	src, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	r := NewReader(src)
	ctx := context.Background()
	runtime.GC()
	for i := 0; i < 3000; i++ { // warm up: one pass over the recording
		if _, err := r.Next(ctx); err != nil {
			t.Fatal(err)
		}
	}
	var types [256]bool
	// testing.AllocsPerRun rounds the average down, which would hide one
	// allocation every few events: count them all instead.
	const n = 5000
	var before, after runtime.MemStats
	// No GC while counting: a collection empties sync.Pools (the zstd
	// decoder keeps its tables in them) and refilling them would be counted
	// against the Reader.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	runtime.ReadMemStats(&before)
	for i := 0; i < n; i++ {
		ev, err := r.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		types[ev.Header.Type] = true
	}
	runtime.ReadMemStats(&after)
	kinds := 0
	for _, seen := range types {
		if seen {
			kinds++
		}
	}
	if kinds < 10 || !types[event.MariaWriteRowsCompressedV1] || !types[event.MariaQueryCompressedEvent] {
		t.Fatalf("only %d event types in the sample (compressed rows: %v)", kinds, types[event.MariaWriteRowsCompressedV1])
	}
	// MemStats counts the whole process (the runtime and the test framework
	// allocate now and then on their own): allow less than one allocation per
	// thousand events, far from one per event.
	if m := after.Mallocs - before.Mallocs; m*1000 >= n {
		t.Fatalf("Reader.Next allocated %d times over %d real events, want 0", m, n)
	} else if m > 0 {
		t.Logf("%d allocation(s) in the process while reading %d events", m, n)
	}
}

// rewritingSource stands for a transform whose events differ in size from
// the file's: it reports the file's positions through Positioner and
// NextPositioner.
type rewritingSource struct {
	inner     *StreamSource
	pos, next uint64
}

func (s *rewritingSource) ReadEvent(ctx context.Context) ([]byte, error) {
	raw, err := s.inner.ReadEvent(ctx)
	if err != nil {
		return nil, err
	}
	_, s.pos = s.inner.Position()
	s.next = s.pos + uint64(len(raw))
	return raw, nil
}

func (s *rewritingSource) Position() (string, uint64) { return "orig.000001", s.pos + 1000 }
func (s *rewritingSource) NextPosition() uint64       { return s.next + 1000 + 7 }

func TestNextPositioner(t *testing.T) {
	data := fabricate(t, 3, 10)
	r := NewReader(&rewritingSource{inner: NewStreamSource(bytes.NewReader(data), "x")})
	n := 0
	for {
		ev, err := r.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if ev.File != "orig.000001" || ev.NextPos != ev.Pos+uint64(len(ev.Raw))+7 || ev.Pos < 1000 {
			t.Errorf("event %d: %s:%d-%d (%d bytes)", n, ev.File, ev.Pos, ev.NextPos, len(ev.Raw))
		}
		n++
	}
	if n != 4 {
		t.Errorf("%d events", n)
	}
}

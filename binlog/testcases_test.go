package binlog

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/event"
)

// streamBuilder fabricates streams event by event, with or without checksums,
// for the framing cases of ../shared/TESTCASES.md.
type streamBuilder struct {
	t   *testing.T
	b   []byte
	fd  *event.FormatDescription
	off *event.FormatDescription // the same format with checksums off
}

func newStream(t *testing.T, version string) *streamBuilder {
	fd := event.NewFormatDescription(version, event.ChecksumCRC32)
	off := *fd
	off.ChecksumAlg = event.ChecksumOff
	s := &streamBuilder{t: t, b: append([]byte(nil), event.Magic[:]...), fd: fd, off: &off}
	s.add(event.Header{Timestamp: 1, ServerID: 1}, fd, true)
	return s
}

func (s *streamBuilder) add(h event.Header, body event.Body, checksum bool) {
	s.t.Helper()
	f := s.fd
	if !checksum {
		f = s.off
	}
	var err error
	if s.b, err = event.Append(s.b, h, body, f); err != nil {
		s.t.Fatal(err)
	}
}

func (s *streamBuilder) read(opts ...Option) ([]*event.Event, error) {
	return readStream(s.t, s.b, opts...)
}

// TestCase4ArtificialRotateWithoutChecksum: a server starts a dump with an
// artificial ROTATE (timestamp 0) that may lack its checksum even when the
// stream has them.
func TestCase4ArtificialRotateWithoutChecksum(t *testing.T) {
	s := newStream(t, "8.0.40")
	s.add(event.Header{ServerID: 1, Flags: event.FlagArtificial}, &event.Rotate{Position: 4, NextFile: []byte("bin.000002")}, false)
	s.add(event.Header{Timestamp: 2, ServerID: 1}, &event.XID{XID: 9}, true)
	evs, err := s.read()
	if err != nil || len(evs) != 3 {
		t.Fatalf("%d events, %v", len(evs), err)
	}
	if r := evs[1].Body.(*event.Rotate); string(r.NextFile) != "bin.000002" || r.Position != 4 {
		t.Errorf("rotate %+v", r)
	}
	if evs[2].Body.(*event.XID).XID != 9 {
		t.Errorf("event after the rotate: %+v", evs[2].Body)
	}
	// A regular event without its checksum is still an error.
	s = newStream(t, "8.0.40")
	s.add(event.Header{Timestamp: 2, ServerID: 1}, &event.XID{XID: 9}, false)
	if _, err := s.read(); err == nil {
		t.Error("a non-artificial event without its checksum was accepted")
	}
}

// TestCase5TableMapsAcrossRotateAndFDEs: relay logs carry a second FDE (the
// primary's); a real ROTATE clears the table-id map, an artificial one does
// not.
func TestCase5TableMapsAcrossRotateAndFDEs(t *testing.T) {
	tm := func(id uint64, name string) *event.TableMap {
		return &event.TableMap{TableID: id, Schema: []byte("db"), Table: []byte(name), ColumnCount: 1,
			ColumnTypes: []byte{byte(event.ColumnTypeLong)}, NullBitmap: []byte{0}}
	}
	rows := &event.Rows{Type: event.WriteRowsEventV2, TableID: 5, Flags: event.RowsFlagStmtEnd, ColumnCount: 1, ColumnsAfter: []byte{1}, Data: []byte{0, 1, 0, 0, 0}}
	h := event.Header{Timestamp: 5, ServerID: 1}

	s := newStream(t, "5.7.25-log")
	s.add(h, tm(5, "a"), true)
	s.add(event.Header{ServerID: 2}, event.NewFormatDescription("5.7.25-log", event.ChecksumCRC32), true) // the primary's FDE
	s.add(event.Header{ServerID: 1, Flags: event.FlagArtificial}, &event.Rotate{Position: 4, NextFile: []byte("primary.000007")}, true)
	s.add(h, rows, true)
	s.add(h, &event.Rotate{Position: 4, NextFile: []byte("relay.000002")}, true)
	s.add(h, rows, true)
	evs, err := s.read()
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 7 {
		t.Fatalf("%d events", len(evs))
	}
	if evs[4].Table == nil || string(evs[4].Table.Table) != "a" {
		t.Errorf("rows after a second FDE and an artificial ROTATE: table %v, want a", evs[4].Table)
	}
	if evs[6].Table != nil {
		t.Errorf("rows after a real ROTATE still resolve to %s", evs[6].Table.Table)
	}
}

// TestCase10MariaDBEndLogPosZero: inside MariaDB GTID groups end_log_pos may
// be 0 (and a GTID_LIST may carry timestamp 0); positions come from the
// bytes, not from end_log_pos.
func TestCase10MariaDBEndLogPosZero(t *testing.T) {
	s := newStream(t, "10.11.19-MariaDB-log")
	s.add(event.Header{ServerID: 1}, &event.MariaGTIDList{}, true)
	s.add(event.Header{Timestamp: 3, ServerID: 1}, &event.MariaGTID{SeqNo: 5}, true)
	s.add(event.Header{Timestamp: 3, ServerID: 1}, &event.Query{Query: []byte("INSERT INTO t VALUES (1)")}, true)
	s.add(event.Header{Timestamp: 3, ServerID: 1}, &event.XID{XID: 1}, true)
	evs, err := s.read()
	if err != nil {
		t.Fatal(err)
	}
	pos := uint64(event.MagicLen)
	for _, ev := range evs {
		if ev.Pos != pos || ev.Header.LogPos != 0 && ev.Header.Type != event.FormatDescriptionEvent {
			t.Errorf("%v at %d (end_log_pos %d), want at %d", ev.Header.Type, ev.Pos, ev.Header.LogPos, pos)
		}
		pos = ev.NextPos
	}
	if !bytes.Equal(evs[2].Body.(*event.MariaGTID).AppendText(nil, evs[2].Header.ServerID), []byte("0-1-5")) {
		t.Errorf("gtid %s", evs[2].Body.(*event.MariaGTID).AppendText(nil, 1))
	}
}

// TestFiltersRunBeforeRowBytes: filters judge rows events before their row
// images are touched (compressed ones are inflated only when kept).
func TestFiltersRunBeforeRowBytes(t *testing.T) {
	files := recorded(t)
	seen, inflated := 0, 0
	drop := FilterFunc(func(ev *event.Event) bool {
		if rows, ok := ev.Body.(*event.Rows); ok && rows.IsCompressed() {
			seen++
			if rows.Data != nil {
				t.Errorf("%v at %d inflated before the filter ran", ev.Header.Type, ev.Pos)
			}
			return seen%2 == 0 // keep every other one
		}
		return true
	})
	r := NewReader(OpenFiles(files...), WithFilters(drop))
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if rows, ok := ev.Body.(*event.Rows); ok && rows.IsCompressed() {
			if rows.Data == nil {
				t.Errorf("kept %v at %d not inflated", ev.Header.Type, ev.Pos)
			}
			inflated++
		}
	}
	if seen < 2 || inflated != seen/2 {
		t.Errorf("saw %d compressed rows events, %d kept and inflated", seen, inflated)
	}
}

// TestEncryptedBinlogStops: after MariaDB's START_ENCRYPTION every event is
// ciphertext. Without the key a StreamSource says which key is missing, at
// the first encrypted event; a Source that does not decrypt makes the
// Reader stop with a clear error instead of misreading it.
func TestEncryptedBinlogStops(t *testing.T) {
	s := newStream(t, "10.11.19-MariaDB-log")
	s.add(event.Header{Timestamp: 1, ServerID: 1}, &event.MariaStartEncryption{Scheme: 1, KeyVersion: 7}, true)
	encAt := uint64(len(s.b))
	// Ciphertext as MariaDB stores it: framable (the length at bytes 9–12).
	enc := bytes.Repeat([]byte{0x5a}, 64)
	binary.LittleEndian.PutUint32(enc[9:13], uint32(len(enc)))
	s.b = append(s.b, enc...)
	evs, err := s.read()
	var pe *Error
	var ke *KeyError
	if len(evs) != 2 || !errors.Is(err, ErrNoKey) || !errors.As(err, &pe) || pe.Offset != encAt ||
		!errors.As(err, &ke) || ke.Key != (KeyID{ID: 1, Version: 7}) || !strings.Contains(err.Error(), "MariaDB key 1 (version 7)") {
		t.Fatalf("%d events, %v", len(evs), err)
	}

	// A Source that does not decrypt.
	r := NewReader(&framingSource{b: s.b[event.MagicLen:]})
	n := 0
	for {
		_, err = r.Next(context.Background())
		if err != nil {
			break
		}
		n++
	}
	// (Without a Positioner, offsets count from the first event.)
	if n != 2 || !errors.Is(err, ErrUnsupported) || !errors.As(err, &pe) || pe.Offset != encAt-event.MagicLen || !strings.Contains(err.Error(), "encrypted") {
		t.Fatalf("%d events, %v", n, err)
	}
}

// framingSource returns the events of b (after the magic) as they are.
type framingSource struct{ b []byte }

func (f *framingSource) ReadEvent(context.Context) ([]byte, error) {
	if len(f.b) < event.HeaderLen {
		return nil, io.EOF
	}
	n := int(binary.LittleEndian.Uint32(f.b[9:13]))
	if n < event.HeaderLen || n > len(f.b) {
		return nil, ErrCorrupt
	}
	ev := f.b[:n:n]
	f.b = f.b[n:]
	return ev, nil
}

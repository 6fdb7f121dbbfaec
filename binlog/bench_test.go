package binlog

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/binlogkit/binlogkit/event"
)

// benchFile is a ~64 MiB binlog: the recorded corpus events repeated when
// available, else fabricated events of 300 bytes (a typical rows event).
func benchFile(b *testing.B) (path string, size int64) {
	b.Helper()
	data := bigBinlog(b, 64<<20)
	path = filepath.Join(b.TempDir(), "bench.000001")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	return path, int64(len(data))
}

// bigBinlog builds a binlog of about n bytes from the project's recorded
// MariaDB binlogs (every event but the first FDE, repeated, checksums intact),
// or fabricated events when those are absent.
func bigBinlog(tb testing.TB, n int) []byte {
	tb.Helper()
	matches, _ := filepath.Glob("../testdata/recorded/*-full.0*")
	var events [][]byte
	var head []byte
	for _, m := range matches {
		if filepath.Ext(m) == ".txt" {
			continue
		}
		data, err := os.ReadFile(m)
		if err != nil {
			continue
		}
		r := NewReader(NewStreamSource(bytes.NewReader(data), m))
		for ev, err := range r.Events(context.Background()) {
			if err != nil {
				break
			}
			if ev.Header.Type == event.FormatDescriptionEvent {
				if head == nil {
					head = append(append([]byte(nil), event.Magic[:]...), ev.Raw...)
				}
				continue
			}
			if ev.Header.Type == event.RotateEvent || ev.Header.Type == event.StopEvent {
				continue
			}
			events = append(events, bytes.Clone(ev.Raw))
		}
	}
	if head == nil || len(events) == 0 {
		return fabricate(tb, n/(event.HeaderLen+300+4), 300)
	}
	out := make([]byte, 0, n+1<<20)
	out = append(out, head...)
	for len(out) < n {
		for _, e := range events {
			out = append(out, e...)
		}
	}
	return out
}

// BenchmarkReaderFile measures framing, CRC32 verification and body decoding
// of a ~64 MiB binlog file in the page cache, through OpenFile.
func BenchmarkReaderFile(b *testing.B) { benchReader(b) }

// BenchmarkReaderFileNoVerify is BenchmarkReaderFile without CRC32 checks.
func BenchmarkReaderFileNoVerify(b *testing.B) { benchReader(b, WithChecksumVerification(false)) }

// benchReader reads the benchmark file to its end with Reader.Next.
func benchReader(b *testing.B, opts ...Option) {
	path, size := benchFile(b)
	ctx := context.Background()
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		src, err := OpenFile(path)
		if err != nil {
			b.Fatal(err)
		}
		r := NewReader(src, opts...)
		for {
			if _, err := r.Next(ctx); err != nil {
				if err == io.EOF {
					break
				}
				b.Fatal(err)
			}
		}
		src.Close()
	}
}

// BenchmarkReaderTableFilter reads the benchmark file keeping one table's
// TABLE_MAP and rows events (and every other event): the events of the other
// tables are judged by name before decoding, their checksums verified.
func BenchmarkReaderTableFilter(b *testing.B) {
	f, err := NewTableFilter([]string{"binlogkit.nums"}, nil)
	if err != nil {
		b.Fatal(err)
	}
	benchReader(b, WithFilters(f))
}

// BenchmarkReaderTableFilterSkipCRC is BenchmarkReaderTableFilter with
// SkipDroppedChecksums: dropped events cost their headers and table names.
func BenchmarkReaderTableFilterSkipCRC(b *testing.B) {
	f, err := NewTableFilter([]string{"binlogkit.nums"}, nil)
	if err != nil {
		b.Fatal(err)
	}
	benchReader(b, WithFilters(f), SkipDroppedChecksums())
}

// BenchmarkFraming measures the Source alone (framing, no checksum, no
// decoding) over the same file.
func BenchmarkFraming(b *testing.B) { benchFraming(b, false) }

// BenchmarkFramingCRC measures framing plus CRC32 verification of every
// event, without body decoding: the cost of reading a binlog trustworthily.
func BenchmarkFramingCRC(b *testing.B) { benchFraming(b, true) }

func benchFraming(b *testing.B, crc bool) {
	path, size := benchFile(b)
	ctx := context.Background()
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		src, err := OpenFile(path)
		if err != nil {
			b.Fatal(err)
		}
		first := true
		for {
			raw, err := src.ReadEvent(ctx)
			if err != nil {
				if err == io.EOF {
					break
				}
				b.Fatal(err)
			}
			if !crc || first { // the FDE has a checksum rule of its own
				first = false
				continue
			}
			n := len(raw) - event.ChecksumLen
			if event.Checksum(raw[:n]) != uint32(raw[n])|uint32(raw[n+1])<<8|uint32(raw[n+2])<<16|uint32(raw[n+3])<<24 {
				b.Fatal("checksum")
			}
		}
		src.Close()
	}
}

package mask

import (
	"context"
	"fmt"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

// Source returns a binlog.Source that yields the events of src masked by
// m, for consumers that take a Source or a *binlog.Reader rather than
// events (flashback.Flashback.Add, a binlog.Writer copying a masked binlog).
// A binlog.Reader over it reports each event's original File, Pos and
// NextPos (the Source implements binlog.Positioner and
// binlog.NextPositioner), so positions name the source file.
//
// It reads src with its own binlog.Reader (opts are passed to it; they must
// not filter out Table_maps that later rows events need). Events inside a
// TRANSACTION_PAYLOAD (MySQL binlog_transaction_compression) are yielded
// one by one in place of the payload event, each masked and, when the
// stream carries checksums, with its own checksum; the payload event itself
// is not yielded, since its compressed bytes hold the unmasked rows.
func (m *Masker) Source(src binlog.Source, opts ...binlog.Option) binlog.Source {
	opts = append(opts[:len(opts):len(opts)], binlog.WithPayloadExpansion(true))
	return &maskedSource{m: m, r: binlog.NewReader(src, opts...)}
}

type maskedSource struct {
	m         *Masker
	r         *binlog.Reader
	file      string
	pos, next uint64
	buf       []byte
}

// ReadEvent implements binlog.Source.
func (s *maskedSource) ReadEvent(ctx context.Context) ([]byte, error) {
	for {
		ev, err := s.r.Next(ctx)
		if err != nil {
			return nil, err
		}
		if _, ok := ev.Body.(*event.TransactionPayload); ok && !ev.InPayload {
			continue // its inner events follow
		}
		out, err := s.m.Apply(ev)
		if err != nil {
			return nil, err
		}
		s.file, s.pos, s.next = ev.File, ev.Pos, ev.NextPos
		if !out.InPayload {
			return out.Raw, nil
		}
		// An inner event of a payload becomes a top-level one: it needs
		// the stream's checksum.
		flat := *out
		flat.InPayload = false
		flat.Checksummed = out.Format != nil && out.Format.ChecksumAlg == event.ChecksumCRC32
		if s.buf, err = event.AppendEvent(s.buf[:0], &flat); err != nil {
			return nil, fmt.Errorf("mask: re-encoding %s in the payload at %s:%d: %w", ev.Header.Type, ev.File, ev.Pos, err)
		}
		return s.buf, nil
	}
}

// Position implements binlog.Positioner: the original position of the event
// last returned.
func (s *maskedSource) Position() (string, uint64) { return s.file, s.pos }

// NextPosition implements binlog.NextPositioner.
func (s *maskedSource) NextPosition() uint64 { return s.next }

// Tail implements binlog.Tailer.
func (s *maskedSource) Tail() (string, uint64, int) { return s.r.Tail() }

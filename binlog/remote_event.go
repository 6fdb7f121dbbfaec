package binlog

import (
	"fmt"

	"github.com/binlogkit/binlogkit/event"
)

// event checks one event from the dump, updates the position, the file and
// the transaction tracking, and reports whether it is to be returned
// (heartbeats are not).
func (s *RemoteSource) event(raw []byte) (bool, error) {
	h, err := event.ParseHeader(raw)
	if err != nil {
		return false, s.evErr(0, false, fmt.Errorf("%w: event of %d bytes", ErrTruncated, len(raw)))
	}
	if int(h.EventSize) != len(raw) {
		return false, s.evErr(h.Type, true, fmt.Errorf("%w: header says %d bytes, the packet holds %d", ErrCorrupt, h.EventSize, len(raw)))
	}
	size := uint64(len(raw))
	artificial := h.Flags&event.FlagArtificial != 0 || h.LogPos == 0
	body := raw[event.HeaderLen:]

	// Checksums, verified as the events arrive.
	if h.Type == event.FormatDescriptionEvent {
		n := event.FormatDescriptionBodyLen(body)
		alg := event.ChecksumOff
		if n < len(body) {
			alg = event.ChecksumAlg(body[n-1])
			if alg == event.ChecksumCRC32 {
				if err := verifyCRC(raw); err != nil {
					return false, s.evErr(h.Type, true, err)
				}
			}
		}
		body = body[:n]
		s.alg = alg
	} else if s.alg == event.ChecksumCRC32 {
		if len(body) < event.ChecksumLen {
			return false, s.evErr(h.Type, true, fmt.Errorf("%w: event of %d bytes has no room for its checksum", ErrCorrupt, len(raw)))
		}
		if err := verifyCRC(raw); err != nil {
			// An artificial ROTATE may come without a checksum.
			if !(h.Type == event.RotateEvent && artificial) {
				return false, s.evErr(h.Type, true, err)
			}
		} else {
			body = body[:len(body)-event.ChecksumLen]
		}
	}

	if h.Type == event.HeartbeatEvent || h.Type == event.HeartbeatEventV2 {
		return false, nil
	}

	// Position.
	switch {
	case h.Type == event.RotateEvent && artificial:
		rot, err := s.decodeBody(h.Type, body)
		if err != nil {
			return false, s.evErr(h.Type, true, err)
		}
		r := rot.(*event.Rotate)
		s.file, s.pos = string(r.NextFile), r.Position
		s.evFile, s.evPos = s.file, s.pos
	case h.Type == event.FormatDescriptionEvent && artificial:
		s.evFile, s.evPos = s.file, event.MagicLen
	case artificial:
		s.evFile, s.evPos = s.file, s.pos
	default:
		next := logPos(h.LogPos, s.pos+size)
		if next < size {
			return false, s.evErr(h.Type, true, fmt.Errorf("%w: log_pos %d is before the end of a %d-byte event", ErrCorrupt, h.LogPos, size))
		}
		s.evFile, s.evPos = s.file, next-size
		s.pos = next
	}
	if h.Type == event.FormatDescriptionEvent {
		b, err := s.decodeBody(h.Type, body)
		if err != nil {
			return false, s.evErr(h.Type, true, err)
		}
		s.fd = b.(*event.FormatDescription).Clone()
	}
	if err := s.track(h, body, artificial); err != nil {
		return false, s.evErr(h.Type, true, err)
	}
	return true, nil
}

// logPos rebuilds a 64-bit position from a 32-bit log_pos (files past 4 GiB
// wrap it), choosing the value closest to expected.
func logPos(lp uint32, expected uint64) uint64 {
	n := expected&^0xffffffff | uint64(lp)
	switch {
	case n > expected+1<<31 && n >= 1<<32:
		n -= 1 << 32
	case n+1<<31 < expected:
		n += 1 << 32
	}
	return n
}

func verifyCRC(raw []byte) error {
	n := len(raw) - event.ChecksumLen
	want := uint32(raw[n]) | uint32(raw[n+1])<<8 | uint32(raw[n+2])<<16 | uint32(raw[n+3])<<24
	if got := event.Checksum(raw[:n]); got != want {
		return fmt.Errorf("%w: stored CRC32 0x%08x, computed 0x%08x", ErrChecksum, want, got)
	}
	return nil
}

func (s *RemoteSource) evErr(t event.Type, hasType bool, err error) error {
	return &Error{File: s.file, Offset: s.pos, Type: t, HasType: hasType, PayloadOffset: -1, Err: err}
}

func (s *RemoteSource) format() *event.FormatDescription {
	if s.fd != nil {
		return s.fd
	}
	return event.DefaultFormat()
}

func (s *RemoteSource) decodeBody(t event.Type, body []byte) (event.Body, error) {
	return s.dec.Decode(s.format(), t, body)
}

// track follows transaction boundaries as the Reader's Transactions does
// (see classify) and sets the checkpoint the event would give once the
// consumer accepts it.
func (s *RemoteSource) track(h event.Header, body []byte, artificial bool) error {
	ev := event.Event{Header: h}
	switch h.Type {
	case event.QueryEvent, event.MariaQueryCompressedEvent,
		event.GTIDEvent, event.AnonymousGTIDEvent, event.GTIDTaggedEvent, event.MariaGTIDEvent,
		event.RotateEvent, event.PreviousGTIDsEvent, event.MariaGTIDListEvent:
		b, err := s.decodeBody(h.Type, body)
		if err != nil {
			return err
		}
		ev.Body = b
	case event.TransactionPayloadEvent:
		ev.Body = &event.TransactionPayload{}
	}
	if h.Type.IsRows() && s.tx != rtOpen {
		b, err := s.decodeBody(h.Type, body)
		if err != nil {
			return err
		}
		ev.Body = b
	}
	role := classify(&ev)
	boundary := false
	switch s.tx {
	case rtAfterGTID:
		switch {
		case role == roleBegin:
			s.tx = rtOpen
		case role == roleGTID:
			s.startGTID(&ev)
		case h.Type == event.RowsQueryEvent || h.Type == event.MariaAnnotateRowsEvent:
		default:
			// A statement on its own after its GTID (DDL), or a
			// compressed transaction (the payload holds it whole).
			boundary = true
		}
	case rtOpen:
		switch role {
		case roleCommit, roleRollback, roleXID:
			boundary = true
		case roleGTID:
			s.startGTID(&ev)
		}
	case rtStatement:
		switch {
		case h.Type == event.TableMapEvent:
		case h.Type.IsRows():
			if r, ok := ev.Body.(*event.Rows); ok && r.StmtEnd() {
				boundary = true
			}
		default:
			s.tx = rtNone
		}
	}
	if s.tx == rtNone && !boundary {
		switch role {
		case roleGTID:
			s.startGTID(&ev)
		case roleBegin:
			s.tx, s.txHas = rtOpen, false
		default:
			switch {
			case h.Type == event.TableMapEvent:
				s.tx, s.txHas = rtStatement, false
			case h.Type.IsRows():
				if r, ok := ev.Body.(*event.Rows); ok && r.StmtEnd() {
					boundary = true
				} else {
					s.tx, s.txHas = rtStatement, false
				}
			default:
				boundary = true
			}
		}
	}
	rot, realRotate := ev.Body.(*event.Rotate)
	realRotate = realRotate && !artificial
	if !boundary {
		if realRotate {
			s.file, s.pos = string(rot.NextFile), rot.Position
		}
		return nil
	}
	if !artificial {
		switch b := ev.Body.(type) {
		case *event.PreviousGTIDs:
			set := new(GTIDSet)
			if err := set.AddPreviousGTIDs(b); err == nil && s.cpSet == nil {
				s.pendSet = set
			}
		case *event.MariaGTIDList:
			set := new(GTIDSet)
			if err := set.AddMariaGTIDList(b); err == nil && s.cpSet == nil {
				s.pendSet = set
			}
		}
	}
	s.pend = true
	s.pendCP = Checkpoint{File: s.file, Pos: s.pos}
	s.pendG, s.pendHas = s.txGTID, s.txHas && s.tx != rtNone
	if realRotate {
		// The next file starts where the ROTATE says.
		s.file, s.pos = string(rot.NextFile), rot.Position
		s.pendCP = Checkpoint{File: s.file, Pos: s.pos}
	}
	s.tx, s.txHas = rtNone, false
	return nil
}

func (s *RemoteSource) startGTID(ev *event.Event) {
	s.tx = rtAfterGTID
	if g, ok := ev.Body.(*event.MariaGTID); ok && !g.Standalone() {
		s.tx = rtOpen
	}
	s.txGTID, s.txHas = GTIDFromEvent(ev.Body, ev.Header.ServerID)
}

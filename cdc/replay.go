package cdc

import (
	"encoding/binary"
	"fmt"
	"io"
	"time"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// replay walks the events of a committed transaction out of the spool and
// turns its rows into Changes.
type replay struct {
	active bool
	txID   string
	gtid   string
	file   string
	thread uint32
	format *event.FormatDescription
	order  int

	// The rows event being delivered.
	it      rowcodec.RowIter
	rows    *event.Rows
	info    *tableInfo
	kind    event.RowsKind
	rowIdx  int
	hdr     recHeader
	query   []byte
	inRows  bool
	pending *Change // a change to return before reading on (a snapshot's rows)
}

type recHeader struct {
	typ      event.Type
	flags    uint16
	ts       uint32
	serverID uint32
	pos      uint64
	nextPos  uint64
}

func parseRecHeader(rec []byte) (recHeader, []byte) {
	return recHeader{
		typ:      event.Type(rec[0]),
		flags:    binary.LittleEndian.Uint16(rec[1:]),
		ts:       binary.LittleEndian.Uint32(rec[3:]),
		serverID: binary.LittleEndian.Uint32(rec[7:]),
		pos:      binary.LittleEndian.Uint64(rec[11:]),
		nextPos:  binary.LittleEndian.Uint64(rec[19:]),
	}, rec[recHeaderLen:]
}

func (s *Stream) startReplay() error {
	if err := s.spool.rewind(); err != nil {
		return err
	}
	rp := &s.rp
	*rp = replay{active: true, gtid: s.tx.gtidText, file: s.tx.file, thread: s.tx.threadID, format: s.tx.format, query: rp.query[:0]}
	if s.tx.gtidText != "" {
		rp.txID = s.tx.gtidText
	} else {
		rp.txID = fmt.Sprintf("%s:%d", s.tx.file, s.tx.pos)
	}
	clear(s.txOrders)
	return nil
}

// replayNext returns the next change of the transaction being replayed, its
// OpCommit after the last, or nil when the replay is over.
func (s *Stream) replayNext() (*Change, error) {
	rp := &s.rp
	for {
		if rp.pending != nil {
			c := rp.pending
			rp.pending = nil
			return c, nil
		}
		if rp.inRows {
			if rp.it.Next() {
				c, err := s.rowChange()
				if err != nil {
					return nil, err
				}
				rp.rowIdx++
				if c != nil {
					return c, nil
				}
				continue
			}
			if err := rp.it.Err(); err != nil {
				return nil, fmt.Errorf("cdc: %s: at byte %d (%s): %w", rp.file, rp.hdr.pos, rp.hdr.typ, err)
			}
			rp.inRows = false
		}
		rec, err := s.spool.next()
		if err == io.EOF {
			return s.endReplay()
		}
		if err != nil {
			return nil, err
		}
		h, body := parseRecHeader(rec)
		rp.hdr = h
		b, err := s.dec.Decode(rp.format, h.typ, body)
		if err != nil {
			return nil, fmt.Errorf("cdc: %s: at byte %d (%s): %w", rp.file, h.pos, h.typ, err)
		}
		switch b := b.(type) {
		case *event.TableMap:
			if _, err := s.tables.Update(b); err != nil {
				return nil, fmt.Errorf("cdc: %s: at byte %d (%s): %w", rp.file, h.pos, h.typ, err)
			}
		case *event.MariaAnnotateRows:
			rp.query = append(rp.query[:0], b.Query...)
		case *event.RowsQuery:
			rp.query = append(rp.query[:0], b.Query...)
		case *event.Query:
			c, err := s.replayQuery(b)
			if err != nil {
				return nil, err
			}
			if c != nil {
				return c, nil
			}
		case *event.Rows:
			if err := s.startRows(b); err != nil {
				return nil, err
			}
		}
	}
}

func (s *Stream) startRows(b *event.Rows) error {
	rp := &s.rp
	if b.IsCompressed() {
		if err := b.Decompress(); err != nil {
			return fmt.Errorf("cdc: %s: at byte %d (%s): %w", rp.file, rp.hdr.pos, rp.hdr.typ, err)
		}
	}
	t := s.tables.Table(b.TableID)
	if t == nil {
		return fmt.Errorf("cdc: %s: at byte %d (%s): %w for table id %d", rp.file, rp.hdr.pos, rp.hdr.typ, rowcodec.ErrNoTableMap, b.TableID)
	}
	info, err := s.tableInfo(t)
	if err != nil {
		return fmt.Errorf("cdc: %s: at byte %d (%s): %w", rp.file, rp.hdr.pos, rp.hdr.typ, err)
	}
	if info.skip {
		return nil
	}
	n := len(t.Columns)
	if cap(s.before) < n {
		s.before = make([]rowcodec.Value, n)
		s.aft = make([]rowcodec.Value, n)
	}
	rp.rows, rp.info, rp.kind, rp.rowIdx = b, info, b.Kind(), 0
	rp.it = t.Rows(b, s.before[:n], s.aft[:n])
	rp.inRows = true
	return nil
}

// rowChange builds the Change of the row the iterator just decoded (nil
// when it is not delivered: a watermark, or a snapshot's bookkeeping).
func (s *Stream) rowChange() (*Change, error) {
	rp := &s.rp
	info := rp.info
	if info.watermark {
		if s.snap != nil && rp.it.After != nil {
			if err := s.snap.watermark(info, rp.it.After); err != nil {
				return nil, err
			}
		}
		return nil, nil
	}
	c := &s.change
	*c = Change{Database: info.db, Table: info.name, Columns: info.cols, Key: info.key}
	switch rp.kind {
	case event.RowsWrite:
		c.Op, c.After = OpInsert, rp.it.After
	case event.RowsUpdate:
		c.Op, c.Before, c.After = OpUpdate, rp.it.Before, rp.it.After
	case event.RowsDelete:
		c.Op, c.Before = OpDelete, rp.it.Before
	default:
		return nil, nil
	}
	if s.snap != nil && !s.snap.observe(info, c) {
		return nil, nil // covered by a snapshot read still to come
	}
	s.fillSource(c, info)
	return c, nil
}

func (s *Stream) fillSource(c *Change, info *tableInfo) {
	rp := &s.rp
	rp.order++
	s.txOrders[info]++
	c.Source = Source{
		File: rp.file, Pos: rp.hdr.pos, NextPos: rp.hdr.nextPos, GTID: rp.gtid, ServerID: rp.hdr.serverID,
		Time: time.Unix(int64(rp.hdr.ts), 0).UTC(), Row: rp.rowIdx, ThreadID: rp.thread,
	}
	if len(rp.query) > 0 {
		c.Source.Query = rp.query
	}
	c.Tx = TxInfo{ID: rp.txID, Order: rp.order, TableOrder: s.txOrders[info]}
}

// replayQuery applies a DDL statement of the transaction to the schema
// history and returns the OpTruncate change of a TRUNCATE.
func (s *Stream) replayQuery(q *event.Query) (*Change, error) {
	rp := &s.rp
	st := q.Statement()
	if st.Kind != event.StatementDDL {
		return nil, nil
	}
	if err := s.hist.apply(string(q.Schema), string(q.Query)); err != nil {
		s.log.Warn("cdc: the schema history could not read a DDL statement; Table_maps with column names are unaffected",
			"file", rp.file, "pos", rp.hdr.pos, "err", err)
	}
	if st.Verb != event.DDLTruncate {
		return nil, nil
	}
	db, name, ok := truncateTarget(string(q.Schema), q.Query)
	if !ok || !s.filter.Match(db, name) {
		return nil, nil
	}
	info := s.namedInfo(db, name)
	if info.watermark {
		return nil, nil
	}
	c := &s.change
	*c = Change{Op: OpTruncate, Database: info.db, Table: info.name}
	if s.snap != nil {
		s.snap.truncated(info)
	}
	rp.query = append(rp.query[:0], q.Query...)
	s.fillSource(c, info)
	return c, nil
}

func (s *Stream) endReplay() (*Change, error) {
	rp := &s.rp
	s.spool.reset()
	rp.active = false
	n := rp.order
	s.tx = txState{gtidText: rp.gtid}
	if s.snap != nil {
		s.snap.txEnd()
		if s.snap.emitting() {
			// The chunk's rows follow, then one OpCommit for both.
			s.rp.order = n
			return nil, nil
		}
	}
	if n == 0 && !(s.cfg.IdleCommit > 0 && time.Since(s.lastIdle) >= s.cfg.IdleCommit) {
		return nil, nil
	}
	return s.commitChange(n), nil
}

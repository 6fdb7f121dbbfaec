package flashback

import (
	"encoding/binary"
	"fmt"
	"iter"
	"os"
	"slices"
	"sync"

	"github.com/binlogkit/binlogkit/event"
)

// The spill file is a sequence of segments, one per rollback transaction:
// the event records of the transaction, in the order they were produced,
// then a trailer describing the segment, then 12 bytes: the trailer's length
// (4) and the records' length (8). Reading the file from its end therefore
// finds the last transaction first. The trailer gives the records' offsets
// from the segment's start, so a segment reads the same wherever it is:
// AddParallel's workers build segments in memory, and they are appended to
// the file as they are.
//
// An event record is: type (1), timestamp (4), server id (4), header flags
// (2), original position (8), original end position (8), rows (4), body
// length (4), then the body encoded with the rollback format.

const recHeaderLen = 1 + 4 + 4 + 2 + 8 + 8 + 4 + 4

type segment struct {
	start     int64
	file      string
	pos       uint64
	endPos    uint64
	gtid      string
	timestamp uint32
	serverID  uint32
	xid       uint64
	hasXID    bool
	begin     int64 // offset of the BEGIN record, -1 when none
	maps      []int64
	tableIDs  []uint64
	rows      []int64
}

func (s *segment) reset(file string, pos uint64, start int64) {
	*s = segment{start: start, file: file, pos: pos, begin: -1,
		maps: s.maps[:0], tableIDs: s.tableIDs[:0], rows: s.rows[:0]}
}

func (s *segment) hasTable(id uint64) bool { return slices.Contains(s.tableIDs, id) }

// spill writes one event record and returns its offset.
func (fb *Flashback) spill(h event.Header, b event.Body, rows uint32, pos, next uint64) (int64, error) {
	var err error
	h.Type = b.EventType()
	fb.buf = appendRecordHead(fb.buf[:0], h, rows, pos, next)
	fb.buf, err = b.AppendBody(fb.buf, fb.outFmt)
	if err != nil {
		return 0, fmt.Errorf("flashback: %s:%d: encoding: %w", fb.seg.file, pos, err)
	}
	return fb.writeRecord()
}

// appendRecordHead appends the header of an event record of type h.Type,
// its body length left for writeRecord to set.
func appendRecordHead(b []byte, h event.Header, rows uint32, pos, next uint64) []byte {
	b = append(b, byte(h.Type))
	b = binary.LittleEndian.AppendUint32(b, h.Timestamp)
	b = binary.LittleEndian.AppendUint32(b, h.ServerID)
	b = binary.LittleEndian.AppendUint16(b, h.Flags)
	b = binary.LittleEndian.AppendUint64(b, pos)
	b = binary.LittleEndian.AppendUint64(b, next)
	b = binary.LittleEndian.AppendUint32(b, rows)
	return append(b, 0, 0, 0, 0)
}

// writeRecord writes the record in fb.buf and returns its offset.
func (fb *Flashback) writeRecord() (int64, error) {
	binary.LittleEndian.PutUint32(fb.buf[recHeaderLen-4:], uint32(len(fb.buf)-recHeaderLen))
	off := fb.off
	return off, fb.write(fb.buf)
}

// mapRegistry numbers the table definitions of Table_map records (see
// Flashback.addTableMap). It is safe for concurrent use.
type mapRegistry struct {
	mu   sync.Mutex
	ids  map[string]uint32
	maps []*event.TableMap // by number, table id 0
}

// id returns the number of the definition whose body without table id is
// key (tm's), numbering it if new.
func (r *mapRegistry) id(key []byte, tm *event.TableMap) uint32 {
	r.mu.Lock()
	defer r.mu.Unlock()
	if id, ok := r.ids[string(key)]; ok {
		return id
	}
	if r.ids == nil {
		r.ids = make(map[string]uint32)
	}
	c := tm.Clone()
	c.TableID = 0
	id := uint32(len(r.maps))
	r.maps = append(r.maps, c)
	r.ids[string(key)] = id
	return id
}

// get returns definition id, nil when there is none.
func (r *mapRegistry) get(id uint32) *event.TableMap {
	r.mu.Lock()
	defer r.mu.Unlock()
	if int(id) >= len(r.maps) {
		return nil
	}
	return r.maps[id]
}

// write appends b to the spill file, or to mem for a worker of AddParallel.
func (fb *Flashback) write(b []byte) error {
	fb.off += int64(len(b))
	if fb.shard {
		fb.mem = append(fb.mem, b...)
		return nil
	}
	if _, err := fb.w.Write(b); err != nil {
		return fmt.Errorf("flashback: spill file: %w", err)
	}
	return nil
}

func appendStr(b []byte, s string) []byte {
	b = binary.LittleEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

// appendOffs appends offs as offsets from start.
func appendOffs(b []byte, offs []int64, start int64) []byte {
	b = binary.LittleEndian.AppendUint32(b, uint32(len(offs)))
	for _, o := range offs {
		b = binary.LittleEndian.AppendUint64(b, uint64(o-start))
	}
	return b
}

// finishSegment writes the current segment's trailer.
func (fb *Flashback) finishSegment() error {
	s := &fb.seg
	b := fb.buf[:0]
	b = appendStr(b, s.file)
	b = binary.LittleEndian.AppendUint64(b, s.pos)
	b = binary.LittleEndian.AppendUint64(b, s.endPos)
	b = appendStr(b, s.gtid)
	b = binary.LittleEndian.AppendUint32(b, s.timestamp)
	b = binary.LittleEndian.AppendUint32(b, s.serverID)
	b = binary.LittleEndian.AppendUint64(b, s.xid)
	if s.hasXID {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	begin := int64(-1)
	if s.begin >= 0 {
		begin = s.begin - s.start
	}
	b = binary.LittleEndian.AppendUint64(b, uint64(begin))
	b = appendOffs(b, s.maps, s.start)
	b = appendOffs(b, s.rows, s.start)
	n := len(b)
	b = binary.LittleEndian.AppendUint32(b, uint32(n))
	b = binary.LittleEndian.AppendUint64(b, uint64(fb.off-s.start))
	fb.buf = b
	return fb.write(b)
}

// trailerReader parses a trailer.
type trailerReader struct {
	b   []byte
	err bool
}

func (r *trailerReader) u32() uint32 {
	if len(r.b) < 4 {
		r.err = true
		return 0
	}
	v := binary.LittleEndian.Uint32(r.b)
	r.b = r.b[4:]
	return v
}

func (r *trailerReader) u64() uint64 {
	if len(r.b) < 8 {
		r.err = true
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

func (r *trailerReader) str() string {
	n := int(r.u32())
	if n > len(r.b) {
		r.err = true
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

// offs reads offsets from the start of a segment of size bytes into dst,
// as file offsets (start added).
func (r *trailerReader) offs(dst []int64, start, size int64) []int64 {
	n := int(r.u32())
	if n*8 > len(r.b) {
		r.err = true
		return dst
	}
	for range n {
		o := int64(r.u64())
		if o < 0 || o >= size {
			r.err = true
		}
		dst = append(dst, start+o)
	}
	return dst
}

// Tx is one rollback transaction as the outputs see it: where the original
// transaction was, and its inverted events.
type Tx struct {
	// File, Pos and EndPos locate the original transaction.
	File        string
	Pos, EndPos uint64
	// GTID is the original transaction's GTID ("" when none).
	GTID      string
	Timestamp uint32
	ServerID  uint32
	// XID is the original XID when HasXID.
	XID    uint64
	HasXID bool

	fb    *Flashback
	begin int64
	maps  []int64
	rows  []int64
	buf   []byte
	dec   event.Decoder
	tms   []*event.TableMap
	tmBuf [][]byte
	// seg is the transaction's segment of the spill file, read in one go
	// when it is not too big (segStart: its offset); nil otherwise.
	seg      []byte
	segStart int64
}

// Record is one event of a rollback transaction: its header (Type, Timestamp,
// ServerID and Flags), decoded body, the position of the original event it
// undoes (Pos, NextPos) and, for rows events, the number of rows.
type Record struct {
	Header       event.Header
	Body         event.Body
	Pos, NextPos uint64
	Rows         int
}

// readRecord reads the record at off: from the transaction's segment when
// Transactions loaded it, else into scratch (grown as needed). body is valid
// until the next transaction, or until scratch is used again.
func (tx *Tx) readRecord(off int64, scratch []byte) (rec Record, body, newScratch []byte, err error) {
	fb := tx.fb
	var hdr []byte
	if rel := off - tx.segStart; tx.seg != nil && rel >= 0 && rel+recHeaderLen <= int64(len(tx.seg)) {
		hdr = tx.seg[rel : rel+recHeaderLen]
		n := int64(binary.LittleEndian.Uint32(hdr[recHeaderLen-4:]))
		if rel+recHeaderLen+n > int64(len(tx.seg)) {
			return Record{}, nil, scratch, fmt.Errorf("flashback: spill file corrupt")
		}
		body = tx.seg[rel+recHeaderLen : rel+recHeaderLen+n : rel+recHeaderLen+n]
	} else {
		var h [recHeaderLen]byte
		if _, err := fb.f.ReadAt(h[:], off); err != nil {
			return Record{}, nil, scratch, fmt.Errorf("flashback: spill file: %w", err)
		}
		hdr = h[:]
		n := binary.LittleEndian.Uint32(hdr[recHeaderLen-4:])
		if cap(scratch) < int(n) {
			scratch = make([]byte, n)
		}
		body = scratch[:n]
		if _, err := fb.f.ReadAt(body, off+recHeaderLen); err != nil {
			return Record{}, nil, scratch, fmt.Errorf("flashback: spill file: %w", err)
		}
	}
	rec = Record{
		Header: event.Header{
			Type:      event.Type(hdr[0]),
			Timestamp: binary.LittleEndian.Uint32(hdr[1:]),
			ServerID:  binary.LittleEndian.Uint32(hdr[5:]),
			Flags:     binary.LittleEndian.Uint16(hdr[9:]),
		},
		Pos:     binary.LittleEndian.Uint64(hdr[11:]),
		NextPos: binary.LittleEndian.Uint64(hdr[19:]),
		Rows:    int(binary.LittleEndian.Uint32(hdr[27:])),
	}
	return rec, body, scratch, nil
}

// Begin returns the original BEGIN statement's record, if any.
func (tx *Tx) Begin() (Record, bool, error) {
	if tx.begin < 0 {
		return Record{}, false, nil
	}
	rec, b, scratch, err := tx.readRecord(tx.begin, tx.buf)
	tx.buf = scratch
	if err != nil {
		return rec, false, err
	}
	body, err := tx.dec.Decode(tx.fb.outFmt, rec.Header.Type, b)
	if err != nil {
		return rec, false, fmt.Errorf("flashback: spill file: %w", err)
	}
	rec.Body = body
	return rec, true, nil
}

// TableMaps returns the Table_maps the transaction's rows events refer to,
// one per table id, in the order the original transaction had them. They
// stay valid until the next transaction and must not be modified: a
// Table_map the transactions before this one had is the same value.
func (tx *Tx) TableMaps() ([]Record, error) {
	recs := make([]Record, 0, len(tx.maps))
	tx.tms = tx.tms[:0]
	for i, off := range tx.maps {
		if len(tx.tmBuf) <= i {
			tx.tmBuf = append(tx.tmBuf, nil)
		}
		rec, b, scratch, err := tx.readRecord(off, tx.tmBuf[i])
		tx.tmBuf[i] = scratch
		if err != nil {
			return nil, err
		}
		tm, err := tx.fb.tableMap(b)
		if err != nil {
			return nil, err
		}
		rec.Body = tm
		tx.tms = append(tx.tms, tm)
		recs = append(recs, rec)
	}
	return recs, nil
}

// tableMap returns the Table_map whose record body is b: its definition's
// number and table id (see Flashback.addTableMap), made into a Table_map
// once: neighbouring rollback transactions mostly have the same Table_maps.
// At most maxTableMapCache are kept.
func (fb *Flashback) tableMap(b []byte) (*event.TableMap, error) {
	if tm := fb.tmCache[string(b)]; tm != nil {
		return tm, nil
	}
	var def *event.TableMap
	if len(b) == 12 {
		def = fb.reg.get(binary.LittleEndian.Uint32(b))
	}
	if def == nil {
		return nil, fmt.Errorf("flashback: spill file corrupt")
	}
	tm := new(event.TableMap)
	*tm = *def // its slices are shared, never modified
	tm.TableID = binary.LittleEndian.Uint64(b[4:])
	if fb.tmCache == nil || len(fb.tmCache) >= maxTableMapCache {
		fb.tmCache = make(map[string]*event.TableMap)
	}
	fb.tmCache[string(b)] = tm
	return tm, nil
}

// maxTableMapCache bounds Flashback.tableMap's cache.
const maxTableMapCache = 256

// Table returns the Table_map of id among those TableMaps returned.
func (tx *Tx) Table(id uint64) *event.TableMap {
	for _, tm := range tx.tms {
		if tm.TableID == id {
			return tm
		}
	}
	return nil
}

// NumRowsEvents returns the number of rows events of the transaction.
func (tx *Tx) NumRowsEvents() int { return len(tx.rows) }

// RowsEvents yields the inverted rows events, last original first. Each
// body is valid until the loop body returns. The STMT_END flag is not set:
// the writer sets it on the last one.
func (tx *Tx) RowsEvents() iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		for i := len(tx.rows) - 1; i >= 0; i-- {
			rec, b, scratch, err := tx.readRecord(tx.rows[i], tx.buf)
			tx.buf = scratch
			if err == nil {
				rec.Body, err = tx.dec.Decode(tx.fb.outFmt, rec.Header.Type, b)
				if err != nil {
					err = fmt.Errorf("flashback: spill file: %w", err)
				}
			}
			if !yield(rec, err) || err != nil {
				return
			}
		}
	}
}

// Transactions yields the rollback transactions, the last original
// transaction first. A Tx is valid until the loop body returns.
func (fb *Flashback) Transactions() iter.Seq2[*Tx, error] {
	return func(yield func(*Tx, error) bool) {
		if fb.f == nil {
			yield(nil, fmt.Errorf("flashback: closed"))
			return
		}
		if err := fb.w.Flush(); err != nil {
			yield(nil, err)
			return
		}
		tx := &Tx{fb: fb}
		br := backReader{f: fb.f, size: bufSize(fb.opts.MemoryBudget)}
		end := fb.off
		for end > 0 {
			if end < 12 {
				yield(nil, fmt.Errorf("flashback: spill file corrupt"))
				return
			}
			tail, err := br.read(end-12, 12)
			if err != nil {
				yield(nil, fmt.Errorf("flashback: spill file: %w", err))
				return
			}
			n := int64(binary.LittleEndian.Uint32(tail[:]))
			size := int64(binary.LittleEndian.Uint64(tail[4:]))
			if n > end-12 || size < 0 || size > end-12-n {
				yield(nil, fmt.Errorf("flashback: spill file corrupt"))
				return
			}
			tb, err := br.read(end-12-n, n)
			if err != nil {
				yield(nil, fmt.Errorf("flashback: spill file: %w", err))
				return
			}
			r := trailerReader{b: tb}
			tx.File = r.str()
			tx.Pos = r.u64()
			tx.EndPos = r.u64()
			tx.GTID = r.str()
			tx.Timestamp = r.u32()
			tx.ServerID = r.u32()
			tx.XID = r.u64()
			if len(r.b) > 0 {
				tx.HasXID = r.b[0] == 1
				r.b = r.b[1:]
			}
			start := end - 12 - n - size
			tx.begin = int64(r.u64())
			if tx.begin >= size {
				r.err = true
			} else if tx.begin >= 0 {
				tx.begin += start
			}
			tx.maps = r.offs(tx.maps[:0], start, size)
			tx.rows = r.offs(tx.rows[:0], start, size)
			tx.tms = tx.tms[:0]
			if r.err {
				yield(nil, fmt.Errorf("flashback: spill file corrupt"))
				return
			}
			// The transaction's records are read in one go when they fit a
			// sixteenth of the budget (with the segments before them, as
			// the file is read backwards in blocks); else record by record.
			tx.seg = nil
			if size := end - 12 - n - start; size > 0 && size <= fb.opts.MemoryBudget/16 {
				if tx.seg, err = br.read(start, size); err != nil {
					yield(nil, fmt.Errorf("flashback: spill file: %w", err))
					return
				}
				tx.segStart = start
			}
			if !yield(tx, nil) {
				return
			}
			end = start
		}
	}
}

// backReader reads the spill file from its end towards its start in blocks
// of size bytes, so that the small segments of a range cost one read per
// block rather than three per segment.
type backReader struct {
	f    *os.File
	size int
	buf  []byte // the file's bytes from off on
	off  int64
	big  []byte // a read larger than a block
}

// read returns the n bytes at off, valid until the next call.
func (r *backReader) read(off, n int64) ([]byte, error) {
	if off >= r.off && off+n <= r.off+int64(len(r.buf)) {
		return r.buf[off-r.off : off-r.off+n], nil
	}
	if n > int64(r.size) {
		if int64(cap(r.big)) < n {
			r.big = make([]byte, n)
		}
		b := r.big[:n]
		_, err := r.f.ReadAt(b, off)
		return b, err
	}
	// The block that ends where the read does, for the reads before it.
	start := max(off+n-int64(r.size), 0)
	if cap(r.buf) < r.size {
		r.buf = make([]byte, r.size)
	}
	r.buf = r.buf[:off+n-start]
	if _, err := r.f.ReadAt(r.buf, start); err != nil {
		r.buf = r.buf[:0]
		return nil, err
	}
	r.off = start
	return r.buf[off-start : off-start+n], nil
}

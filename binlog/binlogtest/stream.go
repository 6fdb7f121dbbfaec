package binlogtest

import (
	"bytes"
	"fmt"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/internal/mysqlproto"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// Column describes one column of a fabricated table.
type Column struct {
	Name string
	// Type is the column type code as logged (e.g. 3 for INT, 15 for
	// VARCHAR, 246 for DECIMAL, 18 for DATETIME(N), 252 for BLOB/TEXT, 245
	// for JSON).
	Type event.ColumnType
	// Meta is the type's metadata (VARCHAR: max bytes; DECIMAL:
	// precision<<8|scale; DATETIME2: fsp; BLOB: length bytes; …).
	Meta     uint32
	Nullable bool
	Unsigned bool
	// Precision is, for the old TIME (11), DATETIME (12) and TIMESTAMP (7)
	// codes, the fractional-seconds precision of the column's definition:
	// 1–6 write MariaDB's older "hires" formats, which the Table_map does
	// not show (it logs no metadata for these types); 0 the old formats.
	Precision int
}

// Stream builds one binlog file event by event: sizes, end_log_pos and
// CRC32 checksums are filled in. Methods return the Stream for chaining;
// the first error is kept and reported by Bytes and File.
type Stream struct {
	flavor   event.Flavor
	serverID uint32
	ts       uint32
	buf      bytes.Buffer
	w        *binlog.Writer
	err      error

	uuid   [16]byte
	gno    int64
	domain uint32
	seq    uint64
	xid    uint64
	tables rowcodec.Tables
	maps   map[uint64]*event.TableMap
}

// NewStream starts a file as a MySQL 8.0 (flavor event.MySQL) or MariaDB
// 10.11 (event.MariaDB) server with server id 1 would write it, with CRC32
// checksums.
func NewStream(flavor event.Flavor) *Stream {
	version := "8.0.40-binlogtest"
	if flavor == event.MariaDB {
		version = "10.11.99-MariaDB-binlogtest-log"
	}
	s := &Stream{flavor: flavor, serverID: 1, ts: uint32(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).Unix()),
		maps: map[uint64]*event.TableMap{}}
	s.uuid = [16]byte{0x3e, 0x11, 0xfa, 0x47, 0x71, 0xca, 0x11, 0xe1, 0x9e, 0x33, 0xc8, 0x0a, 0xa9, 0x42, 0x95, 0x62}
	fd := event.NewFormatDescription(version, event.ChecksumCRC32)
	fd.CreateTimestamp = s.ts
	s.w = binlog.NewWriter(&s.buf)
	s.err = s.w.WriteBody(event.Header{Timestamp: s.ts, ServerID: s.serverID}, fd)
	return s
}

// SetTime sets the timestamp of the events that follow.
func (s *Stream) SetTime(t time.Time) *Stream { s.ts = uint32(t.Unix()); return s }

// Pos returns the position the next event will start at.
func (s *Stream) Pos() uint64 { return s.w.Pos() }

// Event appends any event body.
func (s *Stream) Event(b event.Body) *Stream {
	if s.err == nil {
		s.err = s.w.WriteBody(event.Header{Timestamp: s.ts, ServerID: s.serverID}, b)
	}
	return s
}

// GTID appends the next GTID: for MySQL a GTID event of UUID
// 3e11fa47-71ca-11e1-9e33-c80aa9429562 with the next GNO, for MariaDB a
// GTID event 0-1-N (standalone when the transaction is a single DDL
// statement).
func (s *Stream) GTID(standalone bool) *Stream {
	if s.flavor == event.MariaDB {
		s.seq++
		g := &event.MariaGTID{SeqNo: s.seq, Domain: s.domain}
		if standalone {
			g.Flags = event.MariaGTIDStandalone
		} else {
			g.Flags = event.MariaGTIDTransactional
		}
		return s.Event(g)
	}
	s.gno++
	return s.Event(&event.GTID{Type: event.GTIDEvent, SID: s.uuid, GNO: s.gno,
		HasLogicalClock: true, LogicalClockType: 2, LastCommitted: s.gno - 1, SequenceNumber: s.gno})
}

// LastGTID returns the text of the GTID last appended.
func (s *Stream) LastGTID() string {
	if s.flavor == event.MariaDB {
		return fmt.Sprintf("%d-%d-%d", s.domain, s.serverID, s.seq)
	}
	g := binlog.GTID{Flavor: event.MySQL, UUID: s.uuid, GNO: uint64(s.gno)}
	return g.String()
}

// Query appends a QUERY event running sql in database db.
func (s *Stream) Query(db, sql string) *Stream {
	return s.Event(&event.Query{Schema: []byte(db), Query: []byte(sql)})
}

// XID appends the commit of a transaction (XID event).
func (s *Stream) XID() *Stream {
	s.xid++
	return s.Event(&event.XID{XID: s.xid})
}

// DDL appends a GTID and a standalone statement.
func (s *Stream) DDL(db, sql string) *Stream { return s.GTID(true).Query(db, sql) }

// TableMap appends a TABLE_MAP binding id to db.table with the given
// columns, with column names and signedness in its optional metadata.
func (s *Stream) TableMap(id uint64, db, table string, cols ...Column) *Stream {
	tm := &event.TableMap{TableID: id, Flags: 1, Schema: []byte(db), Table: []byte(table), ColumnCount: uint64(len(cols))}
	tm.NullBitmap = make([]byte, (len(cols)+7)/8)
	var names, sign []byte
	nnum := 0
	for i, c := range cols {
		tm.ColumnTypes = append(tm.ColumnTypes, byte(c.Type))
		tm.Metadata = event.AppendColumnMeta(tm.Metadata, c.Type, c.Meta)
		if c.Nullable {
			tm.NullBitmap[i/8] |= 1 << (i % 8)
		}
		names = mysqlproto.AppendLenEncString(names, c.Name)
		switch c.Type {
		case 1, 2, 3, 4, 5, 8, 9, 246:
			if nnum%8 == 0 {
				sign = append(sign, 0)
			}
			if c.Unsigned {
				sign[nnum/8] |= 0x80 >> (nnum % 8)
			}
			nnum++
		}
	}
	if nnum > 0 {
		tm.Optional = append(tm.Optional, event.OptionalField{Type: event.OptSignedness, Value: sign})
	}
	tm.Optional = append(tm.Optional, event.OptionalField{Type: event.OptColumnName, Value: names})
	if s.err != nil {
		return s
	}
	// Round-trip through the encoder so the Table sees what a reader sees.
	b, err := tm.AppendBody(nil, event.DefaultFormat())
	if err != nil {
		s.err = err
		return s
	}
	dec := new(event.TableMap)
	if err := dec.DecodeBody(event.DefaultFormat(), event.TableMapEvent, b); err != nil {
		s.err = err
		return s
	}
	tab, err := s.tables.Update(dec)
	if err != nil {
		s.err = fmt.Errorf("binlogtest: table %s.%s: %w", db, table, err)
		return s
	}
	for i, c := range cols {
		if err := tab.SetPrecision(i, c.Precision); err != nil {
			s.err = fmt.Errorf("binlogtest: table %s.%s: %w", db, table, err)
			return s
		}
	}
	s.maps[id] = dec
	return s.Event(dec)
}

// Insert appends a WRITE_ROWS event of the mapped table id with the rows
// given, one []rowcodec.Value per row with a value per column.
func (s *Stream) Insert(id uint64, rows ...[]rowcodec.Value) *Stream {
	rr := make([]rowcodec.Row, len(rows))
	for i, r := range rows {
		rr[i].After = r
	}
	return s.rows(event.WriteRowsEventV2, id, rr)
}

// Update appends an UPDATE_ROWS event: each Row holds a before and an after
// image.
func (s *Stream) Update(id uint64, rows ...rowcodec.Row) *Stream {
	return s.rows(event.UpdateRowsEventV2, id, rows)
}

// PartialUpdate appends a PARTIAL_UPDATE_ROWS event, as MySQL writes an
// UPDATE with binlog_row_value_options=PARTIAL_JSON: each Row holds a full
// before image and an after image whose JSON columns may hold diffs
// (rowcodec.JSONDiffValue) instead of documents.
func (s *Stream) PartialUpdate(id uint64, rows ...rowcodec.Row) *Stream {
	return s.rows(event.PartialUpdateRowsEvent, id, rows)
}

// Delete appends a DELETE_ROWS event of the rows given.
func (s *Stream) Delete(id uint64, rows ...[]rowcodec.Value) *Stream {
	rr := make([]rowcodec.Row, len(rows))
	for i, r := range rows {
		rr[i].Before = r
	}
	return s.rows(event.DeleteRowsEventV2, id, rr)
}

func (s *Stream) rows(t event.Type, id uint64, rows []rowcodec.Row) *Stream {
	if s.err != nil {
		return s
	}
	tab, tm := s.tables.Table(id), s.maps[id]
	if tab == nil {
		s.err = fmt.Errorf("binlogtest: rows for table id %d before its TableMap", id)
		return s
	}
	n := int(tm.ColumnCount)
	all := bytes.Repeat([]byte{0xff}, (n+7)/8)
	if n%8 != 0 {
		all[len(all)-1] = byte(1<<(n%8)) - 1
	}
	r := &event.Rows{Type: t, TableID: id, Flags: event.RowsFlagStmtEnd, ColumnCount: uint64(n), ExtraData: []byte{}}
	if t != event.WriteRowsEventV2 {
		r.ColumnsBefore = all
	}
	if t != event.DeleteRowsEventV2 {
		r.ColumnsAfter = all
	}
	data, err := tab.AppendRowsData(nil, r, rows)
	if err != nil {
		s.err = fmt.Errorf("binlogtest: rows of table id %d: %w", id, err)
		return s
	}
	r.Data = data
	return s.Event(r)
}

// Rotate appends a ROTATE to the next file, which ends this one.
func (s *Stream) Rotate(next string) *Stream {
	return s.Event(&event.Rotate{Position: 4, NextFile: []byte(next)})
}

// Bytes returns the file built so far, or the first error met.
func (s *Stream) Bytes() ([]byte, error) {
	if s.err != nil {
		return nil, s.err
	}
	return bytes.Clone(s.buf.Bytes()), nil
}

// File returns the file built so far under name.
func (s *Stream) File(name string) (File, error) {
	b, err := s.Bytes()
	return File{Name: name, Data: b}, err
}

// Begin opens a transaction: a GTID and, for MySQL, a BEGIN query (a
// MariaDB GTID event stands for BEGIN). End it with XID.
func (s *Stream) Begin() *Stream {
	s.GTID(false)
	if s.flavor == event.MySQL {
		s.Query("", "BEGIN")
	}
	return s
}

// NextFile starts the file that follows this one: a new Stream of the same
// flavor whose GTIDs and XIDs continue this one's numbering. End this one
// with Rotate first when it should name the next file.
func (s *Stream) NextFile() *Stream {
	n := NewStream(s.flavor)
	n.ts, n.gno, n.seq, n.xid, n.domain = s.ts, s.gno, s.seq, s.xid, s.domain
	return n
}

package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
	"github.com/binlogkit/binlogkit/schema"
	"github.com/binlogkit/binlogkit/sqlgen"
	"github.com/go-mysql-org/go-mysql/replication"
	"github.com/shopspring/decimal"
)

type config struct {
	path       string
	size       int64
	keep       string // "db.table" kept by the filter workload
	jsonTables string // pattern of the JSON-heavy workload's tables
	sqlBytes   [2]int64
	workers    int // goroutines of the parallel workloads (0: GOMAXPROCS)
	batchBytes int // event bytes per batch of the parallel workloads (0: default)
}

type workload struct {
	name    string
	kit, gm func() (result, error)
}

func workloadNames() []string {
	return []string{"framing", "decode", "filter", "json", "compressed", "sql"}
}

func workloads(c *config) []workload {
	return []workload{
		{"framing", c.kitFraming, c.gmFraming},
		{"decode", func() (result, error) { return c.kitDecode(nil, false, false) }, func() (result, error) { return c.gmDecode(nil) }},
		{"filter", func() (result, error) { return c.kitDecode([]string{c.keep}, false, false) }, func() (result, error) { return c.gmDecode([]string{c.keep}) }},
		{"json", func() (result, error) { return c.kitDecode([]string{c.jsonTables}, true, false) }, func() (result, error) { return c.gmDecode([]string{c.jsonTables}) }},
		{"compressed", func() (result, error) { return c.kitDecode(nil, false, true) }, c.gmCompressed},
		{"sql", c.kitSQL, c.gmSQL},
	}
}

// ---- binlogkit ----

func (c *config) kitFraming() (result, error) {
	var res result
	src, err := binlog.OpenFile(c.path)
	if err != nil {
		return res, err
	}
	defer src.Close()
	ctx := context.Background()
	crc := false
	for {
		raw, err := src.ReadEvent(ctx)
		if err == io.EOF {
			return res, nil
		} else if err != nil {
			return res, err
		}
		res.events++
		if raw[4] == byte(event.FormatDescriptionEvent) {
			body := raw[event.HeaderLen:]
			n := event.FormatDescriptionBodyLen(body)
			crc = n < len(body) && event.ChecksumAlg(body[n-1]) == event.ChecksumCRC32
			continue
		}
		if crc {
			n := len(raw) - event.ChecksumLen
			if event.Checksum(raw[:n]) != binary.LittleEndian.Uint32(raw[n:]) {
				return res, fmt.Errorf("checksum mismatch in event %d", res.events)
			}
		}
	}
}

// kitDecode reads every event with a Reader and decodes every row of the
// rows events kept by include (nil: all) into []rowcodec.Value; with json,
// JSON values are also rendered as text; with onlyPayload, only the rows
// of events inside compressed transactions are decoded.
func (c *config) kitDecode(include []string, json, onlyPayload bool) (result, error) {
	var res result
	src, err := binlog.OpenFile(c.path)
	if err != nil {
		return res, err
	}
	defer src.Close()
	// Without a table filter every event read is returned and counted in
	// the loop; with one, a filter before it counts the events it drops.
	var opts []binlog.Option
	if include != nil {
		opts = append(opts, binlog.WithFilters(&eventCounter{n: &res.events}))
		tf, err := binlog.NewTableFilter(include, nil)
		if err != nil {
			return res, err
		}
		// The table filter judges TABLE_MAP and rows events by name before
		// they are decoded; the checksums of the events it drops are not
		// verified (those it keeps are).
		opts = append(opts, binlog.WithFilters(tf), binlog.SkipDroppedChecksums())
	}
	r := binlog.NewReader(src, opts...)
	var d kitRows
	ctx := context.Background()
	for {
		ev, err := r.Next(ctx)
		if err == io.EOF {
			return res, nil
		} else if err != nil {
			return res, err
		}
		if include == nil {
			res.events++
		}
		if _, rows := ev.Body.(*event.Rows); rows && onlyPayload && !ev.InPayload {
			continue
		}
		n, err := d.event(ev, json)
		res.rows += n
		if err != nil {
			return res, err
		}
	}
}

// kitRows decodes the rows of the events it is given, as a consumer of a
// Reader does: a rowcodec.Tables fed by each TABLE_MAP, and value buffers
// reused for every row.
type kitRows struct {
	tables        rowcodec.Tables
	before, after []rowcodec.Value
	text          []byte
}

// event handles one event and returns how many rows it decoded; with json,
// every JSON value of those rows is also rendered as text.
func (d *kitRows) event(ev *event.Event, json bool) (rows int64, err error) {
	switch b := ev.Body.(type) {
	case *event.TableMap:
		_, err := d.tables.Update(b)
		return 0, err
	case *event.Rows:
		t := d.tables.Table(b.TableID)
		if t == nil {
			return 0, fmt.Errorf("position %d: no table map for table id %d", ev.Pos, b.TableID)
		}
		if n := len(t.Columns); cap(d.before) < n {
			d.before, d.after = make([]rowcodec.Value, n), make([]rowcodec.Value, n)
		}
		it := t.Rows(b, d.before, d.after)
		for it.Next() {
			rows++
			if !json {
				continue
			}
			for i := range t.Columns {
				if t.Columns[i].Type != event.ColumnTypeJSON {
					continue
				}
				for _, img := range [][]rowcodec.Value{it.Before, it.After} {
					if img != nil && !img[i].IsNull() {
						if d.text, err = img[i].AppendJSONText(d.text[:0]); err != nil {
							return rows, err
						}
					}
				}
			}
		}
		if err := it.Err(); err != nil {
			return rows, fmt.Errorf("position %d: %w", ev.Pos, err)
		}
	}
	return rows, nil
}

// eventCounter counts every event the Reader reads. It is an
// binlog.EarlyFilter, so that it does not stop the table filter after it
// from judging events before they are decoded.
type eventCounter struct{ n *int64 }

func (c *eventCounter) Keep(*event.Event) bool { *c.n++; return true }

func (c *eventCounter) KeepEarly(*event.Event, *binlog.TableName) (bool, bool) {
	*c.n++
	return true, true
}

var stmtEnd = []byte(";\n")

// rowStatements counts the statements of SQL text, those that frame
// transactions (BEGIN, COMMIT, ROLLBACK) aside: one per row.
func rowStatements(sql []byte) int64 {
	var n int64
	for {
		i := bytes.Index(sql, stmtEnd)
		if i < 0 {
			return n
		}
		if s := sql[:i]; !frame(s, "BEGIN") && !frame(s, "COMMIT") && !frame(s, "ROLLBACK") {
			n++
		}
		sql = sql[i+len(stmtEnd):]
	}
}

// eventStatements counts the statements of one rows event's SQL: one per
// line (a raw newline ends every statement, strings escape theirs), less
// the BEGIN a transaction's first statement carries. One byte count, as
// cheap as the count inside the timed run can be.
func eventStatements(sql []byte) int64 {
	n := int64(bytes.Count(sql, newline))
	if bytes.HasPrefix(sql, beginLine) {
		n--
	}
	return n
}

var newline, beginLine = []byte("\n"), []byte("BEGIN;\n")

// frame reports whether the statement that ends s is the line w: one pass
// over the output, not one per kind (the count is inside the timed run).
func frame(s []byte, w string) bool {
	return len(s) >= len(w) && string(s[len(s)-len(w):]) == w && (len(s) == len(w) || s[len(s)-len(w)-1] == '\n')
}

func (c *config) kitSQL() (result, error) {
	var res result
	src, err := binlog.OpenFile(c.path)
	if err != nil {
		return res, err
	}
	defer src.Close()
	r := binlog.NewReader(src)
	g := sqlgen.New(schema.NewMetadata(), sqlgen.Options{FullColumns: true, NoComments: true, AllowUnknownGenerated: true})
	var out []byte
	ctx := context.Background()
	var total int64
	for {
		ev, err := r.Next(ctx)
		if err == io.EOF {
			c.sqlBytes[0] = total
			return res, nil
		} else if err != nil {
			return res, err
		}
		res.events++
		if out, err = g.AppendEvent(out[:0], ev); err != nil {
			return res, err
		}
		total += int64(len(out))
		if _, ok := ev.Body.(*event.Rows); ok {
			res.rows += eventStatements(out)
		}
	}
}

// ---- go-mysql ----

func (c *config) gmFraming() (result, error) {
	var res result
	p := replication.NewBinlogParser()
	p.SetRawMode(true)
	p.SetVerifyChecksum(true)
	err := p.ParseFile(c.path, 0, func(*replication.BinlogEvent) error { res.events++; return nil })
	return res, err
}

func rowCount(re *replication.RowsEvent) int64 {
	if re.Type() == replication.EnumRowsEventTypeUpdate {
		return int64(len(re.Rows) / 2)
	}
	return int64(len(re.Rows))
}

// gmCount counts an event and the events inside a transaction payload, and
// the rows of the rows events among them.
func gmCount(res *result, e *replication.BinlogEvent, rows bool) {
	res.events++
	switch b := e.Event.(type) {
	case *replication.RowsEvent:
		if rows {
			res.rows += rowCount(b)
		}
	case *replication.TransactionPayloadEvent:
		for _, in := range b.Events {
			gmCount(res, in, true)
		}
	}
}

// matcher caches path.Match of "db.table" names against patterns.
type matcher struct {
	pats  []string
	cache map[string]bool
}

func (m *matcher) keep(db, table []byte) bool {
	name := string(db) + "." + string(table)
	k, ok := m.cache[name]
	if !ok {
		for _, p := range m.pats {
			if ok, _ := path.Match(p, name); ok {
				k = true
			}
		}
		m.cache[name] = k
	}
	return k
}

// gmDecode is go-mysql's default parse (rows as [][]any, JSON as text);
// with include, a rows-event decode function decodes only the rows of the
// kept tables (the cheapest equivalent of a table filter it offers) and
// optional metadata of table maps is not decoded.
func (c *config) gmDecode(include []string) (result, error) {
	var res result
	p := replication.NewBinlogParser()
	p.SetVerifyChecksum(true)
	if include != nil {
		m := &matcher{pats: include, cache: map[string]bool{}}
		p.SetTableMapOptionalMetaDecodeFunc(func([]byte) error { return nil })
		p.SetRowsEventDecodeFunc(func(re *replication.RowsEvent, data []byte) error {
			pos, err := re.DecodeHeader(data)
			if err != nil {
				return err
			}
			if !m.keep(re.Table.Schema, re.Table.Table) {
				return nil
			}
			return re.DecodeData(pos, data)
		})
	}
	err := p.ParseFile(c.path, 0, func(e *replication.BinlogEvent) error { gmCount(&res, e, true); return nil })
	return res, err
}

// typeTracker follows the event framing of the bytes go-mysql reads, so
// that its rows-event decode function knows whether it runs inside a
// TRANSACTION_PAYLOAD (outer event type 40).
type typeTracker struct {
	r       io.Reader
	hdr     [event.HeaderLen]byte
	nhdr    int
	left    int64
	curType byte
}

func (t *typeTracker) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	b := p[:n]
	for len(b) > 0 {
		if t.left > 0 {
			k := int64(len(b))
			if k > t.left {
				k = t.left
			}
			t.left -= k
			b = b[k:]
			continue
		}
		k := copy(t.hdr[t.nhdr:], b)
		t.nhdr += k
		b = b[k:]
		if t.nhdr == event.HeaderLen {
			t.curType = t.hdr[4]
			t.left = int64(binary.LittleEndian.Uint32(t.hdr[9:])) - event.HeaderLen
			t.nhdr = 0
		}
	}
	return n, err
}

// gmCompressed decodes only the rows inside compressed transactions: rows
// events outside them are left undecoded by a decode function.
func (c *config) gmCompressed() (result, error) {
	var res result
	f, err := os.Open(c.path)
	if err != nil {
		return res, err
	}
	defer f.Close()
	var magic [4]byte
	if _, err := io.ReadFull(f, magic[:]); err != nil {
		return res, err
	}
	tr := &typeTracker{r: f}
	p := replication.NewBinlogParser()
	p.SetVerifyChecksum(true)
	p.SetRowsEventDecodeFunc(func(re *replication.RowsEvent, data []byte) error {
		if tr.curType != byte(replication.TRANSACTION_PAYLOAD_EVENT) {
			return nil
		}
		return re.Decode(data)
	})
	err = p.ParseReader(tr, func(e *replication.BinlogEvent) error { gmCount(&res, e, false); return nil })
	return res, err
}

// gmSQL turns go-mysql's rows into INSERT/UPDATE/DELETE statements with
// strings.Builder and strconv/fmt: all columns in INSERT and SET, WHERE on
// the primary key (every column when there is none).
func (c *config) gmSQL() (result, error) {
	var res result
	p := replication.NewBinlogParser()
	p.SetVerifyChecksum(true)
	var sb strings.Builder
	var total int64
	var rowsEv func(e *replication.BinlogEvent)
	rowsEv = func(e *replication.BinlogEvent) {
		res.events++
		switch b := e.Event.(type) {
		case *replication.TransactionPayloadEvent:
			for _, in := range b.Events {
				rowsEv(in)
			}
		case *replication.RowsEvent:
			sb.Reset()
			res.rows += gmRowsSQL(&sb, b)
			total += int64(sb.Len())
		}
	}
	err := p.ParseFile(c.path, 0, func(e *replication.BinlogEvent) error { rowsEv(e); return nil })
	c.sqlBytes[1] = total
	return res, err
}

func gmRowsSQL(sb *strings.Builder, re *replication.RowsEvent) int64 {
	tm := re.Table
	names := tm.ColumnNameString()
	if len(names) == 0 {
		return 0
	}
	table := "`" + string(tm.Schema) + "`.`" + string(tm.Table) + "`"
	where := func(row []any) {
		sb.WriteString(" WHERE ")
		cols := tm.PrimaryKey
		if len(cols) == 0 {
			for i := range row {
				cols = append(cols, uint64(i))
			}
		}
		for k, i := range cols {
			if k > 0 {
				sb.WriteString(" AND ")
			}
			fmt.Fprintf(sb, "`%s`=", names[i])
			writeValue(sb, row[i])
		}
	}
	var n int64
	switch re.Type() {
	case replication.EnumRowsEventTypeInsert:
		for _, row := range re.Rows {
			sb.WriteString("INSERT INTO " + table + " (")
			for i := range row {
				if i > 0 {
					sb.WriteString(", ")
				}
				fmt.Fprintf(sb, "`%s`", names[i])
			}
			sb.WriteString(") VALUES (")
			for i, v := range row {
				if i > 0 {
					sb.WriteString(", ")
				}
				writeValue(sb, v)
			}
			sb.WriteString(");\n")
			n++
		}
	case replication.EnumRowsEventTypeUpdate:
		for r := 0; r+1 < len(re.Rows); r += 2 {
			sb.WriteString("UPDATE " + table + " SET ")
			for i, v := range re.Rows[r+1] {
				if i > 0 {
					sb.WriteString(", ")
				}
				fmt.Fprintf(sb, "`%s`=", names[i])
				writeValue(sb, v)
			}
			where(re.Rows[r])
			sb.WriteString(";\n")
			n++
		}
	case replication.EnumRowsEventTypeDelete:
		for _, row := range re.Rows {
			sb.WriteString("DELETE FROM " + table)
			where(row)
			sb.WriteString(";\n")
			n++
		}
	}
	return n
}

func writeQuoted(sb *strings.Builder, s string) {
	sb.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; ch {
		case 0:
			sb.WriteString(`\0`)
		case '\n':
			sb.WriteString(`\n`)
		case '\r':
			sb.WriteString(`\r`)
		case 0x1a:
			sb.WriteString(`\Z`)
		case '\'', '\\':
			sb.WriteByte('\\')
			sb.WriteByte(ch)
		default:
			sb.WriteByte(ch)
		}
	}
	sb.WriteByte('\'')
}

func writeValue(sb *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		sb.WriteString("NULL")
	case int8, int16, int32, int64, int, uint8, uint16, uint32, uint64:
		fmt.Fprint(sb, x)
	case float32:
		sb.WriteString(strconv.FormatFloat(float64(x), 'g', -1, 32))
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			sb.WriteString("NULL")
		} else {
			sb.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
		}
	case string:
		writeQuoted(sb, x)
	case []byte:
		writeQuoted(sb, string(x))
	case decimal.Decimal:
		sb.WriteString(x.String())
	case time.Time:
		writeQuoted(sb, x.Format("2006-01-02 15:04:05.999999"))
	default:
		writeQuoted(sb, fmt.Sprint(x))
	}
}

// pickTable returns the table whose row data (in the first 64 MB of it) is
// closest to a twentieth of all row data, for the filter workload.
func pickTable(file string) (string, error) {
	src, err := binlog.OpenFile(file)
	if err != nil {
		return "", err
	}
	defer src.Close()
	r := binlog.NewReader(src)
	counts := map[string]int{}
	total := 0
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			return "", err
		}
		if rows, ok := ev.Body.(*event.Rows); ok && ev.Table != nil {
			counts[string(ev.Table.Schema)+"."+string(ev.Table.Table)] += len(rows.Data)
			total += len(rows.Data)
		}
		if total > 64<<20 {
			break
		}
	}
	if len(counts) == 0 {
		return "", fmt.Errorf("%s: no rows events", file)
	}
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	best := names[0]
	for _, n := range names {
		if math.Abs(float64(counts[n])-float64(total)/20) < math.Abs(float64(counts[best])-float64(total)/20) {
			best = n
		}
	}
	return best, nil
}

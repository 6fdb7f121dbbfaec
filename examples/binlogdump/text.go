package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"reflect"
	"sort"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// textDumper prints events in the layout of
// `mysqlbinlog -vv --base64-output=decode-rows`. It holds what the rendering
// carries across events (the default database last printed with `use`).
type textDumper struct {
	w   *bufio.Writer
	loc *time.Location
	buf []byte // scratch for one line
	// header is a comment line that starts the output (the zone of the
	// times), if not empty.
	header string

	db []byte // the default database last printed with "use"
	// hold, when not nil, means the database in use before these events
	// is not known (a batch of a parallel dump): the first "use" line is
	// not written, its place and database are kept in hold instead.
	hold *heldUse
	rows *rowDecoder // with -v: print row images

	inPayload  bool   // inside a run of TRANSACTION_PAYLOAD inner events
	payloadPos uint64 // Pos of that payload event

	// The row images of a MySQL statement's rows events before its last
	// (STMT_END_F) one: mysqlbinlog prints them all after that one's
	// header.
	pending  bytes.Buffer
	pendingW *bufio.Writer
}

func newTextDumper(w *bufio.Writer, loc *time.Location) *textDumper {
	return &textDumper{w: w, loc: loc}
}

func (d *textDumper) begin() error {
	d.w.WriteString(d.header)
	_, err := d.w.WriteString("/*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=1*/;\n" +
		"/*!40019 SET @@session.max_delayed_threads=0*/;\n" +
		"/*!50003 SET @OLD_COMPLETION_TYPE=@@COMPLETION_TYPE,COMPLETION_TYPE=0*/;\n" +
		"DELIMITER /*!*/;\n")
	return err
}

func (d *textDumper) end() error {
	d.flushPending()
	d.endPayload()
	_, err := d.w.WriteString("DELIMITER ;\n" +
		"# End of log file\n" +
		"ROLLBACK /* added by mysqlbinlog */;\n" +
		"/*!50003 SET COMPLETION_TYPE=@OLD_COMPLETION_TYPE*/;\n" +
		"/*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=0*/;\n")
	return err
}

// flushPending writes row images held for a statement's end that did not
// come (the input stopped inside the statement).
func (d *textDumper) flushPending() {
	if h := d.hold; h != nil && h.flushAt < 0 {
		// Images held before this batch of a parallel dump go here.
		d.w.Flush()
		h.flushAt = len(h.out.b)
	}
	if d.pending.Len() > 0 {
		d.w.Write(d.pending.Bytes())
		d.pending.Reset()
	}
}

// endPayload closes a run of inner events.
func (d *textDumper) endPayload() {
	if d.inPayload {
		d.w.WriteString("# End of compressed events!\n")
		d.inPayload = false
	}
}

// event prints "# at POS", the header line up to the tab before the type word,
// and then hands over to writeTextBody. Events unpacked from a
// TRANSACTION_PAYLOAD are framed by "# Start of compressed events!" and
// "# End of compressed events!" and, as mysqlbinlog shows them, placed at the
// payload's end position, with the checksum each would have on its own.
func (d *textDumper) event(ev *event.Event) error {
	if _, ok := ev.Body.(*event.Rows); !ok && ev.Header.Type != event.TableMapEvent {
		d.flushPending()
	}
	if ev.InPayload {
		if !d.inPayload || d.payloadPos != ev.Pos {
			d.endPayload()
			d.w.WriteString("# Start of compressed events!\n")
			d.inPayload, d.payloadPos = true, ev.Pos
		}
	} else {
		d.endPayload()
	}
	b := d.buf[:0]
	b = append(b, "# at "...)
	at, endPos := ev.Pos, uint64(ev.Header.LogPos)
	if ev.InPayload {
		at, endPos = ev.NextPos, ev.NextPos
	}
	b = strconv.AppendUint(b, at, 10)
	b = append(b, "\n#"...)
	b = appendHeaderTime(b, ev.Header.Timestamp, d.loc)
	b = append(b, " server id "...)
	b = strconv.AppendUint(b, uint64(ev.Header.ServerID), 10)
	b = append(b, "  end_log_pos "...)
	b = strconv.AppendUint(b, endPos, 10)
	if crc, ok := headerChecksum(ev); ok {
		b = append(b, " CRC32 0x"...)
		b = appendHex32(b, crc)
	}
	b = append(b, " \t"...)
	d.buf = b
	if _, err := d.w.Write(b); err != nil {
		return err
	}
	return d.writeTextBody(d.w, ev)
}

// writeTextBody writes the rest of the header line — mysqlbinlog's type word
// and its summary, e.g. "Rotate to mysql-bin.000002  pos: 4" — followed by
// "\n" and the lines that show the body: SQL, SET statements, "### " row
// images, "# " comments. Types without a case of their own print their type
// word and every exported field generically.
func (d *textDumper) writeTextBody(w *bufio.Writer, ev *event.Event) error {
	switch b := ev.Body.(type) {
	case *event.FormatDescription:
		d.writeStart(w, ev, b.BinlogVersion, b.Version(), b.CreateTimestamp)
	case *event.StartV3:
		v := b.ServerVersion
		for len(v) > 0 && v[len(v)-1] == 0 {
			v = v[:len(v)-1]
		}
		d.writeStart(w, ev, b.BinlogVersion, string(v), b.CreateTimestamp)
	case *event.Query:
		l := append(d.buf[:0], "Query\tthread_id="...)
		l = strconv.AppendUint(l, uint64(b.ThreadID), 10)
		l = append(l, "\texec_time="...)
		l = strconv.AppendUint(l, uint64(b.ExecTime), 10)
		l = append(l, "\terror_code="...)
		l = strconv.AppendUint(l, uint64(b.ErrorCode), 10)
		l = append(l, "\txid="...)
		l = strconv.AppendUint(l, b.Status.XID, 10)
		d.buf = append(l, '\n')
		w.Write(d.buf)
		if h := d.hold; h != nil && h.at < 0 && len(b.Schema) > 0 {
			w.Flush()
			h.at = len(h.out.b)
			h.db = append(h.db[:0], b.Schema...)
			d.db = append(d.db[:0], b.Schema...)
		} else if len(b.Schema) > 0 && string(b.Schema) != string(d.db) {
			d.db = append(d.db[:0], b.Schema...)
			w.WriteString("use ")
			w.Write(rowcodec.AppendIdent(d.buf[:0], b.Schema))
			w.WriteString("/*!*/;\n")
		}
		l = append(d.buf[:0], "SET TIMESTAMP="...)
		l = strconv.AppendUint(l, uint64(ev.Header.Timestamp), 10)
		if b.Status.Has(event.QMicroseconds) {
			l = append(l, '.')
			l = appendPadded(l, uint64(b.Status.Microseconds), 6)
		}
		d.buf = append(l, "/*!*/;\n"...)
		w.Write(d.buf)
		w.Write(b.Query)
		w.WriteString("\n/*!*/;\n")
	case *event.Rotate:
		fmt.Fprintf(w, "Rotate to %s  pos: %d\n", b.NextFile, b.Position)
	case *event.XID:
		l := append(d.buf[:0], "Xid = "...)
		l = strconv.AppendUint(l, b.XID, 10)
		d.buf = append(l, "\nCOMMIT/*!*/;\n"...)
		w.Write(d.buf)
	case *event.Intvar:
		w.WriteString("Intvar\n")
		name := "INSERT_ID"
		if b.Kind == event.IntvarLastInsertID {
			name = "LAST_INSERT_ID"
		}
		fmt.Fprintf(w, "SET %s=%d/*!*/;\n", name, b.Value)
	case *event.Rand:
		fmt.Fprintf(w, "Rand\nSET @@RAND_SEED1=%d, @@RAND_SEED2=%d/*!*/;\n", b.Seed1, b.Seed2)
	case *event.GTID:
		if b.Anonymous() {
			w.WriteString("Anonymous_GTID")
		} else {
			w.WriteString("GTID")
		}
		l := d.buf[:0]
		if b.HasLogicalClock {
			l = append(l, "\tlast_committed="...)
			l = strconv.AppendInt(l, b.LastCommitted, 10)
			l = append(l, "\tsequence_number="...)
			l = strconv.AppendInt(l, b.SequenceNumber, 10)
		}
		if b.HasTransactionLength {
			l = append(l, "\ttransaction_length="...)
			l = strconv.AppendUint(l, b.TransactionLength, 10)
		}
		if b.Anonymous() {
			l = append(l, "\nSET @@SESSION.GTID_NEXT= 'ANONYMOUS'/*!*/;\n"...)
		} else {
			l = append(l, "\nSET @@SESSION.GTID_NEXT= '"...)
			l = append(l, b.String()...)
			l = append(l, "'/*!*/;\n"...)
		}
		d.buf = l
		w.Write(l)
	case *event.MariaGTID:
		l := append(d.buf[:0], "GTID "...)
		l = event.AppendMariaGTID(l, b.Domain, ev.Header.ServerID, b.SeqNo)
		if b.Flags&event.MariaGTIDGroupCommitID != 0 {
			l = append(l, " cid="...)
			l = strconv.AppendUint(l, b.CommitID, 10)
		}
		if !b.Standalone() {
			l = append(l, " trans"...)
		}
		l = append(l, "\n/*!100001 SET @@session.gtid_domain_id="...)
		l = strconv.AppendUint(l, uint64(b.Domain), 10)
		l = append(l, "*//*!*/;\n/*!100001 SET @@session.server_id="...)
		l = strconv.AppendUint(l, uint64(ev.Header.ServerID), 10)
		l = append(l, "*//*!*/;\n/*!100001 SET @@session.gtid_seq_no="...)
		l = strconv.AppendUint(l, b.SeqNo, 10)
		l = append(l, "*//*!*/;\n"...)
		if !b.Standalone() {
			l = append(l, "START TRANSACTION\n/*!*/;\n"...)
		}
		d.buf = l
		w.Write(l)
	case *event.MariaGTIDList:
		fmt.Fprintf(w, "Gtid list [%s]\n", b.AppendText(nil))
	case *event.MariaBinlogCheckpoint:
		fmt.Fprintf(w, "Binlog checkpoint %s\n", b.File)
	case *event.PreviousGTIDs:
		fmt.Fprintf(w, "Previous-GTIDs\n# %s\n", b.AppendText(nil))
	case *event.MariaAnnotateRows:
		w.WriteString("Annotate_rows:\n")
		writeCommentedSQL(w, "#Q> ", b.Query)
	case *event.RowsQuery:
		w.WriteString("Rows_query\n")
		writeCommentedSQL(w, "# ", b.Query)
	case *event.TableMap:
		l := append(d.buf[:0], "Table_map: "...)
		l = rowcodec.AppendIdent(l, b.Schema)
		l = append(l, '.')
		l = rowcodec.AppendIdent(l, b.Table)
		l = append(l, " mapped to number "...)
		l = strconv.AppendUint(l, b.TableID, 10)
		d.buf = append(l, '\n')
		w.Write(d.buf)
		d.writeColumns(w, b)
	case *event.Rows:
		l := append(d.buf[:0], typeWord(ev.Header.Type)...)
		l = append(l, ": table id "...)
		l = strconv.AppendUint(l, b.TableID, 10)
		l = appendRowsFlags(l, ev, b.Flags)
		d.buf = append(l, '\n')
		w.Write(d.buf)
		if d.rows != nil {
			if ev.Format != nil && ev.Format.Flavor() == event.MariaDB {
				return d.rows.writeRows(w, ev)
			}
			// mysqlbinlog prints the rows of a statement's rows events
			// after the header of its last one.
			if !b.StmtEnd() {
				if d.pendingW == nil {
					d.pendingW = bufio.NewWriter(&d.pending)
				}
				err := d.rows.writeRows(d.pendingW, ev)
				d.pendingW.Flush()
				return err
			}
			d.flushPending()
			return d.rows.writeRows(w, ev)
		}
		if ev.Table != nil {
			fmt.Fprintf(w, "# %s rows on ", b.Kind())
			w.Write(rowcodec.AppendIdent(d.buf[:0], ev.Table.Schema))
			w.WriteByte('.')
			w.Write(rowcodec.AppendIdent(d.buf[:0], ev.Table.Table))
			fmt.Fprintf(w, ": %d bytes of row images (-v prints them)\n", len(b.Data))
		}
	case *event.Unknown:
		switch t := ev.Header.Type; {
		case t.Known():
			w.WriteString(typeWord(t))
			w.WriteByte('\n')
		case ev.Header.Flags&event.FlagIgnorable != 0:
			fmt.Fprintf(w, "Ignorable\n# Ignorable event type %d\n", t)
		default:
			fmt.Fprintf(w, "Unknown\n# Unknown event type %d\n", t)
		}
		if len(b.Data) > 0 {
			d.buf = fmt.Appendf(d.buf[:0], "#   Data (%d bytes, not decoded): ", len(b.Data))
			d.buf = appendTextBytes(d.buf, b.Data)
			d.buf = append(d.buf, '\n')
			w.Write(d.buf)
		}
	default:
		w.WriteString(typeWord(ev.Header.Type))
		w.WriteByte('\n')
		d.writeGenericBody(w, ev.Body)
	}
	return nil
}

// writeColumns prints a table map's columns, one comment line each.
func (d *textDumper) writeColumns(w *bufio.Writer, t *event.TableMap) {
	names, hasNames := t.ColumnNames()
	l := d.buf[:0]
	for i := 0; i < int(t.ColumnCount); i++ {
		typ, array := t.ColumnType(i)
		l = append(l, "#   @"...)
		l = strconv.AppendInt(l, int64(i+1), 10)
		if hasNames {
			if n, ok := names.Next(); ok {
				l = append(l, ' ')
				l = rowcodec.AppendIdent(l, n)
			}
		}
		l = append(l, ' ')
		l = append(l, typ.String()...)
		if array {
			l = append(l, " ARRAY"...)
		}
		if m := t.ColumnMeta(i); m != 0 {
			l = append(l, " meta="...)
			l = strconv.AppendUint(l, uint64(m), 10)
		}
		if !t.Nullable(i) {
			l = append(l, " NOT NULL"...)
		}
		l = append(l, '\n')
	}
	d.buf = l
	w.Write(l)
}

// writeCommentedSQL prints a statement with each line behind prefix.
func writeCommentedSQL(w *bufio.Writer, prefix string, sql []byte) {
	for len(sql) > 0 {
		line := sql
		if i := indexByte(sql, '\n'); i >= 0 {
			line, sql = sql[:i], sql[i+1:]
		} else {
			sql = nil
		}
		w.WriteString(prefix)
		w.Write(line)
		w.WriteByte('\n')
	}
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

// writeStart prints a FORMAT_DESCRIPTION or START_V3 as mysqlbinlog does.
func (d *textDumper) writeStart(w *bufio.Writer, ev *event.Event, binlogVersion uint16, serverVersion string, created uint32) {
	when := created
	if when == 0 {
		when = ev.Header.Timestamp
	}
	b := append(d.buf[:0], "Start: binlog v "...)
	b = strconv.AppendUint(b, uint64(binlogVersion), 10)
	b = append(b, ", server v "...)
	b = append(b, serverVersion...)
	b = append(b, " created "...)
	b = appendHeaderTime(b, when, d.loc)
	if created != 0 {
		b = append(b, " at startup"...)
	}
	b = append(b, '\n')
	if ev.Header.Flags&event.FlagBinlogInUse != 0 {
		b = append(b, "# Warning: this binlog is either in use or was not closed properly.\n"...)
	}
	if created != 0 {
		b = append(b, "ROLLBACK/*!*/;\n"...)
	}
	d.buf = b
	w.Write(b)
}

// writeGenericBody prints one "#   Field: value" line per exported field of
// the struct behind body (or one "#   value" line for a non-struct body).
func (d *textDumper) writeGenericBody(w *bufio.Writer, body event.Body) {
	if body == nil {
		return
	}
	v := reflect.ValueOf(body)
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		d.buf = appendTextValue(append(d.buf[:0], "#   "...), v, 0)
		d.buf = append(d.buf, '\n')
		w.Write(d.buf)
		return
	}
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		b := append(d.buf[:0], "#   "...)
		b = append(b, f.Name...)
		b = append(b, ": "...)
		b = appendTextValue(b, v.Field(i), 0)
		b = append(b, '\n')
		d.buf = b
		w.Write(b)
	}
}

// Bounds of the generic text form.
const (
	maxTextBytes = 256 // bytes of a []byte shown
	maxTextElems = 16  // elements of a slice or map shown
	maxTextDepth = 4   // nesting of structs and slices
)

var stringerType = reflect.TypeFor[fmt.Stringer]()

// appendTextValue appends a short human form of v: numbers, text as a quoted
// string, binary as hex, slices as [a b …], structs as {Name: v …}; long
// values are cut with a note of their full length.
func appendTextValue(b []byte, v reflect.Value, depth int) []byte {
	if !v.IsValid() {
		return append(b, "<nil>"...)
	}
	if depth > maxTextDepth {
		return append(b, "…"...)
	}
	if v.CanInterface() && v.Type().Implements(stringerType) && v.Kind() != reflect.Struct || isStringerStruct(v) {
		if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
			return append(b, "<nil>"...)
		}
		s := v.Interface().(fmt.Stringer).String()
		if isInteger(v.Kind()) {
			// Enums: name and number.
			b = append(b, s...)
			b = append(b, " ("...)
			b = appendInteger(b, v)
			return append(b, ')')
		}
		return appendTextBytes(b, []byte(s))
	}
	switch v.Kind() {
	case reflect.Bool:
		return strconv.AppendBool(b, v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return appendInteger(b, v)
	case reflect.Float32, reflect.Float64:
		return strconv.AppendFloat(b, v.Float(), 'g', -1, v.Type().Bits())
	case reflect.String:
		return appendTextBytes(b, []byte(v.String()))
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return append(b, "<nil>"...)
		}
		return appendTextValue(b, v.Elem(), depth+1)
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return appendTextBytes(b, byteSlice(v))
		}
		if v.Kind() == reflect.Slice && v.IsNil() {
			return append(b, "[]"...)
		}
		b = append(b, '[')
		n := v.Len()
		for i := 0; i < n && i < maxTextElems; i++ {
			if i > 0 {
				b = append(b, ' ')
			}
			b = appendTextValue(b, v.Index(i), depth+1)
		}
		if n > maxTextElems {
			b = fmt.Appendf(b, " … %d elements", n)
		}
		return append(b, ']')
	case reflect.Map:
		b = append(b, "map["...)
		keys := v.MapKeys()
		sortValues(keys)
		for i, k := range keys {
			if i == maxTextElems {
				b = fmt.Appendf(b, " … %d entries", len(keys))
				break
			}
			if i > 0 {
				b = append(b, ' ')
			}
			b = appendTextValue(b, k, depth+1)
			b = append(b, ':')
			b = appendTextValue(b, v.MapIndex(k), depth+1)
		}
		return append(b, ']')
	case reflect.Struct:
		b = append(b, '{')
		t := v.Type()
		first := true
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			if !first {
				b = append(b, ", "...)
			}
			first = false
			b = append(b, f.Name...)
			b = append(b, ": "...)
			b = appendTextValue(b, v.Field(i), depth+1)
		}
		return append(b, '}')
	}
	return fmt.Appendf(b, "<%s>", v.Type())
}

// isStringerStruct reports a struct (or pointer to one) that formats itself
// with String, such as a GTID.
func isStringerStruct(v reflect.Value) bool {
	if !v.CanInterface() {
		return false
	}
	k := v.Kind()
	if k == reflect.Pointer && !v.IsNil() {
		k = v.Elem().Kind()
	}
	return k == reflect.Struct && v.Type().Implements(stringerType)
}

func isInteger(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return true
	}
	return false
}

func appendInteger(b []byte, v reflect.Value) []byte {
	if v.CanInt() {
		return strconv.AppendInt(b, v.Int(), 10)
	}
	return strconv.AppendUint(b, v.Uint(), 10)
}

// byteSlice returns the bytes of a []byte-like slice or a byte array.
func byteSlice(v reflect.Value) []byte {
	if v.Kind() == reflect.Slice {
		return v.Bytes()
	}
	out := make([]byte, v.Len())
	for i := range out {
		out[i] = byte(v.Index(i).Uint())
	}
	return out
}

// isText reports bytes that read as text: valid UTF-8 with no control
// characters other than tab, newline and carriage return.
func isText(p []byte) bool {
	for len(p) > 0 {
		r, n := utf8.DecodeRune(p)
		if r == utf8.RuneError && n <= 1 {
			return false
		}
		if r != '\t' && r != '\n' && r != '\r' && !unicode.IsPrint(r) && !unicode.IsSpace(r) {
			return false
		}
		p = p[n:]
	}
	return true
}

// appendTextBytes appends p as a quoted string when it is text, else as hex;
// at most maxTextBytes are shown.
func appendTextBytes(b, p []byte) []byte {
	if !isText(p) {
		return appendHexBounded(b, p, maxTextBytes)
	}
	cut := len(p) > maxTextBytes
	q := p
	if cut {
		q = p[:maxTextBytes]
		for len(q) > 0 && !utf8.Valid(q) { // do not split a character
			q = q[:len(q)-1]
		}
	}
	b = strconv.AppendQuote(b, string(q))
	if cut {
		b = fmt.Appendf(b, "… (%d bytes)", len(p))
	}
	return b
}

// appendHexBounded appends 0x-prefixed hex of at most max bytes of p.
func appendHexBounded(b, p []byte, max int) []byte {
	if len(p) == 0 {
		return append(b, `""`...)
	}
	b = append(b, "0x"...)
	if len(p) <= max {
		return hex.AppendEncode(b, p)
	}
	b = hex.AppendEncode(b, p[:max])
	return fmt.Appendf(b, "… (%d bytes)", len(p))
}

// rowsFlagNames are the rows event flags mysqlbinlog 9.x names, in the
// order it prints them.
var rowsFlagNames = []struct {
	bit  uint16
	name string
}{
	{event.RowsFlagStmtEnd, "STMT_END_F"},
	{event.RowsFlagNoForeignKeyChecks, "NO_FOREIGN_KEY_CHECKS_F"},
	{event.RowsFlagRelaxedUniqueChecks, "RELAXED_UNIQUE_CHECKS_F"},
	{event.RowsFlagCompleteRows, "COMPLETE_ROWS_F"},
	{0x0010, "USE_SQL_FOREIGN_KEY_F"}, // MySQL 9: foreign keys enforced by the SQL layer
}

// appendRowsFlags appends a rows event's flags after its table id: for a
// MySQL binlog every flag set, by name, as mysqlbinlog 9.x does ("flags:
// STMT_END_F USE_SQL_FOREIGN_KEY_F"); for MariaDB's, STMT_END_F only, as
// mariadb-binlog does.
func appendRowsFlags(l []byte, ev *event.Event, flags uint16) []byte {
	if ev.Format != nil && ev.Format.Flavor() == event.MariaDB {
		if flags&event.RowsFlagStmtEnd != 0 {
			l = append(l, " flags: STMT_END_F"...)
		}
		return l
	}
	first := true
	for _, f := range rowsFlagNames {
		if flags&f.bit == 0 {
			continue
		}
		if first {
			l = append(l, " flags:"...)
			first = false
		}
		l = append(l, ' ')
		l = append(l, f.name...)
	}
	return l
}

// headerChecksum returns the CRC32 a header line shows: the event's own
// (see checksum), or for an event inside a MySQL TRANSACTION_PAYLOAD, which
// has none, the CRC32 it would have as an event of its own (its header's
// size counting the four bytes), as mysqlbinlog prints it.
func headerChecksum(ev *event.Event) (uint32, bool) {
	if !ev.InPayload {
		return checksum(ev)
	}
	if ev.Format == nil || ev.Format.ChecksumAlg != event.ChecksumCRC32 || len(ev.Raw) < event.HeaderLen {
		return 0, false
	}
	var size [4]byte
	binary.LittleEndian.PutUint32(size[:], uint32(len(ev.Raw)+event.ChecksumLen))
	crc := crc32.Update(crc32.ChecksumIEEE(ev.Raw[:9]), crc32.IEEETable, size[:])
	return crc32.Update(crc, crc32.IEEETable, ev.Raw[13:]), true
}

// checksum returns the event's CRC32 when it has one. A FORMAT_DESCRIPTION
// of a checksum-aware server always ends with four checksum bytes, but they
// hold a checksum only when it announces CRC32; inner events of a payload
// have none.
func checksum(ev *event.Event) (uint32, bool) {
	if ev.InPayload {
		return 0, false
	}
	if !ev.HasChecksum() {
		return 0, false
	}
	if fd, ok := ev.Body.(*event.FormatDescription); ok && fd.ChecksumAlg != event.ChecksumCRC32 {
		return 0, false
	}
	n := len(ev.Raw)
	return uint32(ev.Raw[n-4]) | uint32(ev.Raw[n-3])<<8 | uint32(ev.Raw[n-2])<<16 | uint32(ev.Raw[n-1])<<24, true
}

func appendHex32(b []byte, v uint32) []byte {
	const digits = "0123456789abcdef"
	for s := 28; s >= 0; s -= 4 {
		b = append(b, digits[v>>uint(s)&0xf])
	}
	return b
}

// appendHeaderTime appends a timestamp as mysqlbinlog prints it in headers:
// "YYMMDD HH:MM:SS" with the hour padded by a space ("090924  9:03:56").
func appendHeaderTime(b []byte, ts uint32, loc *time.Location) []byte {
	t := time.Unix(int64(ts), 0).In(loc)
	y, mo, d := t.Date() // once each: every accessor computes the date again
	h, mi, s := t.Clock()
	b = append2(b, y%100)
	b = append2(b, int(mo))
	b = append2(b, d)
	b = append(b, ' ')
	if h < 10 {
		b = append(b, ' ', byte('0'+h))
	} else {
		b = append2(b, h)
	}
	b = append(b, ':')
	b = append2(b, mi)
	b = append(b, ':')
	return append2(b, s)
}

func append2(b []byte, n int) []byte { return append(b, byte('0'+n/10), byte('0'+n%10)) }

// typeWord returns the word mysqlbinlog (or mariadb-binlog, for MariaDB
// events) prints after the header for an event type.
func typeWord(t event.Type) string {
	switch t {
	case event.StartEventV3, event.FormatDescriptionEvent:
		return "Start"
	case event.QueryEvent:
		return "Query"
	case event.StopEvent:
		return "Stop"
	case event.RotateEvent:
		return "Rotate"
	case event.IntvarEvent:
		return "Intvar"
	case event.LoadEvent:
		return "Load"
	case event.SlaveEvent:
		return "Slave"
	case event.CreateFileEvent:
		return "Create_file"
	case event.AppendBlockEvent:
		return "Append_block"
	case event.ExecLoadEvent:
		return "Exec_load"
	case event.DeleteFileEvent:
		return "Delete_file"
	case event.NewLoadEvent:
		return "New_load"
	case event.RandEvent:
		return "Rand"
	case event.UserVarEvent:
		return "User_var"
	case event.XIDEvent:
		return "Xid"
	case event.BeginLoadQueryEvent:
		return "Begin_load_query"
	case event.ExecuteLoadQueryEvent:
		return "Execute_load_query"
	case event.TableMapEvent:
		return "Table_map"
	case event.PreGAWriteRowsEvent, event.WriteRowsEventV1, event.WriteRowsEventV2:
		return "Write_rows"
	case event.PreGAUpdateRowsEvent, event.UpdateRowsEventV1, event.UpdateRowsEventV2:
		return "Update_rows"
	case event.PreGADeleteRowsEvent, event.DeleteRowsEventV1, event.DeleteRowsEventV2:
		return "Delete_rows"
	case event.PartialUpdateRowsEvent:
		return "Update_rows_partial"
	case event.IncidentEvent:
		return "Incident"
	case event.HeartbeatEvent:
		return "Heartbeat"
	case event.HeartbeatEventV2:
		return "Heartbeat_v2"
	case event.IgnorableEvent:
		return "Ignorable"
	case event.RowsQueryEvent:
		return "Rows_query"
	case event.GTIDEvent, event.GTIDTaggedEvent, event.MariaGTIDEvent:
		return "GTID"
	case event.AnonymousGTIDEvent:
		return "Anonymous_GTID"
	case event.PreviousGTIDsEvent:
		return "Previous-GTIDs"
	case event.TransactionContextEvent:
		return "Transaction_context"
	case event.ViewChangeEvent:
		return "View_change"
	case event.XAPrepareEvent:
		return "XA PREPARE"
	case event.TransactionPayloadEvent:
		return "Transaction_Payload"
	case event.MariaAnnotateRowsEvent:
		return "Annotate_rows"
	case event.MariaBinlogCheckpointEvent:
		return "Binlog checkpoint"
	case event.MariaGTIDListEvent:
		return "Gtid list"
	case event.MariaStartEncryptionEvent:
		return "Start_encryption"
	case event.MariaQueryCompressedEvent:
		return "Query_compressed"
	case event.MariaWriteRowsCompressedV1, event.MariaWriteRowsCompressed:
		return "Write_rows_compressed"
	case event.MariaUpdateRowsCompressedV1, event.MariaUpdateRowsCompressed:
		return "Update_rows_compressed"
	case event.MariaDeleteRowsCompressedV1, event.MariaDeleteRowsCompressed:
		return "Delete_rows_compressed"
	}
	return "Unknown"
}

// sortValues orders map keys for stable output.
func sortValues(keys []reflect.Value) {
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		switch {
		case a.Kind() == reflect.String && b.Kind() == reflect.String:
			return a.String() < b.String()
		case a.CanInt() && b.CanInt():
			return a.Int() < b.Int()
		case a.CanUint() && b.CanUint():
			return a.Uint() < b.Uint()
		}
		return fmt.Sprint(a) < fmt.Sprint(b)
	})
}

// appendPadded appends u in decimal with at least width digits.
func appendPadded(dst []byte, u uint64, width int) []byte {
	var tmp [20]byte
	d := strconv.AppendUint(tmp[:0], u, 10)
	for i := len(d); i < width; i++ {
		dst = append(dst, '0')
	}
	return append(dst, d...)
}

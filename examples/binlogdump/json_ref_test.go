package main

// This file keeps the reflective JSON encoding binlogdump --json used
// before event.Event.AppendJSON: TestJSONMatchesReference checks the
// library's hand-written and generated appenders against it on every event
// of the recordings and of the shared corpus.

import (
	"bytes"
	"context"
	"encoding"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

// referenceJSON is what binlogdump --json printed for ev, without rows.
func referenceJSON(ev *event.Event) []byte {
	var b []byte
	b = append(b, `{"file":`...)
	b = appendJSONString(b, ev.File)
	b = append(b, `,"pos":`...)
	b = strconv.AppendUint(b, ev.Pos, 10)
	b = append(b, `,"next_pos":`...)
	b = strconv.AppendUint(b, ev.NextPos, 10)
	if ev.InPayload {
		b = append(b, `,"in_payload":true,"payload_offset":`...)
		b = strconv.AppendUint(b, ev.PayloadOffset, 10)
	}
	b = append(b, `,"type":`...)
	b = appendJSONString(b, ev.Header.Type.String())
	b = append(b, `,"type_code":`...)
	b = strconv.AppendUint(b, uint64(ev.Header.Type), 10)
	b = append(b, `,"timestamp":`...)
	b = strconv.AppendUint(b, uint64(ev.Header.Timestamp), 10)
	b = append(b, `,"server_id":`...)
	b = strconv.AppendUint(b, uint64(ev.Header.ServerID), 10)
	b = append(b, `,"end_log_pos":`...)
	b = strconv.AppendUint(b, uint64(ev.Header.LogPos), 10)
	b = append(b, `,"event_size":`...)
	b = strconv.AppendUint(b, uint64(ev.Header.EventSize), 10)
	b = append(b, `,"flags":`...)
	b = strconv.AppendUint(b, uint64(ev.Header.Flags), 10)
	if crc, ok := checksum(ev); ok {
		b = append(b, `,"crc32":"0x`...)
		b = appendHex32(b, crc)
		b = append(b, '"')
	}
	b = appendBodyFields(b, jsonBodyFields(ev))
	return append(b, '}')
}

// headerKeys are the keys written for every event.
var headerKeys = map[string]bool{
	"file": true, "pos": true, "next_pos": true, "in_payload": true, "payload_offset": true,
	"type": true, "type_code": true, "timestamp": true, "server_id": true, "end_log_pos": true,
	"event_size": true, "flags": true, "crc32": true,
}

// jsonBodyFields returns what to print for ev's body: a struct (or pointer to one)
// or a map with string keys, whose fields become top-level keys of the
// event's object; any other value is printed under "body"; nil prints nothing.
//
// Struct fields are named in snake_case (TableID → "table_id") unless they
// carry a `json:"name[,omitempty]"` tag; unexported fields are skipped.
// []byte prints as a string when it is text (valid UTF-8 without control
// characters) and as {"hex": "…"} otherwise; integers print as numbers,
// including enum types; values implementing json.Marshaler or
// encoding.TextMarshaler print through those.
//
// Typed bodies get their own shapes (anonymous structs with json tags keep
// the key order fixed): TABLE_MAP {"table_id", "schema", "table", "columns"},
// GTIDs {"gtid", …}, QUERY {"schema", "query", …}, ROTATE {"next_file",
// "position"}, rows {"table_id", "schema", "table", …} (the event's "rows"
// are added by the dumper).
func jsonBodyFields(ev *event.Event) any {
	switch b := ev.Body.(type) {
	case *event.FormatDescription:
		return struct {
			BinlogVersion     uint16 `json:"binlog_version"`
			ServerVersion     string `json:"server_version"`
			Flavor            string `json:"flavor"`
			CreateTimestamp   uint32 `json:"create_timestamp"`
			HeaderLength      uint8  `json:"header_length"`
			ChecksumAlg       string `json:"checksum_alg"`
			PostHeaderLengths []int  `json:"post_header_lengths"`
		}{b.BinlogVersion, b.Version(), b.Flavor().String(), b.CreateTimestamp, b.HeaderLength,
			b.ChecksumAlg.String(), bytesToInts(b.PostHeaderLengths)}
	case *event.StartV3:
		v := b.ServerVersion
		for len(v) > 0 && v[len(v)-1] == 0 {
			v = v[:len(v)-1]
		}
		return struct {
			BinlogVersion   uint16 `json:"binlog_version"`
			ServerVersion   []byte `json:"server_version"`
			CreateTimestamp uint32 `json:"create_timestamp"`
		}{b.BinlogVersion, v, b.CreateTimestamp}
	case *event.Query:
		return struct {
			Schema    []byte `json:"schema"`
			Query     []byte `json:"query"`
			ThreadID  uint32 `json:"thread_id"`
			ExecTime  uint32 `json:"exec_time"`
			ErrorCode uint16 `json:"error_code"`
			Status    any    `json:"status"`
		}{b.Schema, b.Query, b.ThreadID, b.ExecTime, b.ErrorCode, &b.Status}
	case *event.Rotate:
		return struct {
			NextFile []byte `json:"next_file"`
			Position uint64 `json:"position"`
		}{b.NextFile, b.Position}
	case *event.XID:
		return struct {
			XID uint64 `json:"xid"`
		}{b.XID}
	case *event.GTID:
		return struct {
			GTID           string `json:"gtid"`
			Flags          uint8  `json:"flags"`
			LastCommitted  int64  `json:"last_committed"`
			SequenceNumber int64  `json:"sequence_number"`
			CommitTS       uint64 `json:"immediate_commit_timestamp,omitempty"`
			OrigCommitTS   uint64 `json:"original_commit_timestamp,omitempty"`
			TxLength       uint64 `json:"transaction_length,omitempty"`
		}{b.String(), b.Flags, b.LastCommitted, b.SequenceNumber, b.ImmediateCommitTimestamp, b.OriginalCommitTimestamp, b.TransactionLength}
	case *event.MariaGTID:
		return struct {
			GTID       string `json:"gtid"`
			Flags      uint8  `json:"flags"`
			Standalone bool   `json:"standalone"`
			CommitID   uint64 `json:"commit_id,omitempty"`
		}{b.Text(ev.Header.ServerID), b.Flags, b.Standalone(), b.CommitID}
	case *event.PreviousGTIDs:
		return struct {
			GTIDSet string `json:"gtid_set"`
		}{string(b.AppendText(nil))}
	case *event.MariaGTIDList:
		return struct {
			GTIDList string `json:"gtid_list"`
			Flags    uint8  `json:"flags"`
		}{string(b.AppendText(nil)), b.Flags}
	case *event.TableMap:
		return struct {
			TableID uint64       `json:"table_id"`
			Schema  []byte       `json:"schema"`
			Table   []byte       `json:"table"`
			Columns []jsonColumn `json:"columns"`
		}{b.TableID, b.Schema, b.Table, tableColumns(b)}
	case *event.Rows:
		var schema, table []byte
		if ev.Table != nil {
			schema, table = ev.Table.Schema, ev.Table.Table
		}
		return struct {
			TableID       uint64 `json:"table_id"`
			Schema        []byte `json:"schema"`
			Table         []byte `json:"table"`
			Flags         uint16 `json:"flags"`
			StmtEnd       bool   `json:"stmt_end"`
			ColumnCount   uint64 `json:"column_count"`
			ColumnsBefore []byte `json:"columns_before,omitempty"`
			ColumnsAfter  []byte `json:"columns_after,omitempty"`
			DataBytes     int    `json:"data_bytes"`
			Compressed    bool   `json:"compressed,omitempty"`
		}{b.TableID, schema, table, b.Flags, b.StmtEnd(), b.ColumnCount, b.ColumnsBefore, b.ColumnsAfter, len(b.Data), b.IsCompressed()}
	case *event.Unknown:
		if len(b.Data) == 0 {
			return nil
		}
		return struct {
			Data []byte `json:"data"`
		}{b.Data}
	}
	return ev.Body
}

// jsonColumn is one column of a TABLE_MAP in --json output.
type jsonColumn struct {
	Name     []byte `json:"name,omitempty"`
	Type     string `json:"type"`
	TypeCode byte   `json:"type_code"`
	Meta     uint32 `json:"meta"`
	Nullable bool   `json:"nullable"`
}

// tableColumns lists a table map's columns with their type names and, when
// the server logged them (binlog_row_metadata=FULL), their names.
func tableColumns(t *event.TableMap) []jsonColumn {
	cols := make([]jsonColumn, t.ColumnCount)
	names, hasNames := t.ColumnNames()
	for i := range cols {
		typ, _ := t.ColumnType(i)
		cols[i] = jsonColumn{Type: typ.String(), TypeCode: t.ColumnTypes[i], Meta: t.ColumnMeta(i), Nullable: t.Nullable(i)}
		if hasNames {
			if n, ok := names.Next(); ok {
				cols[i].Name = n
			}
		}
	}
	return cols
}

func bytesToInts(p []byte) []int {
	out := make([]int, len(p))
	for i, c := range p {
		out[i] = int(c)
	}
	return out
}

// appendBodyFields appends ",key:value" for each field of body.
func appendBodyFields(b []byte, body any) []byte {
	if body == nil {
		return b
	}
	v := reflect.ValueOf(body)
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return b
		}
		if v.Type().Implements(jsonMarshalerType) {
			break
		}
		v = v.Elem()
	}
	key := func(k string) string {
		if headerKeys[k] {
			return "body_" + k
		}
		return k
	}
	switch {
	case v.Kind() == reflect.Struct && !v.Type().Implements(jsonMarshalerType):
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			name, omitEmpty, ok := jsonFieldName(t.Field(i))
			if !ok || omitEmpty && v.Field(i).IsZero() {
				continue
			}
			b = append(b, ',')
			b = appendJSONString(b, key(name))
			b = append(b, ':')
			b = appendJSONValue(b, v.Field(i), 0)
		}
		return b
	case v.Kind() == reflect.Map && v.Type().Key().Kind() == reflect.String:
		keys := v.MapKeys()
		sortValues(keys)
		for _, k := range keys {
			b = append(b, ',')
			b = appendJSONString(b, key(k.String()))
			b = append(b, ':')
			b = appendJSONValue(b, v.MapIndex(k), 0)
		}
		return b
	}
	b = append(b, `,"body":`...)
	return appendJSONValue(b, v, 0)
}

// jsonFieldName returns a struct field's key: its json tag, else its name in
// snake_case. ok is false for unexported fields and `json:"-"`.
func jsonFieldName(f reflect.StructField) (name string, omitEmpty, ok bool) {
	if !f.IsExported() {
		return "", false, false
	}
	tag := f.Tag.Get("json")
	if tag == "-" {
		return "", false, false
	}
	name, opts, _ := strings.Cut(tag, ",")
	omitEmpty = strings.Contains(","+opts+",", ",omitempty,")
	if name == "" {
		name = snakeCase(f.Name)
	}
	return name, omitEmpty, true
}

// snakeCase turns a Go name into snake_case, keeping initialisms together:
// TableID → table_id, XIDValue → xid_value, PostHeaderLengths →
// post_header_lengths.
func snakeCase(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		upper := r >= 'A' && r <= 'Z'
		if upper && i > 0 {
			prev := rs[i-1]
			prevLowerOrDigit := prev >= 'a' && prev <= 'z' || prev >= '0' && prev <= '9'
			nextLower := i+1 < len(rs) && rs[i+1] >= 'a' && rs[i+1] <= 'z'
			// A plural initialism stays one word: IDs, NSIDs.
			if nextLower && rs[i+1] == 's' && (i+2 == len(rs) || rs[i+2] >= 'A' && rs[i+2] <= 'Z') {
				nextLower = false
			}
			prevUpper := prev >= 'A' && prev <= 'Z'
			if prevLowerOrDigit || prevUpper && nextLower {
				b.WriteByte('_')
			}
		}
		if upper {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

var (
	jsonMarshalerType = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// maxJSONDepth bounds nesting (cyclic pointers print as null past it).
const maxJSONDepth = 16

// appendJSONValue appends v as JSON, by the rules jsonBody documents.
func appendJSONValue(b []byte, v reflect.Value, depth int) []byte {
	if !v.IsValid() || depth > maxJSONDepth {
		return append(b, "null"...)
	}
	if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
		return append(b, "null"...)
	}
	if v.CanInterface() {
		t := v.Type()
		switch {
		case t.Implements(jsonMarshalerType):
			if out, err := v.Interface().(json.Marshaler).MarshalJSON(); err == nil && json.Valid(out) {
				return append(b, out...)
			}
			return append(b, "null"...)
		case t.Implements(textMarshalerType) && !isInteger(v.Kind()):
			if out, err := v.Interface().(encoding.TextMarshaler).MarshalText(); err == nil {
				return appendJSONString(b, string(out))
			}
			return append(b, "null"...)
		case isStringerStruct(v):
			return appendJSONString(b, v.Interface().(fmt.Stringer).String())
		}
	}
	switch v.Kind() {
	case reflect.Bool:
		return strconv.AppendBool(b, v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return appendInteger(b, v)
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return appendJSONString(b, strconv.FormatFloat(f, 'g', -1, 64))
		}
		return strconv.AppendFloat(b, f, 'g', -1, v.Type().Bits())
	case reflect.String:
		return appendJSONString(b, v.String())
	case reflect.Pointer, reflect.Interface:
		return appendJSONValue(b, v.Elem(), depth+1)
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return appendJSONBytes(b, byteSlice(v)) // nil and empty alike: ""
		}
		if v.Kind() == reflect.Slice && v.IsNil() {
			return append(b, "[]"...)
		}
		b = append(b, '[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONValue(b, v.Index(i), depth+1)
		}
		return append(b, ']')
	case reflect.Map:
		if v.IsNil() {
			return append(b, "null"...)
		}
		keys := v.MapKeys()
		sortValues(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			if k.Kind() == reflect.String {
				b = appendJSONString(b, k.String())
			} else {
				b = appendJSONString(b, fmt.Sprint(k.Interface()))
			}
			b = append(b, ':')
			b = appendJSONValue(b, v.MapIndex(k), depth+1)
		}
		return append(b, '}')
	case reflect.Struct:
		b = append(b, '{')
		t := v.Type()
		first := true
		for i := 0; i < t.NumField(); i++ {
			name, omitEmpty, ok := jsonFieldName(t.Field(i))
			if !ok || omitEmpty && v.Field(i).IsZero() {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = appendJSONString(b, name)
			b = append(b, ':')
			b = appendJSONValue(b, v.Field(i), depth+1)
		}
		return append(b, '}')
	}
	return appendJSONString(b, fmt.Sprintf("<%s>", v.Type()))
}

// appendJSONBytes appends p as a JSON string when it is text, else as
// {"hex":"…"}.
func appendJSONBytes(b, p []byte) []byte {
	if isText(p) {
		return appendJSONStringBytes(b, p)
	}
	b = append(b, `{"hex":"`...)
	b = hex.AppendEncode(b, p)
	return append(b, `"}`...)
}

func appendJSONString(b []byte, s string) []byte {
	return appendJSONStringBytes(b, []byte(s))
}

// appendJSONStringBytes appends p as a JSON string without HTML escaping;
// invalid UTF-8 becomes U+FFFD.
func appendJSONStringBytes(b, p []byte) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	for len(p) > 0 {
		c := p[0]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20 || c == 0x7f:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				b = append(b, c)
			}
			p = p[1:]
			continue
		}
		r, n := utf8.DecodeRune(p)
		switch {
		case r == utf8.RuneError && n == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, `\u202`...)
			b = append(b, hexDigits[r&0xf])
		default:
			b = append(b, p[:n]...)
		}
		p = p[n:]
	}
	return append(b, '"')
}

// TestJSONMatchesReference checks event.Event.AppendJSON against the
// reflective encoding binlogdump used before, on every event of the
// project's recordings and of the shared corpus: the same bytes, and valid
// JSON.
func TestJSONMatchesReference(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/recorded/*.0*")
	encrypted, _ := filepath.Glob("../../testdata/encrypted/*.stream")
	files = append(files, encrypted...)
	files = append(files, corpusFiles(t)...)
	events := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".txt") {
			continue
		}
		src, err := binlog.OpenFile(f)
		if err != nil {
			continue
		}
		r := binlog.NewReader(src)
		for {
			ev, err := r.Next(context.Background())
			if err != nil {
				break // corrupt corpus files end early on purpose
			}
			got := ev.AppendJSON(nil)
			want := referenceJSON(ev)
			if !bytes.Equal(got, want) {
				t.Fatalf("%s:%d %v:\n got %s\nwant %s", f, ev.Pos, ev.Header.Type, got, want)
			}
			if !json.Valid(got) {
				t.Fatalf("%s:%d: invalid JSON %s", f, ev.Pos, got)
			}
			events++
		}
		src.Close()
	}
	if events < 1000 {
		t.Fatalf("only %d events compared", events)
	}
	t.Logf("%d events", events)
}

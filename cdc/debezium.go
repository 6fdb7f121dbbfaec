package cdc

import (
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// Encoder writes Changes as Debezium's MySQL connector writes change
// events, so that consumers written for Debezium read them:
//
//	{"before": {...} | null, "after": {...} | null,
//	 "source": {"version", "connector": "mysql", "name", "ts_ms", "snapshot": "true"|"last"|"false",
//	            "db", "table", "server_id", "gtid", "file", "pos", "row", "thread", "query"},
//	 "op": "c"|"u"|"d"|"r"|"t", "ts_ms",
//	 "transaction": {"id", "total_order", "data_collection_order"}}
//
// The message key (AppendKey) is an object of the key columns ({"id": 42}),
// null for a table without a key. By default both are the payload alone,
// as Kafka Connect's JsonConverter writes with schemas.enable=false; with
// Schema set, each is wrapped as {"schema": …, "payload": …}.
//
// Column values are written by rowcodec.Value.AppendJSON, which is exact
// for every type and differs from Debezium's defaults here:
//
//   - TINYINT … BIGINT: numbers, as Debezium; BIGINT UNSIGNED above 2^63
//     too (Debezium's default bigint.unsigned.handling.mode=long wraps them
//     negative). TINYINT(1) is a number, not a boolean.
//   - FLOAT, DOUBLE: numbers, as Debezium (shortest form that reads back
//     exactly).
//   - DECIMAL: a string with the exact digits ("1234.5600"), as Debezium's
//     decimal.handling.mode=string (its default, precise, writes the
//     unscaled value as base64 bytes).
//   - DATE "2024-01-02", DATETIME "2024-01-02T03:04:05.123456", TIME
//     "-838:59:59.5": ISO 8601 strings (Debezium's defaults are numbers:
//     days, and milli- or microseconds since the epoch or midnight).
//     TIMESTAMP "2024-01-02T03:04:05Z", as Debezium's ZonedTimestamp. Zero
//     dates are kept ("0000-00-00"), where Debezium writes null.
//   - YEAR: a number, as Debezium.
//   - CHAR, VARCHAR, TEXT: strings, converted to UTF-8 from the column's
//     character set, as Debezium.
//   - BINARY, VARBINARY, BLOB: base64 strings, as Debezium's default
//     binary.handling.mode=bytes through the JsonConverter.
//   - BIT(n): a number, the bits as an unsigned integer (Debezium: a boolean
//     for BIT(1), little-endian bytes otherwise).
//   - ENUM: the member's name; SET: the names joined by ",", as Debezium.
//   - JSON: the document itself (Debezium: a string holding it); with
//     Schema, a string, as Debezium's io.debezium.data.Json.
//   - GEOMETRY: {"srid": 4326, "wkb": base64}, as Debezium's Geometry
//     struct (fields in that order).
//   - VECTOR: an array of numbers.
//   - A column a MINIMAL image left out is left out of the object (Debezium
//     writes every column).
//
// source.ts_ms is the event's timestamp (the binlog has seconds, so it ends
// in 000); ts_ms the time of encoding. source.gtid, thread and query are
// null when unknown (query also unless Encoder.Query). For OpTruncate, before and after are null. An OpCommit
// has no envelope (Debezium writes transaction boundaries to a topic of
// their own): AppendValue returns an error for it.
//
// An Encoder allocates nothing per change or value once its buffers have
// grown (except for character sets converted through golang.org/x/text).
// It is not safe for concurrent use.
type Encoder struct {
	// Name is the logical name of the server (source.name; Debezium's
	// topic.prefix).
	Name string
	// Version is source.version ("" means "binlogkit").
	Version string
	// Schema wraps key and value as {"schema": …, "payload": …}.
	Schema bool
	// Query writes source.query, the statement behind the change when the
	// server logged it (binlog_annotate_row_events on MariaDB,
	// binlog_rows_query_log_events on MySQL); without it source.query is
	// null, as with Debezium's default include.query=false.
	Query bool
	// Now gives ts_ms (nil means time.Now).
	Now func() time.Time

	scratch []byte
	schemas map[*rowcodec.Column]*schemaCache
}

type schemaCache struct {
	fp    []byte // column names and types the schemas were built for
	key   []byte
	value []byte
}

// AppendValue appends the change event of c.
func (e *Encoder) AppendValue(dst []byte, c *Change) ([]byte, error) {
	if c.Op == OpCommit || c.Op == 0 {
		return dst, errNoEnvelope
	}
	var sc *schemaCache
	if e.Schema {
		sc = e.schemaFor(c)
		dst = append(dst, `{"schema":`...)
		dst = append(dst, sc.value...)
		dst = append(dst, `,"payload":`...)
	}
	var err error
	dst = append(dst, `{"before":`...)
	if dst, err = e.appendRow(dst, c, c.Before); err != nil {
		return dst, err
	}
	dst = append(dst, `,"after":`...)
	if dst, err = e.appendRow(dst, c, c.After); err != nil {
		return dst, err
	}
	s := &c.Source
	dst = append(dst, `,"source":{"version":`...)
	v := e.Version
	if v == "" {
		v = "binlogkit"
	}
	dst = appendJSONString(dst, v)
	dst = append(dst, `,"connector":"mysql","name":`...)
	dst = appendJSONString(dst, e.Name)
	dst = append(dst, `,"ts_ms":`...)
	dst = strconv.AppendInt(dst, s.Time.UnixMilli(), 10)
	dst = append(dst, `,"snapshot":"`...)
	dst = append(dst, s.Snapshot.String()...)
	dst = append(dst, `","db":`...)
	dst = appendJSONString(dst, c.Database)
	dst = append(dst, `,"table":`...)
	dst = appendJSONString(dst, c.Table)
	dst = append(dst, `,"server_id":`...)
	dst = strconv.AppendUint(dst, uint64(s.ServerID), 10)
	dst = append(dst, `,"gtid":`...)
	if s.GTID == "" {
		dst = append(dst, "null"...)
	} else {
		dst = appendJSONString(dst, s.GTID)
	}
	dst = append(dst, `,"file":`...)
	dst = appendJSONString(dst, s.File)
	dst = append(dst, `,"pos":`...)
	dst = strconv.AppendUint(dst, s.Pos, 10)
	dst = append(dst, `,"row":`...)
	dst = strconv.AppendInt(dst, int64(s.Row), 10)
	dst = append(dst, `,"thread":`...)
	if s.ThreadID == 0 {
		dst = append(dst, "null"...)
	} else {
		dst = strconv.AppendUint(dst, uint64(s.ThreadID), 10)
	}
	dst = append(dst, `,"query":`...)
	if s.Query == nil || !e.Query {
		dst = append(dst, "null"...)
	} else {
		dst = appendJSONBytes(dst, s.Query)
	}
	dst = append(dst, `},"op":"`...)
	dst = append(dst, c.Op.Letter()...)
	dst = append(dst, `","ts_ms":`...)
	now := time.Now
	if e.Now != nil {
		now = e.Now
	}
	dst = strconv.AppendInt(dst, now().UnixMilli(), 10)
	dst = append(dst, `,"transaction":{"id":`...)
	dst = appendJSONString(dst, c.Tx.ID)
	dst = append(dst, `,"total_order":`...)
	dst = strconv.AppendInt(dst, int64(c.Tx.Order), 10)
	dst = append(dst, `,"data_collection_order":`...)
	dst = strconv.AppendInt(dst, int64(c.Tx.TableOrder), 10)
	dst = append(dst, "}}"...)
	if sc != nil {
		dst = append(dst, '}')
	}
	return dst, nil
}

// AppendKey appends the message key of c: an object of its key columns
// (from After, or Before for OpDelete), or null for a table without a key
// and for OpTruncate.
func (e *Encoder) AppendKey(dst []byte, c *Change) ([]byte, error) {
	if e.Schema {
		sc := e.schemaFor(c)
		dst = append(dst, `{"schema":`...)
		dst = append(dst, sc.key...)
		dst = append(dst, `,"payload":`...)
	}
	row := c.Row()
	if len(c.Key) == 0 || row == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '{')
		for i, k := range c.Key {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONBytes(dst, c.Columns[k].Name)
			dst = append(dst, ':')
			var err error
			if dst, err = e.appendValue(dst, &c.Columns[k], row[k]); err != nil {
				return dst, err
			}
		}
		dst = append(dst, '}')
	}
	if e.Schema {
		dst = append(dst, '}')
	}
	return dst, nil
}

func (e *Encoder) appendRow(dst []byte, c *Change, row []rowcodec.Value) ([]byte, error) {
	if row == nil {
		return append(dst, "null"...), nil
	}
	dst = append(dst, '{')
	first := true
	for i := range row {
		if row[i].IsAbsent() {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = appendJSONBytes(dst, c.Columns[i].Name)
		dst = append(dst, ':')
		var err error
		if dst, err = e.appendValue(dst, &c.Columns[i], row[i]); err != nil {
			return dst, &rowcodec.ColumnError{Table: c.Database + "." + c.Table, Column: i, Name: string(c.Columns[i].Name), Type: c.Columns[i].Type, Err: err}
		}
	}
	return append(dst, '}'), nil
}

func (e *Encoder) appendValue(dst []byte, col *rowcodec.Column, v rowcodec.Value) ([]byte, error) {
	if e.Schema && v.Kind() == rowcodec.KindJSON {
		var err error
		if e.scratch, err = v.AppendJSON(e.scratch[:0], col); err != nil {
			return dst, err
		}
		return appendJSONBytes(dst, e.scratch), nil
	}
	return v.AppendJSON(dst, col)
}

type noEnvelope struct{}

func (noEnvelope) Error() string {
	return "cdc: an OpCommit has no change event (it ends a transaction)"
}

var errNoEnvelope error = noEnvelope{}

// schemaFor returns the Kafka Connect schemas of c's table.
func (e *Encoder) schemaFor(c *Change) *schemaCache {
	if e.schemas == nil {
		e.schemas = map[*rowcodec.Column]*schemaCache{}
	}
	var id *rowcodec.Column
	if len(c.Columns) > 0 {
		id = &c.Columns[0]
	}
	e.scratch = e.scratch[:0]
	e.scratch = append(e.scratch, c.Database...)
	e.scratch = append(e.scratch, 0)
	e.scratch = append(e.scratch, c.Table...)
	for i := range c.Columns {
		e.scratch = append(e.scratch, 0, byte(c.Columns[i].Type))
		e.scratch = append(e.scratch, c.Columns[i].Name...)
	}
	for _, k := range c.Key {
		e.scratch = append(e.scratch, 1, byte(k))
	}
	sc := e.schemas[id]
	if sc != nil && string(sc.fp) == string(e.scratch) {
		return sc
	}
	sc = &schemaCache{fp: append([]byte(nil), e.scratch...)}
	e.schemas[id] = sc
	prefix := e.Name + "." + c.Database + "." + c.Table
	// Key schema.
	if len(c.Key) == 0 {
		sc.key = []byte("null")
	} else {
		k := []byte(`{"type":"struct","optional":false,"name":`)
		k = appendJSONString(k, prefix+".Key")
		k = append(k, `,"fields":[`...)
		for i, idx := range c.Key {
			if i > 0 {
				k = append(k, ',')
			}
			k = appendFieldSchema(k, &c.Columns[idx], false)
		}
		sc.key = append(k, "]}"...)
	}
	// Row schema.
	row := []byte(`{"type":"struct","optional":true,"name":`)
	row = appendJSONString(row, prefix+".Value")
	row = append(row, `,"fields":[`...)
	for i := range c.Columns {
		if i > 0 {
			row = append(row, ',')
		}
		row = appendFieldSchema(row, &c.Columns[i], c.Columns[i].Nullable)
	}
	row = append(row, "]"...)
	v := []byte(`{"type":"struct","optional":false,"name":`)
	v = appendJSONString(v, prefix+".Envelope")
	v = append(v, `,"fields":[`...)
	v = append(v, row[:len(row)]...)
	v = append(v, `,"field":"before"},`...)
	v = append(v, row...)
	v = append(v, `,"field":"after"},`...)
	v = append(v, sourceSchema...)
	v = append(v, `,{"type":"string","optional":false,"field":"op"},{"type":"int64","optional":true,"field":"ts_ms"},`...)
	v = append(v, txSchema...)
	sc.value = append(v, "]}"...)
	return sc
}

const sourceSchema = `{"type":"struct","optional":false,"name":"io.debezium.connector.mysql.Source","field":"source","fields":[` +
	`{"type":"string","optional":false,"field":"version"},{"type":"string","optional":false,"field":"connector"},` +
	`{"type":"string","optional":false,"field":"name"},{"type":"int64","optional":false,"field":"ts_ms"},` +
	`{"type":"string","optional":true,"name":"io.debezium.data.Enum","parameters":{"allowed":"true,last,false"},"default":"false","field":"snapshot"},` +
	`{"type":"string","optional":false,"field":"db"},{"type":"string","optional":true,"field":"table"},` +
	`{"type":"int64","optional":false,"field":"server_id"},{"type":"string","optional":true,"field":"gtid"},` +
	`{"type":"string","optional":false,"field":"file"},{"type":"int64","optional":false,"field":"pos"},` +
	`{"type":"int32","optional":false,"field":"row"},{"type":"int64","optional":true,"field":"thread"},` +
	`{"type":"string","optional":true,"field":"query"}]}`

const txSchema = `{"type":"struct","optional":true,"name":"event.block","field":"transaction","fields":[` +
	`{"type":"string","optional":false,"field":"id"},{"type":"int64","optional":false,"field":"total_order"},` +
	`{"type":"int64","optional":false,"field":"data_collection_order"}]}`

// appendFieldSchema appends the Kafka Connect schema of one column.
func appendFieldSchema(dst []byte, c *rowcodec.Column, optional bool) []byte {
	typ, name := "string", ""
	switch c.Type {
	case event.ColumnTypeTiny, event.ColumnTypeShort:
		typ = "int16"
		if c.Unsigned && c.Type == event.ColumnTypeShort {
			typ = "int32"
		}
	case event.ColumnTypeInt24:
		typ = "int32"
	case event.ColumnTypeLong:
		typ = "int32"
		if c.Unsigned {
			typ = "int64"
		}
	case event.ColumnTypeLongLong, event.ColumnTypeBit:
		typ = "int64"
	case event.ColumnTypeFloat:
		typ = "float"
	case event.ColumnTypeDouble:
		typ = "double"
	case event.ColumnTypeYear:
		typ, name = "int32", "io.debezium.time.Year"
	case event.ColumnTypeDate, event.ColumnTypeNewDate:
		name = "io.debezium.time.IsoDate"
	case event.ColumnTypeTime, event.ColumnTypeTime2:
		name = "io.debezium.time.IsoTime"
	case event.ColumnTypeDatetime, event.ColumnTypeDatetime2:
		name = "io.debezium.time.IsoTimestamp"
	case event.ColumnTypeTimestamp, event.ColumnTypeTimestamp2:
		name = "io.debezium.time.ZonedTimestamp"
	case event.ColumnTypeJSON:
		name = "io.debezium.data.Json"
	case event.ColumnTypeEnum:
		name = "io.debezium.data.Enum"
	case event.ColumnTypeSet:
		name = "io.debezium.data.EnumSet"
	case event.ColumnTypeGeometry:
		dst = append(dst, `{"type":"struct","name":"io.debezium.data.geometry.Geometry","fields":[{"type":"int32","optional":true,"field":"srid"},{"type":"bytes","optional":false,"field":"wkb"}],"optional":`...)
		dst = strconv.AppendBool(dst, optional)
		dst = append(dst, `,"field":`...)
		dst = appendJSONBytes(dst, c.Name)
		return append(dst, '}')
	case event.ColumnTypeVector:
		dst = append(dst, `{"type":"array","items":{"type":"float","optional":false},"optional":`...)
		dst = strconv.AppendBool(dst, optional)
		dst = append(dst, `,"field":`...)
		dst = appendJSONBytes(dst, c.Name)
		return append(dst, '}')
	default:
		if rowcodec.IsBinaryCollation(c.Collation) {
			typ = "bytes"
		}
	}
	dst = append(dst, `{"type":"`...)
	dst = append(dst, typ...)
	dst = append(dst, `","optional":`...)
	dst = strconv.AppendBool(dst, optional)
	if name != "" {
		dst = append(dst, `,"name":"`...)
		dst = append(dst, name...)
		dst = append(dst, '"')
	}
	dst = append(dst, `,"field":`...)
	dst = appendJSONBytes(dst, c.Name)
	return append(dst, '}')
}

const hexDigits = "0123456789abcdef"

func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b >= 0x20 && b != '"' && b != '\\' && b < utf8.RuneSelf {
			i++
			continue
		}
		if b >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				dst = append(dst, s[start:i]...)
				dst = append(dst, `\ufffd`...)
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		dst = append(dst, s[start:i]...)
		switch b {
		case '"', '\\':
			dst = append(dst, '\\', b)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xf])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

func appendJSONBytes(dst []byte, b []byte) []byte {
	// The conversion does not allocate: appendJSONString does not keep s.
	return appendJSONString(dst, unsafeString(b))
}

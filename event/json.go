package event

//go:generate go run ./internal/jsongen json_gen.go

import (
	"encoding/binary"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// AppendJSON appends e as one JSON object, the form binlogdump --json
// prints: first the keys every event has, in this order,
//
//	file, pos, next_pos, [in_payload, payload_offset,] type, type_code,
//	timestamp, server_id, end_log_pos, event_size, flags, [crc32,]
//
// then the body's fields. Bytes are written as a JSON string when they are
// text (valid UTF-8 without control characters other than tab, newline and
// carriage return) and as {"hex":"…"} otherwise; integers, enum codes
// included, as numbers. The common bodies have shapes of their own:
// FORMAT_DESCRIPTION {binlog_version, server_version, flavor,
// create_timestamp, header_length, checksum_alg, post_header_lengths},
// QUERY {schema, query, thread_id, exec_time, error_code, status},
// ROTATE {next_file, position}, XID {xid}, GTIDs {gtid, …},
// PREVIOUS_GTIDS {gtid_set}, GTID_LIST {gtid_list, flags}, TABLE_MAP
// {table_id, schema, table, columns: [{name, type, type_code, meta,
// nullable}]}, rows events {table_id, schema, table, flags, stmt_end,
// column_count, columns_before, columns_after, data_bytes, compressed}
// (the table's names from e.Table); every other body has each exported
// field, in order, named in snake_case (TableID is table_id). A body's key
// that clashes with the header's gets a "body_" prefix (body_flags). The object ends with
// '}': a caller that adds members (binlogdump adds the decoded rows) drops
// that byte and writes its own.
//
// AppendJSON uses no reflection and allocates nothing beyond growing dst.
func (e *Event) AppendJSON(dst []byte) []byte {
	h := &e.Header
	dst = append(dst, `{"file":`...)
	dst = appendJSONString(dst, e.File)
	dst = append(dst, `,"pos":`...)
	dst = strconv.AppendUint(dst, e.Pos, 10)
	dst = append(dst, `,"next_pos":`...)
	dst = strconv.AppendUint(dst, e.NextPos, 10)
	if e.InPayload {
		dst = append(dst, `,"in_payload":true,"payload_offset":`...)
		dst = strconv.AppendUint(dst, e.PayloadOffset, 10)
	}
	dst = append(dst, `,"type":`...)
	dst = appendName(dst, h.Type.String())
	dst = append(dst, `,"type_code":`...)
	dst = strconv.AppendUint(dst, uint64(h.Type), 10)
	dst = append(dst, `,"timestamp":`...)
	dst = strconv.AppendUint(dst, uint64(h.Timestamp), 10)
	dst = append(dst, `,"server_id":`...)
	dst = strconv.AppendUint(dst, uint64(h.ServerID), 10)
	dst = append(dst, `,"end_log_pos":`...)
	dst = strconv.AppendUint(dst, uint64(h.LogPos), 10)
	dst = append(dst, `,"event_size":`...)
	dst = strconv.AppendUint(dst, uint64(h.EventSize), 10)
	dst = append(dst, `,"flags":`...)
	dst = strconv.AppendUint(dst, uint64(h.Flags), 10)
	if crc, ok := e.checksumValue(); ok {
		dst = append(dst, `,"crc32":"0x`...)
		for s := 28; s >= 0; s -= 4 {
			dst = append(dst, hexDigits[crc>>uint(s)&0xf])
		}
		dst = append(dst, '"')
	}
	dst = e.appendBodyJSON(dst)
	return append(dst, '}')
}

// checksumValue returns the event's CRC32 when it carries one that counts.
func (e *Event) checksumValue() (uint32, bool) {
	if e.InPayload || !e.HasChecksum() {
		return 0, false
	}
	if fd, ok := e.Body.(*FormatDescription); ok && fd.ChecksumAlg != ChecksumCRC32 {
		return 0, false
	}
	return binary.LittleEndian.Uint32(e.Raw[len(e.Raw)-ChecksumLen:]), true
}

const hexDigits = "0123456789abcdef"

// appendBodyJSON appends ",key:value" for each field of e's body.
func (e *Event) appendBodyJSON(dst []byte) []byte {
	switch b := e.Body.(type) {
	case nil:
		return dst
	case *FormatDescription:
		dst = append(dst, `,"binlog_version":`...)
		dst = strconv.AppendUint(dst, uint64(b.BinlogVersion), 10)
		dst = append(dst, `,"server_version":`...)
		dst = appendJSONString(dst, b.Version())
		dst = append(dst, `,"flavor":`...)
		dst = appendJSONString(dst, b.Flavor().String())
		dst = append(dst, `,"create_timestamp":`...)
		dst = strconv.AppendUint(dst, uint64(b.CreateTimestamp), 10)
		dst = append(dst, `,"header_length":`...)
		dst = strconv.AppendUint(dst, uint64(b.HeaderLength), 10)
		dst = append(dst, `,"checksum_alg":`...)
		dst = appendJSONString(dst, b.ChecksumAlg.String())
		dst = append(dst, `,"post_header_lengths":[`...)
		for i, n := range b.PostHeaderLengths {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = strconv.AppendUint(dst, uint64(n), 10)
		}
		return append(dst, ']')
	case *StartV3:
		v := b.ServerVersion
		for len(v) > 0 && v[len(v)-1] == 0 {
			v = v[:len(v)-1]
		}
		dst = append(dst, `,"binlog_version":`...)
		dst = strconv.AppendUint(dst, uint64(b.BinlogVersion), 10)
		dst = append(dst, `,"server_version":`...)
		dst = appendJSONBytes(dst, v)
		dst = append(dst, `,"create_timestamp":`...)
		return strconv.AppendUint(dst, uint64(b.CreateTimestamp), 10)
	case *Query:
		dst = append(dst, `,"schema":`...)
		dst = appendJSONBytes(dst, b.Schema)
		dst = append(dst, `,"query":`...)
		dst = appendJSONBytes(dst, b.Query)
		dst = append(dst, `,"thread_id":`...)
		dst = strconv.AppendUint(dst, uint64(b.ThreadID), 10)
		dst = append(dst, `,"exec_time":`...)
		dst = strconv.AppendUint(dst, uint64(b.ExecTime), 10)
		dst = append(dst, `,"error_code":`...)
		dst = strconv.AppendUint(dst, uint64(b.ErrorCode), 10)
		dst = append(dst, `,"status":`...)
		if generatedJSON.status == nil {
			return append(dst, "null"...)
		}
		return generatedJSON.status(dst, &b.Status)
	case *Rotate:
		dst = append(dst, `,"next_file":`...)
		dst = appendJSONBytes(dst, b.NextFile)
		dst = append(dst, `,"position":`...)
		return strconv.AppendUint(dst, b.Position, 10)
	case *XID:
		dst = append(dst, `,"xid":`...)
		return strconv.AppendUint(dst, b.XID, 10)
	case *GTID:
		dst = append(dst, `,"gtid":`...)
		dst = appendJSONString(dst, b.String())
		dst = append(dst, `,"body_flags":`...)
		dst = strconv.AppendUint(dst, uint64(b.Flags), 10)
		dst = append(dst, `,"last_committed":`...)
		dst = strconv.AppendInt(dst, b.LastCommitted, 10)
		dst = append(dst, `,"sequence_number":`...)
		dst = strconv.AppendInt(dst, b.SequenceNumber, 10)
		if b.ImmediateCommitTimestamp != 0 {
			dst = append(dst, `,"immediate_commit_timestamp":`...)
			dst = strconv.AppendUint(dst, b.ImmediateCommitTimestamp, 10)
		}
		if b.OriginalCommitTimestamp != 0 {
			dst = append(dst, `,"original_commit_timestamp":`...)
			dst = strconv.AppendUint(dst, b.OriginalCommitTimestamp, 10)
		}
		if b.TransactionLength != 0 {
			dst = append(dst, `,"transaction_length":`...)
			dst = strconv.AppendUint(dst, b.TransactionLength, 10)
		}
		return dst
	case *MariaGTID:
		dst = append(dst, `,"gtid":"`...)
		dst = AppendMariaGTID(dst, b.Domain, e.Header.ServerID, b.SeqNo)
		dst = append(dst, `","body_flags":`...)
		dst = strconv.AppendUint(dst, uint64(b.Flags), 10)
		dst = append(dst, `,"standalone":`...)
		dst = strconv.AppendBool(dst, b.Standalone())
		if b.CommitID != 0 {
			dst = append(dst, `,"commit_id":`...)
			dst = strconv.AppendUint(dst, b.CommitID, 10)
		}
		return dst
	case *PreviousGTIDs:
		dst = append(dst, `,"gtid_set":"`...)
		dst = b.AppendText(dst)
		return append(dst, '"')
	case *MariaGTIDList:
		dst = append(dst, `,"gtid_list":"`...)
		dst = b.AppendText(dst)
		dst = append(dst, `","body_flags":`...)
		return strconv.AppendUint(dst, uint64(b.Flags), 10)
	case *TableMap:
		dst = append(dst, `,"table_id":`...)
		dst = strconv.AppendUint(dst, b.TableID, 10)
		dst = append(dst, `,"schema":`...)
		dst = appendJSONBytes(dst, b.Schema)
		dst = append(dst, `,"table":`...)
		dst = appendJSONBytes(dst, b.Table)
		dst = append(dst, `,"columns":[`...)
		names, hasNames := b.ColumnNames()
		for i := 0; i < int(b.ColumnCount); i++ {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, '{')
			if hasNames {
				if n, ok := names.Next(); ok && len(n) > 0 {
					dst = append(dst, `"name":`...)
					dst = appendJSONBytes(dst, n)
					dst = append(dst, ',')
				}
			}
			typ, _ := b.ColumnType(i)
			dst = append(dst, `"type":`...)
			dst = appendName(dst, typ.String())
			dst = append(dst, `,"type_code":`...)
			code := 0
			if i < len(b.ColumnTypes) {
				code = int(b.ColumnTypes[i])
			}
			dst = strconv.AppendInt(dst, int64(code), 10)
			dst = append(dst, `,"meta":`...)
			dst = strconv.AppendUint(dst, uint64(b.ColumnMeta(i)), 10)
			dst = append(dst, `,"nullable":`...)
			dst = strconv.AppendBool(dst, b.Nullable(i))
			dst = append(dst, '}')
		}
		return append(dst, ']')
	case *Rows:
		var schema, table []byte
		if e.Table != nil {
			schema, table = e.Table.Schema, e.Table.Table
		}
		dst = append(dst, `,"table_id":`...)
		dst = strconv.AppendUint(dst, b.TableID, 10)
		dst = append(dst, `,"schema":`...)
		dst = appendJSONBytes(dst, schema)
		dst = append(dst, `,"table":`...)
		dst = appendJSONBytes(dst, table)
		dst = append(dst, `,"body_flags":`...)
		dst = strconv.AppendUint(dst, uint64(b.Flags), 10)
		dst = append(dst, `,"stmt_end":`...)
		dst = strconv.AppendBool(dst, b.StmtEnd())
		dst = append(dst, `,"column_count":`...)
		dst = strconv.AppendUint(dst, b.ColumnCount, 10)
		if len(b.ColumnsBefore) > 0 {
			dst = append(dst, `,"columns_before":`...)
			dst = appendJSONBytes(dst, b.ColumnsBefore)
		}
		if len(b.ColumnsAfter) > 0 {
			dst = append(dst, `,"columns_after":`...)
			dst = appendJSONBytes(dst, b.ColumnsAfter)
		}
		dst = append(dst, `,"data_bytes":`...)
		dst = strconv.AppendInt(dst, int64(len(b.Data)), 10)
		if b.IsCompressed() {
			dst = append(dst, `,"compressed":true`...)
		}
		return dst
	case *Unknown:
		if len(b.Data) == 0 {
			return dst
		}
		dst = append(dst, `,"data":`...)
		return appendJSONBytes(dst, b.Data)
	}
	if generatedJSON.body != nil {
		if out, ok := generatedJSON.body(dst, e.Body); ok {
			return out
		}
	}
	return dst
}

// generatedJSON holds the appenders json_gen.go generates (set by its
// init, so that this package builds without that file while the generator,
// which imports it, writes it anew).
var generatedJSON struct {
	body   func(dst []byte, b Body) ([]byte, bool)
	status func(dst []byte, s *QueryStatus) []byte
}

// headerKey reports the keys the event object has before its body's.
func headerKey(k string) bool {
	switch k {
	case "file", "pos", "next_pos", "in_payload", "payload_offset", "type", "type_code",
		"timestamp", "server_id", "end_log_pos", "event_size", "flags", "crc32":
		return true
	}
	return false
}

// appendKey appends ",\"key\":" (with the "body_" prefix for a key of the
// top level that clashes with the header's); a key that opens an object is
// written without the comma by closeObject.
func appendKey(dst []byte, key string, top bool) []byte {
	dst = append(dst, ',', '"')
	if top && headerKey(key) {
		dst = append(dst, "body_"...)
	}
	dst = append(dst, key...)
	return append(dst, '"', ':')
}

// closeObject turns the fields appended after n (each with a leading comma)
// into an object.
func closeObject(dst []byte, n int) []byte {
	if len(dst) == n {
		return append(dst, '{', '}')
	}
	dst[n] = '{'
	return append(dst, '}')
}

// appendName appends a name of this package's own (an event or column type
// name, made of letters, digits, '_' and parentheses) as a JSON string:
// nothing in it needs escaping (TestNamesNeedNoEscape).
func appendName(dst []byte, s string) []byte {
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}

// appendJSONBytes appends p as a JSON string when it is text (valid UTF-8
// without control characters other than tab, newline and carriage return,
// only printable or space runes), else as {"hex":"…"}. The string is
// written as p is checked, in one pass (runs of plain ASCII a word at a
// time), and taken back when p turns out not to be text. In the string,
// '"', '\\' and control characters are escaped, U+2028 and U+2029 too, and
// nothing is HTML-escaped.
func appendJSONBytes(dst, p []byte) []byte {
	n := len(dst)
	dst = append(dst, '"')
	for q := p; len(q) > 0; {
		start, k := q, 0
		for len(q) >= 8 && plainASCII(binary.LittleEndian.Uint64(q)) {
			q = q[8:]
			k += 8
		}
		for len(q) > 0 && q[0] >= 0x20 && q[0] < utf8.RuneSelf && q[0] != '"' && q[0] != '\\' && q[0] != 0x7f {
			q = q[1:]
			k++
		}
		dst = append(dst, start[:k]...)
		if len(q) == 0 {
			break
		}
		r, size := utf8.DecodeRune(q)
		if c := q[0]; c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
				return appendHexObject(dst[:n], p)
			}
		} else if r == utf8.RuneError && size <= 1 || !unicode.IsPrint(r) && !unicode.IsSpace(r) {
			return appendHexObject(dst[:n], p)
		}
		dst = appendEscapedRune(dst, r, size, q[:size])
		q = q[size:]
	}
	return append(dst, '"')
}

// appendHexObject appends p as {"hex":"…"}.
func appendHexObject(dst, p []byte) []byte {
	dst = append(dst, `{"hex":"`...)
	for _, c := range p {
		dst = append(dst, hexDigits[c>>4], hexDigits[c&15])
	}
	return append(dst, `"}`...)
}

// plainASCII reports whether the eight bytes of v are all printable ASCII
// (0x20–0x7e) other than '"' and '\\': text that a JSON string holds as it
// is.
func plainASCII(v uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	q := v ^ ('"' * lo)
	b := v ^ ('\\' * lo)
	del := v ^ (0x7f * lo)
	return (v|(v-0x20*lo)|(q-lo)&^q|(b-lo)&^b|(del-lo)&^del)&hi == 0
}

// appendJSONString appends s as a JSON string (see appendJSONText).
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for len(s) >= 8 && plainASCII(uint64(s[0])|uint64(s[1])<<8|uint64(s[2])<<16|uint64(s[3])<<24|
		uint64(s[4])<<32|uint64(s[5])<<40|uint64(s[6])<<48|uint64(s[7])<<56) {
		dst = append(dst, s[:8]...)
		s = s[8:]
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '"' && c != '\\' && c != 0x7f {
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		dst = appendEscapedRune(dst, r, n, s[i:i+n])
		i += n
	}
	return append(dst, '"')
}

// appendEscapedRune appends one rune of a JSON string that is not plain
// ASCII: raw is its bytes as they were.
func appendEscapedRune[B []byte | string](dst []byte, r rune, size int, raw B) []byte {
	switch {
	case r == '"' || r == '\\':
		return append(dst, '\\', byte(r))
	case r == '\n':
		return append(dst, '\\', 'n')
	case r == '\r':
		return append(dst, '\\', 'r')
	case r == '\t':
		return append(dst, '\\', 't')
	case r < 0x20 || r == 0x7f:
		return append(dst, '\\', 'u', '0', '0', hexDigits[r>>4], hexDigits[r&0xf])
	case r == utf8.RuneError && size == 1:
		return append(dst, `\ufffd`...)
	case r == '\u2028' || r == '\u2029':
		return append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
	}
	return append(dst, raw...)
}

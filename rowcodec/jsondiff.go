package rowcodec

import (
	"encoding/base64"
	"encoding/binary"
	"io"
	"iter"
	"math"
	"strconv"
)

// JSON partial updates (KindJSONDiff).
//
// With binlog_row_value_options=PARTIAL_JSON (MySQL 8.0.3 and later), the
// after image of a PARTIAL_UPDATE_ROWS event may hold, for a JSON column,
// the list of changes made to it instead of the whole document: MySQL's
// Json_diff_vector (sql/json_diff.cc, write_binary/read_binary). On the
// wire it is a 4-byte little-endian length, then the diffs back to back,
// each:
//
//	operation  1 byte: 0 REPLACE, 1 INSERT, 2 REMOVE
//	path       packed-integer length, then the JSON path text ($.a, $[3], $."a b")
//	value      except for REMOVE: packed-integer length, then a binary JSON document
//
// Packing: b is the diff list after the 4-byte length (a view); kind
// KindJSONDiff; flag, aux and num unused.

// JSONDiffOp is the operation of one JSON diff.
type JSONDiffOp uint8

// JSON diff operations, numbered as MySQL writes them.
const (
	JSONDiffReplace JSONDiffOp = 0 // replace the value at Path (which exists)
	JSONDiffInsert  JSONDiffOp = 1 // insert Value at Path (an array position or a new member)
	JSONDiffRemove  JSONDiffOp = 2 // remove the value at Path
)

var jsonDiffOpNames = [...]string{"REPLACE", "INSERT", "REMOVE"}

// String returns "REPLACE", "INSERT" or "REMOVE" (a number for others).
func (op JSONDiffOp) String() string {
	if int(op) < len(jsonDiffOpNames) {
		return jsonDiffOpNames[op]
	}
	return "JSONDiffOp(" + strconv.Itoa(int(op)) + ")"
}

// JSONDiff is one change of a JSON partial update. Path and Value alias the
// event's bytes.
type JSONDiff struct {
	Op JSONDiffOp
	// Path is the JSON path text as MySQL logged it, e.g. $.a[2].
	Path []byte
	// Value is the new value as a binary JSON document (type byte first);
	// nil for REMOVE. Print it with JSONBinaryValue(d.Value).AppendJSONText.
	Value []byte
}

// JSONDiffReader walks the diffs of a KindJSONDiff value. It is a small
// value: declare one with Value.JSONDiffReader and call Next.
type JSONDiffReader struct {
	rest []byte
	err  error
}

// JSONDiffReader returns a reader over v's diffs (an empty one for other
// kinds).
func (v Value) JSONDiffReader() JSONDiffReader {
	if v.kind != KindJSONDiff {
		return JSONDiffReader{}
	}
	return JSONDiffReader{rest: v.b}
}

// Next returns the next diff, io.EOF after the last one, or an error
// wrapping ErrCorrupt; the error is sticky. It does not allocate (except to
// build an error).
func (r *JSONDiffReader) Next() (JSONDiff, error) {
	if r.err != nil {
		return JSONDiff{}, r.err
	}
	if len(r.rest) == 0 {
		r.err = io.EOF
		return JSONDiff{}, r.err
	}
	d, n, err := jsonReadDiff(r.rest)
	if err != nil {
		r.err = err
		return JSONDiff{}, err
	}
	r.rest = r.rest[n:]
	return d, nil
}

// JSONDiffs returns a single-use iterator over v's diffs, built on
// JSONDiffReader.Next; after an error it yields the error once and stops.
func (v Value) JSONDiffs() iter.Seq2[JSONDiff, error] {
	return func(yield func(JSONDiff, error) bool) {
		r := v.JSONDiffReader()
		for {
			d, err := r.Next()
			if err == io.EOF {
				return
			}
			if !yield(d, err) || err != nil {
				return
			}
		}
	}
}

// jsonReadPacked reads a packed (length-encoded) integer.
func jsonReadPacked(b []byte) (uint64, int, error) {
	if len(b) == 0 {
		return 0, 0, truncated("JSON diff length", 1, 0)
	}
	var w int
	switch c := b[0]; {
	case c < 251:
		return uint64(c), 1, nil
	case c == 252:
		w = 2
	case c == 253:
		w = 3
	case c == 254:
		w = 8
	default:
		return 0, 0, corruptf("JSON diff length byte 0x%02x", c)
	}
	if len(b) < 1+w {
		return 0, 0, truncated("JSON diff length", 1+w, len(b))
	}
	return jsonReadLE(b[1:], w), 1 + w, nil
}

func jsonAppendPacked(dst []byte, u uint64) []byte {
	switch {
	case u < 251:
		return append(dst, byte(u))
	case u < 1<<16:
		return jsonAppendLE(append(dst, 252), u, 2)
	case u < 1<<24:
		return jsonAppendLE(append(dst, 253), u, 3)
	}
	return jsonAppendLE(append(dst, 254), u, 8)
}

// jsonReadDiff reads one diff at the start of b.
func jsonReadDiff(b []byte) (JSONDiff, int, error) {
	var d JSONDiff
	if b[0] > byte(JSONDiffRemove) {
		return d, 0, corruptf("JSON diff operation %d", b[0])
	}
	d.Op = JSONDiffOp(b[0])
	pos := 1
	l, n, err := jsonReadPacked(b[pos:])
	if err != nil {
		return d, 0, err
	}
	pos += n
	if l == 0 || l > uint64(len(b)-pos) {
		if l == 0 {
			return d, 0, corruptf("JSON diff with an empty path")
		}
		return d, 0, truncated("JSON diff path", int(min(l, math.MaxInt32)), len(b)-pos)
	}
	d.Path = b[pos : pos+int(l) : pos+int(l)]
	pos += int(l)
	if d.Op == JSONDiffRemove {
		return d, pos, nil
	}
	l, n, err = jsonReadPacked(b[pos:])
	if err != nil {
		return d, 0, err
	}
	pos += n
	if l == 0 || l > uint64(len(b)-pos) {
		if l == 0 {
			return d, 0, corruptf("JSON diff with an empty value")
		}
		return d, 0, truncated("JSON diff value", int(min(l, math.MaxInt32)), len(b)-pos)
	}
	d.Value = b[pos : pos+int(l) : pos+int(l)]
	return d, pos + int(l), nil
}

// decodeJSONDiff decodes a JSON column's partial-update diff vector (in the
// after image of a PARTIAL_UPDATE_ROWS event) at the start of b.
func decodeJSONDiff(c *Column, b []byte) (Value, int, error) {
	if len(b) < 4 {
		return Value{}, 0, truncated("JSON diff vector length", 4, len(b))
	}
	l := binary.LittleEndian.Uint32(b)
	if uint64(l) > uint64(len(b)-4) {
		return Value{}, 0, truncated("JSON diff vector", int(min(l, math.MaxInt32)), len(b)-4)
	}
	end := 4 + int(l)
	v := Value{kind: KindJSONDiff, b: b[4:end:end]}
	r := v.JSONDiffReader()
	for {
		_, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Value{}, 0, err
		}
	}
	return v, end, nil
}

// appendJSONDiff appends the binary form of a diff vector value.
func appendJSONDiff(dst []byte, c *Column, v Value) ([]byte, error) {
	if v.kind != KindJSONDiff {
		return dst, corruptf("JSON diff column given a %v value", v.kind)
	}
	if uint64(len(v.b)) > math.MaxUint32 {
		return dst, corruptf("JSON diff vector of %d bytes", len(v.b))
	}
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(v.b)))
	return append(dst, v.b...), nil
}

// JSONDiffValue builds a KindJSONDiff value from diffs (each Value a binary
// JSON document, e.g. JSONValue(text).Bytes(); ignored for REMOVE), for
// writing a PARTIAL_UPDATE_ROWS after image. The value owns its bytes.
func JSONDiffValue(diffs ...JSONDiff) (Value, error) {
	var b []byte
	for _, d := range diffs {
		if d.Op > JSONDiffRemove {
			return Value{}, corruptf("JSON diff operation %d", d.Op)
		}
		if len(d.Path) == 0 || d.Op != JSONDiffRemove && len(d.Value) == 0 {
			return Value{}, corruptf("JSON diff without a path or a value")
		}
		b = append(b, byte(d.Op))
		b = jsonAppendPacked(b, uint64(len(d.Path)))
		b = append(b, d.Path...)
		if d.Op != JSONDiffRemove {
			b = jsonAppendPacked(b, uint64(len(d.Value)))
			b = append(b, d.Value...)
		}
	}
	if b == nil {
		b = []byte{}
	}
	return Value{kind: KindJSONDiff, b: b}, nil
}

// appendJSONDiffText appends the diffs as JSON_SET/JSON_REPLACE/JSON_REMOVE
// SQL applied to the column name.
//
// The rendering is mysqlbinlog's (print_json_diff in MySQL's
// libs/mysql/binlog/event/log_event.cc or sql/log_event.cc), on one line
// and with the column's name (in backquotes) when the table map logged it,
// else @N: the calls nest in diff order around the column, consecutive
// diffs of the same function share one call, and an INSERT whose path ends
// in ']' is JSON_ARRAY_INSERT:
//
//	JSON_REMOVE(JSON_INSERT(JSON_REPLACE(`j`, '$.a', 1, '$.b', 'x'), '$.c', CAST('[1, 2]' AS JSON)), '$.d')
//
// Values print as mysqlbinlog prints them: null, booleans, numbers and
// decimals bare; strings, dates, times and other opaque values as SQL
// strings of their unquoted JSON text; objects and arrays as
// CAST('…' AS JSON). SQL strings escape \b \f \n \r \t \\ \' and other
// bytes below 0x20 as \xNN. No diffs print the column alone.
// appendJSONDiffBinlogText gives mysqlbinlog -vv's exact multi-line form.
func appendJSONDiffText(dst []byte, c *Column, v Value) ([]byte, error) {
	return appendJSONDiffCalls(dst, c, v, "", " ", false)
}

// appendJSONDiffBinlogText appends the diffs exactly as mysqlbinlog -vv
// prints a partial JSON update after "###   @N=": the column as @N, and a
// line break followed by "###      " between the function names and after
// each argument group's comma.
func appendJSONDiffBinlogText(dst []byte, c *Column, v Value) ([]byte, error) {
	const sep = "\n###      "
	return appendJSONDiffCalls(dst, c, v, sep, sep, true)
}

// jsonDiffFunc is the SQL function mysqlbinlog names a diff with.
func jsonDiffFunc(d *JSONDiff) string {
	if d.Op == JSONDiffInsert && d.Path[len(d.Path)-1] == ']' {
		return "JSON_ARRAY_INSERT"
	}
	return jsonDiffOpFuncs[d.Op]
}

var jsonDiffOpFuncs = [...]string{"JSON_REPLACE", "JSON_INSERT", "JSON_REMOVE"}

func appendJSONDiffCalls(dst []byte, c *Column, v Value, nameSep, argSep string, atN bool) ([]byte, error) {
	if v.kind != KindJSONDiff {
		return dst, corruptf("JSON diff text of a %v value", v.kind)
	}
	// Function names, outermost (last run of equal names) first. Written
	// reversed in diff order, then the whole run reversed in place, so
	// nothing is allocated.
	start := len(dst)
	r := v.JSONDiffReader()
	prev := ""
	for {
		d, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return dst, err
		}
		name := jsonDiffFunc(&d)
		if name == prev {
			continue
		}
		if prev != "" {
			for i := len(nameSep) - 1; i >= 0; i-- {
				dst = append(dst, nameSep[i])
			}
		}
		dst = append(dst, '(')
		for i := len(name) - 1; i >= 0; i-- {
			dst = append(dst, name[i])
		}
		prev = name
	}
	jsonReverse(dst[start:])
	if c != nil && len(c.Name) > 0 && !atN {
		dst = append(dst, '`')
		for _, ch := range c.Name {
			if ch == '`' {
				dst = append(dst, '`')
			}
			dst = append(dst, ch)
		}
		dst = append(dst, '`')
	} else {
		idx := 0
		if c != nil {
			idx = c.Index
		}
		dst = append(dst, '@')
		dst = strconv.AppendInt(dst, int64(idx+1), 10)
	}
	if prev == "" {
		return dst, nil
	}
	dst = append(dst, ", "...)
	r = v.JSONDiffReader()
	d, err := r.Next()
	for err == nil {
		next, nerr := r.Next()
		if nerr != nil && nerr != io.EOF {
			return dst, nerr
		}
		dst = appendJSONBinlogQuoted(dst, d.Path)
		if d.Op != JSONDiffRemove {
			dst = append(dst, ", "...)
			if dst, err = appendJSONDiffValue(dst, d.Value); err != nil {
				return dst, err
			}
		}
		if nerr == io.EOF || jsonDiffFunc(&next) != jsonDiffFunc(&d) {
			dst = append(dst, ')')
		}
		if nerr == io.EOF {
			break
		}
		dst = append(dst, ',')
		dst = append(dst, argSep...)
		d = next
	}
	return dst, nil
}

// appendJSONDiffValue prints a diff's value as mysqlbinlog does
// (json_wrapper_to_string with json_type false).
func appendJSONDiffValue(dst []byte, doc []byte) ([]byte, error) {
	if len(doc) == 0 {
		return append(dst, "null"...), nil
	}
	start := len(dst)
	var err error
	switch doc[0] {
	case jsonSmallObject, jsonLargeObject, jsonSmallArray, jsonLargeArray:
		dst = append(dst, "CAST("...)
		q := len(dst)
		if dst, err = appendJSONDoc(dst, doc); err != nil {
			return dst, err
		}
		return append(jsonBinlogQuoteTail(dst, q), " AS JSON)"...), nil
	case jsonString:
		s, _, err := jsonReadString(doc[1:])
		if err != nil {
			return dst, err
		}
		return appendJSONBinlogQuoted(dst, s), nil
	case jsonOpaque:
		ft, data, _, err := jsonReadOpaque(doc[1:])
		if err != nil {
			return dst, err
		}
		switch ft {
		case jsonOpaqueNewDecimal:
			return appendJSONOpaque(dst, ft, data)
		case jsonOpaqueVarString:
			return appendJSONBinlogQuoted(dst, data), nil
		case jsonOpaqueDate, jsonOpaqueDatetime, jsonOpaqueTimestamp, jsonOpaqueTime:
			if dst, err = appendJSONOpaque(dst, ft, data); err != nil {
				return dst, err
			}
			// The printer quotes them: make those quotes the SQL ones.
			dst[start] = '\''
			dst[len(dst)-1] = '\''
			return dst, nil
		}
		// base64:typeN:… unquoted: the line breaks are real newlines.
		dst = append(dst, "base64:type"...)
		dst = strconv.AppendUint(dst, uint64(ft), 10)
		dst = append(dst, ':')
		for len(data) > 0 {
			n := min(len(data), 57)
			dst = base64.StdEncoding.AppendEncode(dst, data[:n])
			data = data[n:]
			if len(data) > 0 {
				dst = append(dst, '\n')
			}
		}
		return jsonBinlogQuoteTail(dst, start), nil
	}
	return appendJSONDoc(dst, doc)
}

// appendJSONBinlogQuoted appends s as mysqlbinlog's my_b_write_quoted does.
func appendJSONBinlogQuoted(dst []byte, s []byte) []byte {
	start := len(dst)
	dst = append(dst, s...)
	return jsonBinlogQuoteTail(dst, start)
}

// jsonBinlogQuoteTail turns dst[start:] into a single-quoted SQL string in
// place, as mysqlbinlog's my_b_write_quoted writes one: \b \f \n \r \t
// \\ and \' escaped, other bytes below 0x20 as \xNN (lower-case hex),
// everything else as it is.
func jsonBinlogQuoteTail(dst []byte, start int) []byte {
	extra := 2
	for _, c := range dst[start:] {
		switch {
		case c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t' || c == '\\' || c == '\'':
			extra++
		case c < 0x20:
			extra += 3
		}
	}
	old := len(dst)
	for range extra {
		dst = append(dst, 0)
	}
	const hex = "0123456789abcdef"
	w := len(dst) - 1
	dst[w] = '\''
	for i := old - 1; i >= start; i-- {
		c := dst[i]
		var esc byte
		switch c {
		case '\b':
			esc = 'b'
		case '\f':
			esc = 'f'
		case '\n':
			esc = 'n'
		case '\r':
			esc = 'r'
		case '\t':
			esc = 't'
		case '\\', '\'':
			esc = c
		}
		switch {
		case esc != 0:
			w -= 2
			dst[w], dst[w+1] = '\\', esc
		case c < 0x20:
			w -= 4
			dst[w], dst[w+1], dst[w+2], dst[w+3] = '\\', 'x', hex[c>>4], hex[c&15]
		default:
			w--
			dst[w] = c
		}
	}
	dst[start] = '\''
	return dst
}

// jsonPathLeg is one step of a JSON path: a member name or an array index
// (from the end when fromEnd: [last] is fromEnd 0, [last-2] fromEnd 2).
type jsonPathLeg struct {
	member  bool
	key     []byte
	index   uint64
	fromEnd bool
}

// parseJSONPath parses the paths MySQL logs in JSON diffs: $ then member
// legs (.name, ."quoted name") and array legs ([N], [last], [last-N]).
// Wildcards and ranges, which never address a single value, are refused.
func parseJSONPath(path []byte) ([]jsonPathLeg, error) {
	p := jsonTextParser{s: path}
	p.ws()
	if p.i >= len(p.s) || p.s[p.i] != '$' {
		return nil, corruptf("JSON path %q does not start with $", path)
	}
	p.i++
	var legs []jsonPathLeg
	for {
		p.ws()
		if p.i >= len(p.s) {
			return legs, nil
		}
		switch p.s[p.i] {
		case '.':
			p.i++
			p.ws()
			if p.i < len(p.s) && p.s[p.i] == '"' {
				k, err := p.str()
				if err != nil {
					return nil, err
				}
				legs = append(legs, jsonPathLeg{member: true, key: k})
				continue
			}
			s := p.i
			for p.i < len(p.s) {
				c := p.s[p.i]
				if c == '.' || c == '[' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '*' || c == '"' {
					break
				}
				p.i++
			}
			if p.i == s {
				return nil, corruptf("JSON path %q: bad member name", path)
			}
			legs = append(legs, jsonPathLeg{member: true, key: p.s[s:p.i:p.i]})
		case '[':
			p.i++
			p.ws()
			leg := jsonPathLeg{}
			if len(p.s)-p.i >= 4 && string(p.s[p.i:p.i+4]) == "last" {
				p.i += 4
				leg.fromEnd = true
				p.ws()
				if p.i < len(p.s) && p.s[p.i] == '-' {
					p.i++
					p.ws()
					n, ok := p.index()
					if !ok {
						return nil, corruptf("JSON path %q: bad array index", path)
					}
					leg.index = n
				}
			} else {
				n, ok := p.index()
				if !ok {
					return nil, corruptf("JSON path %q: bad array index", path)
				}
				leg.index = n
			}
			p.ws()
			if p.i >= len(p.s) || p.s[p.i] != ']' {
				return nil, corruptf("JSON path %q: bad array leg", path)
			}
			p.i++
			legs = append(legs, leg)
		default:
			return nil, corruptf("JSON path %q: unexpected %q", path, p.s[p.i])
		}
	}
}

func (p *jsonTextParser) index() (uint64, bool) {
	s := p.i
	var n uint64
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		if n > math.MaxUint32 {
			return 0, false
		}
		n = n*10 + uint64(p.s[p.i]-'0')
		p.i++
	}
	return n, p.i > s
}

// resolve returns the array position a leg addresses in an array of n.
func (l *jsonPathLeg) resolve(n int) (int, bool) {
	if !l.fromEnd {
		if l.index > math.MaxInt32 {
			return math.MaxInt32, true
		}
		return int(l.index), true
	}
	if l.index >= uint64(n) {
		return 0, false
	}
	return n - 1 - int(l.index), true
}

// find returns the position of key in object n (sorted keys), or where it
// would be inserted and false.
func (n *jsonNode) find(key []byte) (int, bool) {
	lo, hi := 0, len(n.keys)
	for lo < hi {
		m := (lo + hi) / 2
		if jsonCompareKeys(n.keys[m], key) < 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(n.keys) && string(n.keys[lo]) == string(key)
}

// ApplyJSONDiffs applies a partial update (a KindJSONDiff value) to the
// document before (a MySQL binary KindJSON value) and returns the document
// after it, as a new KindJSON value that owns its bytes.
//
// The diffs apply in order, as MySQL's apply_json_diffs does: REPLACE needs
// the path to exist (the path $ replaces the whole document); INSERT adds a
// member to an object (replacing one of the same name) or inserts into an
// array before the position (appending past the end); REMOVE needs the path
// to exist. A path whose parent does not exist or is not of the right kind
// is an error. The result is serialized afresh, as MySQL writes a new
// document: it prints the same as the server's after image, but is not
// byte-identical to an image updated in place (which keeps holes).
func ApplyJSONDiffs(before Value, diffs Value) (Value, error) {
	if before.kind != KindJSON || before.flag&jsonFlagText != 0 {
		return Value{}, corruptf("JSON diffs applied to a %v value", before.kind)
	}
	if diffs.kind != KindJSONDiff {
		return Value{}, corruptf("JSON diffs given a %v value", diffs.kind)
	}
	root, err := jsonParseDoc(before.b)
	if err != nil {
		return Value{}, err
	}
	r := diffs.JSONDiffReader()
	for {
		d, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Value{}, err
		}
		if err := applyJSONDiff(&root, d); err != nil {
			return Value{}, err
		}
	}
	doc, err := root.appendDoc(nil)
	if err != nil {
		return Value{}, err
	}
	return Value{kind: KindJSON, b: doc}, nil
}

func applyJSONDiff(root *jsonNode, d JSONDiff) error {
	legs, err := parseJSONPath(d.Path)
	if err != nil {
		return err
	}
	var val jsonNode
	if d.Op != JSONDiffRemove {
		if val, err = jsonParseDoc(d.Value); err != nil {
			return err
		}
	}
	if len(legs) == 0 {
		if d.Op != JSONDiffReplace {
			return corruptf("JSON diff %v of the whole document", d.Op)
		}
		*root = val
		return nil
	}
	parent := root
	for _, leg := range legs[:len(legs)-1] {
		next, ok := parent.child(&leg)
		if !ok {
			return corruptf("JSON diff path %q does not exist", d.Path)
		}
		parent = next
	}
	last := legs[len(legs)-1]
	if last.member {
		if parent.typ != jsonSmallObject {
			return corruptf("JSON diff path %q: parent is not an object", d.Path)
		}
		i, found := parent.find(last.key)
		switch {
		case d.Op == JSONDiffRemove && found:
			parent.keys = append(parent.keys[:i], parent.keys[i+1:]...)
			parent.kids = append(parent.kids[:i], parent.kids[i+1:]...)
		case d.Op == JSONDiffRemove || d.Op == JSONDiffReplace && !found:
			return corruptf("JSON diff path %q does not exist", d.Path)
		case found:
			parent.kids[i] = val
		default:
			parent.keys = append(parent.keys, nil)
			copy(parent.keys[i+1:], parent.keys[i:])
			parent.keys[i] = last.key
			parent.kids = append(parent.kids, jsonNode{})
			copy(parent.kids[i+1:], parent.kids[i:])
			parent.kids[i] = val
		}
		return nil
	}
	if parent.typ != jsonSmallArray {
		return corruptf("JSON diff path %q: parent is not an array", d.Path)
	}
	i, ok := last.resolve(len(parent.kids))
	switch {
	case d.Op == JSONDiffInsert:
		if !ok {
			i = 0
		}
		if i >= len(parent.kids) {
			parent.kids = append(parent.kids, val)
			return nil
		}
		parent.kids = append(parent.kids, jsonNode{})
		copy(parent.kids[i+1:], parent.kids[i:])
		parent.kids[i] = val
	case !ok || i >= len(parent.kids):
		return corruptf("JSON diff path %q does not exist", d.Path)
	case d.Op == JSONDiffReplace:
		parent.kids[i] = val
	default:
		parent.kids = append(parent.kids[:i], parent.kids[i+1:]...)
	}
	return nil
}

// child returns the member or element a leg addresses.
func (n *jsonNode) child(l *jsonPathLeg) (*jsonNode, bool) {
	if l.member {
		if n.typ != jsonSmallObject {
			return nil, false
		}
		i, ok := n.find(l.key)
		if !ok {
			return nil, false
		}
		return &n.kids[i], true
	}
	if n.typ != jsonSmallArray {
		return nil, false
	}
	i, ok := l.resolve(len(n.kids))
	if !ok || i >= len(n.kids) {
		return nil, false
	}
	return &n.kids[i], true
}

func jsonReverse(b []byte) {
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
}

package rowcodec

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// jsonPrinterRef is the JSON printer before its container loop read the
// entries inline and printed small scalars and short strings itself: the
// reference the faster printer is compared with.
type jsonPrinterRef struct {
	budget int
	outMax int
}

func appendJSONDocReference(dst []byte, doc []byte) ([]byte, error) {
	if len(doc) == 0 {
		return append(dst, "null"...), nil
	}
	p := jsonPrinterRef{budget: len(doc) + 1, outMax: len(dst) + 16*len(doc) + 64}
	return p.value(dst, doc[0], doc[1:], 0)
}

// value is jsonPrinter.value as it was before the fast paths; it prints the value of type typ whose bytes start at b (for an
// inlined value, b is its entry).
func (p *jsonPrinterRef) value(dst []byte, typ byte, b []byte, depth int) ([]byte, error) {
	p.budget--
	if p.budget < 0 || len(dst) > p.outMax {
		return dst, corruptf("JSON document refers to the same bytes more than once")
	}
	switch typ {
	case jsonSmallObject, jsonLargeObject, jsonSmallArray, jsonLargeArray:
		return p.container(dst, typ, b, depth+1)
	case jsonLiteral:
		if len(b) < 1 {
			return dst, truncated("JSON literal", 1, 0)
		}
		switch b[0] {
		case jsonLiteralNull:
			return append(dst, "null"...), nil
		case jsonLiteralTrue:
			return append(dst, "true"...), nil
		case jsonLiteralFalse:
			return append(dst, "false"...), nil
		}
		return dst, corruptf("JSON literal 0x%02x", b[0])
	case jsonInt16:
		if len(b) < 2 {
			return dst, truncated("JSON int16", 2, len(b))
		}
		return strconv.AppendInt(dst, int64(int16(binary.LittleEndian.Uint16(b))), 10), nil
	case jsonUint16:
		if len(b) < 2 {
			return dst, truncated("JSON uint16", 2, len(b))
		}
		return strconv.AppendUint(dst, uint64(binary.LittleEndian.Uint16(b)), 10), nil
	case jsonInt32:
		if len(b) < 4 {
			return dst, truncated("JSON int32", 4, len(b))
		}
		return strconv.AppendInt(dst, int64(int32(binary.LittleEndian.Uint32(b))), 10), nil
	case jsonUint32:
		if len(b) < 4 {
			return dst, truncated("JSON uint32", 4, len(b))
		}
		return strconv.AppendUint(dst, uint64(binary.LittleEndian.Uint32(b)), 10), nil
	case jsonInt64:
		if len(b) < 8 {
			return dst, truncated("JSON int64", 8, len(b))
		}
		return strconv.AppendInt(dst, int64(binary.LittleEndian.Uint64(b)), 10), nil
	case jsonUint64:
		if len(b) < 8 {
			return dst, truncated("JSON uint64", 8, len(b))
		}
		return strconv.AppendUint(dst, binary.LittleEndian.Uint64(b), 10), nil
	case jsonDouble:
		if len(b) < 8 {
			return dst, truncated("JSON double", 8, len(b))
		}
		return appendJSONDoubleReference(dst, math.Float64frombits(binary.LittleEndian.Uint64(b))), nil
	case jsonString:
		s, _, err := jsonReadString(b)
		if err != nil {
			return dst, err
		}
		return appendJSONQuoted(dst, s), nil
	case jsonOpaque:
		ft, data, _, err := jsonReadOpaque(b)
		if err != nil {
			return dst, err
		}
		return appendJSONOpaque(dst, ft, data)
	}
	return dst, corruptf("JSON value type 0x%02x", typ)
}

func (p *jsonPrinterRef) container(dst []byte, typ byte, b []byte, depth int) ([]byte, error) {
	if depth > jsonMaxDepth {
		return dst, corruptf("JSON document deeper than %d", jsonMaxDepth)
	}
	c, err := parseJSONContainer(typ, b)
	if err != nil {
		return dst, err
	}
	open, close := byte('['), byte(']')
	if c.obj {
		open, close = '{', '}'
	}
	dst = append(dst, open)
	for i := 0; i < c.count; i++ {
		if i > 0 {
			dst = append(dst, ", "...)
		}
		if c.obj {
			k, err := c.key(i)
			if err != nil {
				return dst, err
			}
			dst = appendJSONQuoted(dst, k)
			dst = append(dst, ": "...)
		}
		t, vb, err := c.elem(i)
		if err != nil {
			return dst, err
		}
		if dst, err = p.value(dst, t, vb, depth); err != nil {
			return dst, err
		}
	}
	return append(dst, close), nil
}

// printBoth prints doc with the printer and the reference and fails when
// the text or the success differ (errors may differ only in wording, never
// in whether there is one).
func printBoth(t *testing.T, what string, doc []byte) {
	t.Helper()
	prefix := []byte("x=")
	got, gerr := appendJSONDoc(append([]byte(nil), prefix...), doc)
	want, werr := appendJSONDocReference(append([]byte(nil), prefix...), doc)
	if (gerr == nil) != (werr == nil) {
		t.Fatalf("%s: doc % x: error %v, reference %v", what, doc, gerr, werr)
	}
	if gerr == nil && string(got) != string(want) {
		t.Fatalf("%s: doc % x:\n got %s\nwant %s", what, doc, got, want)
	}
	if gerr != nil && gerr.Error() != werr.Error() {
		t.Fatalf("%s: doc % x: error %q, reference %q", what, doc, gerr, werr)
	}
}

// TestJSONPrinterMatchesReference compares the printer with the one before
// its fast paths on random documents, the same documents with bytes
// changed or cut (corrupt input must fail, or print, alike), large
// (4-byte offset) containers, shared-offset documents and the fuzz seeds.
func TestJSONPrinterMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var docs [][]byte
	for range 4000 {
		v := jsonGenRef(r, 0)
		var text strings.Builder
		v.writeText(r, &text)
		jv, err := JSONValue([]byte(text.String()))
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, jv.b)
	}
	// Large containers: more than 64 KiB of members.
	var big strings.Builder
	big.WriteString(`{"a": [`)
	for i := range 9000 {
		if i > 0 {
			big.WriteString(", ")
		}
		big.WriteString(`{"k": "` + strconv.Itoa(i) + `", "n": ` + strconv.Itoa(i-4500) + `, "t": true, "f": 1.25, "s": "` + strings.Repeat("y", i%200) + `"}`)
	}
	big.WriteString(`], "b": null, "c": -32768, "d": 65535, "e": 4294967295}`)
	jv, err := JSONValue([]byte(big.String()))
	if err != nil {
		t.Fatal(err)
	}
	if jv.b[0] != jsonLargeObject {
		t.Fatalf("the big document is of type %#x, not a large object", jv.b[0])
	}
	docs = append(append(docs, jsonSeedDocs(t)...), jv.b)
	for i, doc := range docs {
		printBoth(t, "doc "+strconv.Itoa(i), doc)
	}
	// Mutations: every kind of corruption the checks must catch alike.
	for i := range 200000 {
		doc := docs[r.IntN(len(docs)-1)] // not the big one: too slow
		m := append([]byte(nil), doc...)
		if len(m) == 0 {
			continue
		}
		switch r.IntN(4) {
		case 0:
			m[r.IntN(len(m))] = byte(r.IntN(256))
		case 1:
			for range 1 + r.IntN(4) {
				m[r.IntN(len(m))] ^= 1 << r.IntN(8)
			}
		case 2:
			m = m[:r.IntN(len(m)+1)]
		case 3:
			// Small offsets and lengths: point entries at other entries.
			j := r.IntN(len(m))
			m[j] = byte(r.IntN(24))
		}
		printBoth(t, "mutation "+strconv.Itoa(i), m)
	}
	// Literal bytes beyond false, inlined in an array.
	for lit := range 256 {
		printBoth(t, "literal", []byte{jsonSmallArray, 1, 0, 7, 0, jsonLiteral, byte(lit), 0})
	}
}

// BenchmarkJSONPrint prints a document shaped like the bench tool's ~1 KB
// ones with the printer and with the reference.
func BenchmarkJSONPrint(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"id": 123456, "name": "customer 123456", "tags": ["a", "b", "c"], "score": 417.5, "orders": [`)
	for j := range 12 {
		if j > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(`{"sku": "SKU-0` + strconv.Itoa(4711+j) + `", "qty": ` + strconv.Itoa(j) + `, "price": 19.99, "gift": ` + strconv.FormatBool(j%2 == 0) + `}`)
	}
	sb.WriteString(`]}`)
	jv, err := JSONValue([]byte(sb.String()))
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 0, 4096)
	for _, impl := range []struct {
		name string
		f    func([]byte, []byte) ([]byte, error)
	}{{"new", appendJSONDoc}, {"reference", appendJSONDocReference}} {
		b.Run(impl.name, func(b *testing.B) {
			b.SetBytes(int64(len(jv.b)))
			for b.Loop() {
				if buf, err = impl.f(buf[:0], jv.b); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

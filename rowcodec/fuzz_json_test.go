package rowcodec

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// jsonSeedDocs are binary documents for the fuzz targets' seed corpora.
func jsonSeedDocs(t testing.TB) [][]byte {
	docs := [][]byte{
		jsonHex(t, "00 03 00 33 00 19 00 03 00 1c 00 04 00 20 00 04 00 05 18 00 0c 24 00 0c 2f 00 "+
			"61 67 65 64 61 74 61 6e 61 6d 65 0a 78 78 78 78 78 78 78 78 78 78 03 4a 6f 65"),
		jsonHex(t, "03 02 00 00 00 12 00 00 00 07 70 11 01 00 05 fb ff 00 00"),
		jsonHex(t, "01 01 00 00 00 14 00 00 00 13 00 00 00 01 00 07 ff ff ff 7f 6b"),
		jsonOpaqueDoc(246, jsonHex(t, "0e 04 81 0d fb 38 d2 04 d2")),
		jsonOpaqueDoc(11, jsonLE64(-((87<<12|31<<6|46)<<24 + 654321))),
		jsonOpaqueDoc(12, jsonLE64(jsonPackedDatetime(2012, 3, 18, 11, 30, 45, 0))),
		jsonOpaqueDoc(15, []byte("U")),
		{},
	}
	for _, text := range []string{`[1, -70000, 5000000000, 18446744073709551615, 1.5, "a\nb", true, false, null, {}]`,
		`{"a": {"b": [{"c": "d"}]}, "": 0}`, `"x"`, `-1e-300`} {
		v, err := JSONValue([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, v.b)
	}
	return docs
}

// FuzzJSON: decoding and printing any bytes never panics, and the work is
// bounded (the printer refuses documents whose output would exceed a
// fixed multiple of their size); a document that prints reads into the
// tree of ApplyJSONDiffs and, rewritten, prints the same.
func FuzzJSON(f *testing.F) {
	for _, d := range jsonSeedDocs(f) {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		if v, n, err := decodeJSON(jsonCol, doc); err == nil {
			if n > len(doc) {
				t.Fatalf("used %d of %d", n, len(doc))
			}
			_, _ = appendJSONText(nil, v)
		}
		// The SQL form never panics, and reads the same documents.
		exact := JSONBinaryValue(doc).JSONTextExact()
		// AppendJSONTextExact is JSONTextExact, then AppendJSONText.
		got, ok := JSONBinaryValue(doc).AppendJSONTextExact([]byte("x"))
		want, werr := appendJSONText([]byte("x"), JSONBinaryValue(doc))
		if ok != (exact && werr == nil) || ok && !bytes.Equal(got, want) || !ok && string(got) != "x" {
			t.Fatalf("AppendJSONTextExact = %q, %v; JSONTextExact %v, AppendJSONText %q, %v", got, ok, exact, want, werr)
		}
		_, sqlErr := AppendJSONSQL(nil, JSONBinaryValue(doc), AppendQuotedString)
		out, err := appendJSONText(nil, JSONBinaryValue(doc))
		if err != nil {
			return
		}
		if sqlErr != nil && exact {
			t.Fatalf("AppendJSONSQL: %v for a document that prints", sqlErr)
		}
		if js, err := JSONBinaryValue(doc).AppendJSON(nil, jsonCol); err == nil && !json.Valid(js) {
			t.Fatalf("AppendJSON gives invalid JSON %q", js)
		} else if err != nil && utf8.Valid(out) {
			t.Fatalf("AppendJSON: %v for a document that prints as UTF-8", err)
		}
		if len(out) > 16*len(doc)+64 {
			t.Fatalf("%d bytes printed %d", len(doc), len(out))
		}
		tree, err := jsonParseDoc(doc)
		if err != nil {
			t.Fatalf("printed but tree failed: %v", err)
		}
		re, err := tree.appendDoc(nil)
		if err != nil {
			return // e.g. keys that do not fit once holes are dropped: not possible, but not this target's concern
		}
		out2, err := appendJSONText(nil, JSONBinaryValue(re))
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("rewritten document prints %q (%v), original %q", out2, err, out)
		}
	})
}

// FuzzJSONDiff: decoding a diff vector, printing it as SQL and applying it
// never panic; a vector that decodes re-encodes to the same bytes.
func FuzzJSONDiff(f *testing.F) {
	f.Add(jsonHex(f, "0b 00 00 00 00 05 24 2e 61 67 65 03 05 1a 00"))
	seed := func(diffs ...JSONDiff) {
		v, err := JSONDiffValue(diffs...)
		if err != nil {
			f.Fatal(err)
		}
		b, _ := appendJSONDiff(nil, jsonCol, v)
		f.Add(b)
	}
	seed(jdiff(f, JSONDiffReplace, "$.a", `"x"`), jdiff(f, JSONDiffInsert, "$.b[1]", "9"), jdiff(f, JSONDiffRemove, `$."c b".d`, ""))
	seed(jdiff(f, JSONDiffInsert, "$[last-1]", `{"k": [1]}`), jdiff(f, JSONDiffReplace, "$", "null"))
	seed()
	before := mustJSON(f, `{"a": 1, "b": [1, 2, 3], "c b": {"d": true}, "e": [[], {}]}`)
	f.Fuzz(func(t *testing.T, b []byte) {
		v, n, err := decodeJSONDiff(jsonCol, b)
		if err != nil {
			return
		}
		enc, err := appendJSONDiff(nil, jsonCol, v)
		if err != nil || !bytes.Equal(enc, b[:n]) {
			t.Fatalf("re-encode % x (%v), want % x", enc, err, b[:n])
		}
		_, _ = appendJSONDiffText(nil, jsonCol, v)
		if js, err := v.AppendJSON(nil, jsonCol); err == nil && !json.Valid(js) {
			t.Fatalf("AppendJSON gives invalid JSON %q", js)
		}
		_, _ = appendJSONDiffBinlogText(nil, jsonCol, v)
		after, err := ApplyJSONDiffs(before, v)
		if err == nil {
			if _, err := appendJSONText(nil, after); err != nil {
				t.Fatalf("applied document does not print: %v", err)
			}
		}
	})
}

// FuzzJSONText: JSONValue never panics; for text it accepts, the printed
// form parses back to the same binary document and prints the same.
func FuzzJSONText(f *testing.F) {
	for _, s := range []string{`{"b": 1, "a": [1.5, -0.0, 1e100, "\u00e9\ud83d\ude00"], "a": null}`, `[]`, `"\n"`, `-0`,
		`18446744073709551616`, `[[[[]]]]`, `{"": {"": ""}}`, `1E-7`, ` true `, `"\u0000"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		v, err := JSONValue(text)
		if err != nil {
			return
		}
		out, err := appendJSONText(nil, v)
		if err != nil {
			t.Fatalf("JSONValue(%q) does not print: %v", text, err)
		}
		v2, err := JSONValue(out)
		if err != nil {
			t.Fatalf("printed %q does not parse: %v", out, err)
		}
		if !bytes.Equal(v2.b, v.b) {
			t.Fatalf("%q: binary differs after print/parse (%q)", text, out)
		}
	})
}

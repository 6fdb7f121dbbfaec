package rowcodec

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

func jsonDiffVector(t testing.TB, diffs ...JSONDiff) Value {
	t.Helper()
	v, err := JSONDiffValue(diffs...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func jdiff(t testing.TB, op JSONDiffOp, path, value string) JSONDiff {
	d := JSONDiff{Op: op, Path: []byte(path)}
	if op != JSONDiffRemove {
		d.Value = mustJSON(t, value).b
	}
	return d
}

func jsonDiffText(t testing.TB, c *Column, v Value) string {
	t.Helper()
	out, err := appendJSONDiffText(nil, c, v)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// The diff vector of json.binlog.000001's PARTIAL_UPDATE_ROWS, byte by byte:
// length 11, REPLACE, path "$.age", value int16 26.
func TestJSONDiffHandBuilt(t *testing.T) {
	b := jsonHex(t, "0b 00 00 00 00 05 24 2e 61 67 65 03 05 1a 00 03 00 4a 6f 65")
	v, n, err := decodeJSONDiff(jsonCol, b)
	if err != nil || n != 15 || v.Kind() != KindJSONDiff {
		t.Fatalf("decode: %d %v", n, err)
	}
	var got []JSONDiff
	for d, err := range v.JSONDiffs() {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, d)
	}
	if len(got) != 1 || got[0].Op != JSONDiffReplace || string(got[0].Path) != "$.age" || jsonText(t, JSONBinaryValue(got[0].Value)) != "26" {
		t.Fatalf("diffs %+v", got)
	}
	if s := jsonDiffText(t, jsonCol, v); s != `JSON_REPLACE(@2, '$.age', 26)` {
		t.Errorf("text %s", s)
	}
	enc, err := appendJSONDiff(nil, jsonCol, v)
	if err != nil || string(enc) != string(b[:15]) {
		t.Errorf("re-encode % x %v", enc, err)
	}
	built := jsonDiffVector(t, jdiff(t, JSONDiffReplace, "$.age", "26"))
	if string(built.b) != string(b[4:15]) {
		t.Errorf("JSONDiffValue % x", built.b)
	}
	before := mustJSON(t, `{"age": 25, "data": "xxxxxxxxxx", "name": "Joe"}`)
	after, err := ApplyJSONDiffs(before, v)
	if err != nil || jsonText(t, after) != `{"age": 26, "data": "xxxxxxxxxx", "name": "Joe"}` {
		t.Errorf("apply: %s %v", jsonText(t, after), err)
	}
}

// TESTCASES #28: several diffs per column (all three operations), several
// JSON columns, NULL, an untouched column, a string that looks like JSON;
// applying reproduces MySQL's result.
func TestJSONDiffCase28PartialUpdates(t *testing.T) {
	before := mustJSON(t, `{"a": 1, "b": [1, 2, 3], "c b": {"d": true}}`)
	diffs := jsonDiffVector(t,
		jdiff(t, JSONDiffReplace, "$.a", `"x"`),
		jdiff(t, JSONDiffInsert, "$.b[1]", "9"),
		jdiff(t, JSONDiffInsert, "$.e", "null"),
		jdiff(t, JSONDiffRemove, `$."c b".d`, ""),
		jdiff(t, JSONDiffInsert, "$.b[10]", "7"),
		jdiff(t, JSONDiffRemove, "$.b[0]", ""),
		jdiff(t, JSONDiffReplace, "$.b[last]", "[true]"),
	)
	n := 0
	for range diffs.JSONDiffs() {
		n++
	}
	if n != 7 {
		t.Fatalf("%d diffs, want all 7 (go-mysql reads only the first)", n)
	}
	after, err := ApplyJSONDiffs(before, diffs)
	if err != nil {
		t.Fatal(err)
	}
	// JSON_REPLACE/JSON_INSERT/JSON_REMOVE applied in turn by MySQL give
	// this document (keys sorted by length, then bytes).
	if got := jsonText(t, after); got != `{"a": "x", "b": [9, 2, 3, [true]], "e": null, "c b": {}}` {
		t.Errorf("after: %s", got)
	}
	named := &Column{Index: 1, Type: 245, Meta: 4, Name: []byte("j`s")}
	// mysqlbinlog's rendering: an INSERT at an array position is
	// JSON_ARRAY_INSERT; strings are SQL strings, numbers and null bare.
	want := "JSON_REPLACE(JSON_REMOVE(JSON_ARRAY_INSERT(JSON_REMOVE(JSON_INSERT(JSON_ARRAY_INSERT(JSON_REPLACE(`j``s`, '$.a', 'x'), " +
		"'$.b[1]', 9), '$.e', null), '$.\"c b\".d'), '$.b[10]', 7), '$.b[0]'), '$.b[last]', CAST('[true]' AS JSON))"
	if got := jsonDiffText(t, named, diffs); got != want {
		t.Errorf("text\n got %s\nwant %s", got, want)
	}

	t.Run("string that looks like JSON", func(t *testing.T) {
		d := jsonDiffVector(t, jdiff(t, JSONDiffReplace, "$.s", `"{\"a\": 1, \"b\": 'q'}"`))
		want := `JSON_REPLACE(@2, '$.s', '{"a": 1, "b": \'q\'}')`
		if got := jsonDiffText(t, jsonCol, d); got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
		after, err := ApplyJSONDiffs(mustJSON(t, `{"s": {"a": 1}}`), d)
		if err != nil || jsonText(t, after) != `{"s": "{\"a\": 1, \"b\": 'q'}"}` {
			t.Errorf("after %s %v", jsonText(t, after), err)
		}
	})

	t.Run("several JSON columns, NULL and untouched", func(t *testing.T) {
		// An after image's JSON part: column 2 with two diffs, column 3
		// NULL (nothing written), column 4 untouched (an empty vector).
		d1 := jsonDiffVector(t, jdiff(t, JSONDiffInsert, "$[0]", `"first"`), jdiff(t, JSONDiffRemove, "$[2]", ""))
		img, _ := appendJSONDiff(nil, jsonCol, d1)
		img, _ = appendJSONDiff(img, jsonCol, jsonDiffVector(t))
		v1, n1, err := decodeJSONDiff(jsonCol, img)
		if err != nil {
			t.Fatal(err)
		}
		v3, n3, err := decodeJSONDiff(&Column{Index: 3}, img[n1:])
		if err != nil || n1+n3 != len(img) || len(v3.Bytes()) != 0 {
			t.Fatalf("second column: %d %d %v", n1, n3, err)
		}
		a1, err := ApplyJSONDiffs(mustJSON(t, `[1, 2, 3]`), v1)
		if err != nil || jsonText(t, a1) != `["first", 1, 3]` {
			t.Errorf("column 2 after %s %v", jsonText(t, a1), err)
		}
		unchanged := mustJSON(t, `{"k": [1.5, "v"]}`)
		a3, err := ApplyJSONDiffs(unchanged, v3)
		if err != nil || jsonText(t, a3) != `{"k": [1.5, "v"]}` {
			t.Errorf("untouched column after %s %v", jsonText(t, a3), err)
		}
		if got := jsonDiffText(t, &Column{Index: 3}, v3); got != "@4" {
			t.Errorf("empty vector text %s", got)
		}
		var null Value
		if _, err := appendJSONDiffText(nil, jsonCol, null); err == nil {
			t.Errorf("NULL printed as a diff")
		}
		if _, err := ApplyJSONDiffs(null, v1); err == nil {
			t.Errorf("diffs applied to NULL")
		}
	})

	t.Run("paths", func(t *testing.T) {
		doc := mustJSON(t, `{"a b": [[1, 2], {"x.y": 3}], "é": 1}`)
		cases := []struct {
			d    JSONDiff
			want string
		}{
			{jdiff(t, JSONDiffReplace, `$."a b"[0][1]`, "5"), `{"é": 1, "a b": [[1, 5], {"x.y": 3}]}`},
			{jdiff(t, JSONDiffReplace, `$."a b"[1]."x.y"`, "4"), `{"é": 1, "a b": [[1, 2], {"x.y": 4}]}`},
			{jdiff(t, JSONDiffRemove, `$.é`, ""), `{"a b": [[1, 2], {"x.y": 3}]}`},
			{jdiff(t, JSONDiffInsert, `$."a b"[last-1][0]`, "0"), `{"é": 1, "a b": [[0, 1, 2], {"x.y": 3}]}`},
			{jdiff(t, JSONDiffReplace, `$`, "[]"), `[]`},
			{jdiff(t, JSONDiffInsert, `$.é`, "2"), `{"é": 2, "a b": [[1, 2], {"x.y": 3}]}`},
		}
		for _, c := range cases {
			after, err := ApplyJSONDiffs(doc, jsonDiffVector(t, c.d))
			if err != nil {
				t.Errorf("%s: %v", c.d.Path, err)
				continue
			}
			if got := jsonText(t, after); got != c.want {
				t.Errorf("%s: got %s want %s", c.d.Path, got, c.want)
			}
		}
		bad := []JSONDiff{
			jdiff(t, JSONDiffReplace, "$.zz", "1"),
			jdiff(t, JSONDiffRemove, "$.zz", ""),
			jdiff(t, JSONDiffReplace, `$."a b"[5]`, "1"),
			jdiff(t, JSONDiffRemove, `$."a b"[last-9]`, ""),
			jdiff(t, JSONDiffInsert, "$.q.r", "1"),
			jdiff(t, JSONDiffInsert, `$."a b".k`, "1"),
			jdiff(t, JSONDiffInsert, "$", "1"),
			jdiff(t, JSONDiffReplace, "$.*", "1"),
			jdiff(t, JSONDiffReplace, "$[1 to 2]", "1"),
			jdiff(t, JSONDiffReplace, "a", "1"),
		}
		for _, d := range bad {
			if _, err := ApplyJSONDiffs(doc, jsonDiffVector(t, d)); !errors.Is(err, ErrCorrupt) {
				t.Errorf("%v %s: err %v", d.Op, d.Path, err)
			}
		}
	})
}

// mysqlbinlog's print_json_diff: runs of the same function share a call,
// values print by type, and -vv breaks lines with "###      ".
func TestJSONDiffBinlogText(t *testing.T) {
	dt := jsonOpaqueDoc(12, jsonLE64(jsonPackedDatetime(2012, 3, 18, 11, 30, 45, 0)))
	dec := jsonOpaqueDoc(246, jsonHex(t, "03 02 89 00"))
	v := jsonDiffVector(t,
		jdiff(t, JSONDiffReplace, "$.a", "1"),
		jdiff(t, JSONDiffReplace, "$.b", `"it's\n"`),
		JSONDiff{Op: JSONDiffReplace, Path: []byte("$.c"), Value: dt},
		JSONDiff{Op: JSONDiffReplace, Path: []byte("$.d"), Value: dec},
		JSONDiff{Op: JSONDiffInsert, Path: []byte("$.e"), Value: jsonOpaqueDoc(15, []byte("U"))},
		jdiff(t, JSONDiffInsert, "$.f", `{"k": "it's"}`),
		jdiff(t, JSONDiffRemove, "$.g", ""),
		jdiff(t, JSONDiffReplace, "$.h", "-1.5e300"),
		jdiff(t, JSONDiffReplace, "$.i", "false"),
	)
	wantOne := `JSON_REPLACE(JSON_REMOVE(JSON_INSERT(JSON_REPLACE(@2, '$.a', 1, '$.b', 'it\'s\n', '$.c', '2012-03-18 11:30:45.000000', ` +
		`'$.d', 9.00), '$.e', 'base64:type15:VQ==', '$.f', CAST('{"k": "it\'s"}' AS JSON)), '$.g'), '$.h', -1.5e300, '$.i', false)`
	if got := jsonDiffText(t, jsonCol, v); got != wantOne {
		t.Errorf("one line\n got %s\nwant %s", got, wantOne)
	}
	const sep = "\n###      "
	wantVV := `JSON_REPLACE(` + sep + `JSON_REMOVE(` + sep + `JSON_INSERT(` + sep + `JSON_REPLACE(@2, '$.a', 1,` + sep + `'$.b', 'it\'s\n',` + sep +
		`'$.c', '2012-03-18 11:30:45.000000',` + sep + `'$.d', 9.00),` + sep + `'$.e', 'base64:type15:VQ==',` + sep +
		`'$.f', CAST('{"k": "it\'s"}' AS JSON)),` + sep + `'$.g'),` + sep + `'$.h', -1.5e300,` + sep + `'$.i', false)`
	out, err := appendJSONDiffBinlogText(nil, &Column{Index: 1, Name: []byte("j")}, v)
	if err != nil || string(out) != wantVV {
		t.Errorf("-vv\n got %s\nwant %s (%v)", out, wantVV, err)
	}
	ctl := jsonDiffVector(t, JSONDiff{Op: JSONDiffReplace, Path: []byte("$.x"), Value: jsonOpaqueDoc(252, append([]byte{1, 0x1f}, make([]byte, 60)...))})
	got := jsonDiffText(t, jsonCol, ctl)
	if want := `JSON_REPLACE(@2, '$.x', 'base64:type252:AR8` + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" + `\nAAAAAAA=')`; got != want {
		t.Errorf("base64 line break\n got %s\nwant %s", got, want)
	}
	str := jsonDiffVector(t, jdiff(t, JSONDiffReplace, "$.x", `"\u0001\u001f\u007f\\"`))
	if got, want := jsonDiffText(t, jsonCol, str), `JSON_REPLACE(@2, '$.x', '\x01\x1f`+"\x7f"+`\\')`; got != want {
		t.Errorf("control bytes\n got %q\nwant %q", got, want)
	}
}

func TestJSONDiffCorrupt(t *testing.T) {
	good, _ := appendJSONDiff(nil, jsonCol, jsonDiffVector(t,
		jdiff(t, JSONDiffReplace, "$.a", `"x"`), jdiff(t, JSONDiffRemove, "$.b", "")))
	for i := 0; i < len(good); i++ {
		if _, _, err := decodeJSONDiff(jsonCol, good[:i]); !errors.Is(err, ErrCorrupt) {
			t.Errorf("cut at %d: %v", i, err)
		}
	}
	bads := [][]byte{
		{3, 0, 0, 0, 3, 1, '$'},                // operation 3
		{3, 0, 0, 0, 2, 0, 0},                  // empty path
		{5, 0, 0, 0, 0, 1, '$', 0, 0},          // empty value
		{4, 0, 0, 0, 2, 0xfb, '$', '$'},        // NULL length byte
		{6, 0, 0, 0, 0, 1, '$', 9, 0x04, 0x00}, // value past the vector
	}
	for i, b := range bads {
		if _, _, err := decodeJSONDiff(jsonCol, b); !errors.Is(err, ErrCorrupt) {
			t.Errorf("bad %d: %v", i, err)
		}
	}
	// A corrupt value is reported when printed or applied, not at decode.
	v := jsonDiffVector(t, JSONDiff{Op: JSONDiffReplace, Path: []byte("$.a"), Value: []byte{0x77}})
	if _, err := appendJSONDiffText(nil, jsonCol, v); !errors.Is(err, ErrCorrupt) {
		t.Errorf("bad value printed: %v", err)
	}
	if _, err := ApplyJSONDiffs(mustJSON(t, `{"a": 1}`), v); !errors.Is(err, ErrCorrupt) {
		t.Errorf("bad value applied: %v", err)
	}
	r := Value{kind: KindJSONDiff, b: []byte{9}}.JSONDiffReader()
	if _, err := r.Next(); err == nil || err == io.EOF {
		t.Errorf("bad op: %v", err)
	} else if _, err2 := r.Next(); err2 != err {
		t.Errorf("error not sticky")
	}
	if JSONDiffInsert.String() != "INSERT" || JSONDiffOp(7).String() != "JSONDiffOp(7)" {
		t.Errorf("op names")
	}
}

// The shared corpus file json.binlog.000001 (MySQL 8.0.22): table
// t(id INT, json_col JSON, name VARCHAR(100) AS (json_col->>'$.name'),
// age INT AS (json_col->'$.age')), all four columns logged. The server's
// own generated columns check the JSON: name and age must be the
// document's $.name and $.age; the partial update's diffs applied to the
// UPDATE's after images must give documents whose age is the new age.
func TestJSONCorpusFile(t *testing.T) {
	path := filepath.Join("..", "..", "shared", "testdata", "binlogs", "json.binlog.000001")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("shared corpus absent: %v", err)
	}
	src, err := binlog.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := binlog.NewReader(src)
	ctx := context.Background()

	type row struct {
		id   int32
		json Value
		name string
		age  int32
		diff Value
	}
	// readImage walks one row image of the present columns in bitmap.
	readImage := func(data []byte, bitmap []byte, partial bool) (row, []byte) {
		t.Helper()
		var rw row
		if partial {
			opts, n := data[0], 1 // value_options (packed int, < 251)
			data = data[n:]
			if opts&1 != 0 {
				partial = data[0]&1 != 0 // one JSON column: one byte
				data = data[1:]
			} else {
				partial = false
			}
		}
		present := 0
		for i := 0; i < 4; i++ {
			if bitmap[0]&(1<<i) != 0 {
				present++
			}
		}
		nulls := data[:(present+7)/8]
		data = data[(present+7)/8:]
		k := 0
		for i := 0; i < 4; i++ {
			if bitmap[0]&(1<<i) == 0 {
				continue
			}
			isNull := nulls[k/8]&(1<<(k%8)) != 0
			k++
			if isNull {
				continue
			}
			switch i {
			case 0:
				rw.id = int32(binary.LittleEndian.Uint32(data))
				data = data[4:]
			case 1:
				var v Value
				var n int
				var err error
				if partial {
					v, n, err = decodeJSONDiff(jsonCol, data)
					rw.diff = v
				} else {
					v, n, err = decodeJSON(jsonCol, data)
					rw.json = v.Clone()
				}
				if err != nil {
					t.Fatal(err)
				}
				data = data[n:]
			case 2:
				l := int(binary.LittleEndian.Uint16(data))
				rw.name = string(data[2 : 2+l])
				data = data[2+l:]
			case 3:
				rw.age = int32(binary.LittleEndian.Uint32(data))
				data = data[4:]
			}
		}
		return rw, data
	}
	// check asserts a full document against the generated columns.
	check := func(rw row, want string) {
		t.Helper()
		if got := jsonText(t, rw.json); got != want {
			t.Errorf("id %d: JSON %s, want %s", rw.id, got, want)
		}
	}
	names := map[int32]string{1: "Joe", 2: "Sue", 3: "Pete", 4: "Joe", 5: "Sue", 6: "Pete"}
	datas := map[string]string{"Joe": "xxxxxxxxxx", "Sue": "yyyyyyyyyy", "Pete": "zzzzzzzzzz"}
	ages := map[string]int32{"Joe": 24, "Sue": 32, "Pete": 40}
	doc := func(name string, age int32) string {
		return `{"age": ` + jsonItoa(int(age)) + `, "data": "` + datas[name] + `", "name": "` + name + `"}`
	}
	updated := map[int32]Value{}
	var inserts, updates, partials int
	for {
		ev, err := r.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows, ok := ev.Body.(*event.Rows)
		if !ok {
			continue
		}
		if ev.Table == nil || string(ev.Table.ColumnTypes) != "\x03\xf5\x0f\x03" {
			t.Fatalf("table map %+v", ev.Table)
		}
		if m := ev.Table.ColumnMeta(1); m != 4 {
			t.Fatalf("JSON metadata %d", m)
		}
		data := rows.Data
		for len(data) > 0 {
			var rw, after row
			switch rows.Type {
			case event.WriteRowsEventV2:
				rw, data = readImage(data, rows.ColumnsAfter, false)
				name := names[rw.id]
				if rw.name != name || rw.age != ages[name] {
					t.Errorf("insert id %d: generated columns %q %d", rw.id, rw.name, rw.age)
				}
				check(rw, doc(name, ages[name]))
				inserts++
			case event.UpdateRowsEventV2:
				rw, data = readImage(data, rows.ColumnsBefore, false)
				after, data = readImage(data, rows.ColumnsAfter, false)
				name := names[rw.id]
				check(rw, doc(name, ages[name]))
				if after.age != ages[name]+1 || after.name != name {
					t.Errorf("update id %d: generated columns %q %d", after.id, after.name, after.age)
				}
				check(after, doc(name, ages[name]+1))
				updated[after.id] = after.json
				updates++
			case event.PartialUpdateRowsEvent:
				rw, data = readImage(data, rows.ColumnsBefore, false)
				after, data = readImage(data, rows.ColumnsAfter, true)
				name := names[rw.id]
				if after.diff.Kind() != KindJSONDiff {
					t.Fatalf("id %d: no diff vector", rw.id)
				}
				if got := jsonDiffText(t, jsonCol, after.diff); got != `JSON_REPLACE(@2, '$.age', `+jsonItoa(int(after.age))+`)` {
					t.Errorf("id %d: diff text %s", rw.id, got)
				}
				before, ok := updated[rw.id]
				if !ok {
					t.Fatalf("id %d: no UPDATE before the partial update", rw.id)
				}
				res, err := ApplyJSONDiffs(before, after.diff)
				if err != nil {
					t.Fatal(err)
				}
				if got := jsonText(t, res); got != doc(name, after.age) || after.age != ages[name]+2 {
					t.Errorf("id %d: applied %s (age column %d)", rw.id, got, after.age)
				}
				partials++
			default:
				t.Fatalf("rows event %v", rows.Type)
			}
		}
	}
	if inserts != 6 || updates != 6 || partials != 6 {
		t.Errorf("rows: %d inserts, %d updates, %d partial updates", inserts, updates, partials)
	}
}

func jsonItoa(i int) string { return string(jsonAppendN(nil, uint64(i), 1)) }

package rowcodec

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

func TestAppendJSONForms(t *testing.T) {
	utf8mb4 := strCol(event.ColumnTypeVarchar, 100, 45)
	latin1 := strCol(event.ColumnTypeVarchar, 100, 8)
	enum := &Column{Type: event.ColumnTypeEnum, EnumValues: [][]byte{[]byte("small"), []byte(`q"uote`)}}
	set := &Column{Type: event.ColumnTypeSet, SetValues: [][]byte{[]byte("a"), []byte("b"), []byte("c\\d")}}
	dec, err := DecimalValue("-1234.5600", 10, 4)
	if err != nil {
		t.Fatal(err)
	}
	geo := GeometryValue(append([]byte{0xe6, 0x10, 0, 0}, 1, 1, 0, 0, 0))
	diff, err := JSONDiffValue(jdiff(t, JSONDiffReplace, "$.a", `[1, "x"]`), jdiff(t, JSONDiffRemove, "$.b", ""))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		v    Value
		col  *Column
		want string
	}{
		{"null", Value{}, nil, `null`},
		{"int", IntValue(-128), nil, `-128`},
		{"uint64 max", UintValue(18446744073709551615), nil, `18446744073709551615`},
		{"year", YearValue(2069), nil, `2069`},
		{"year 0", YearValue(0), nil, `0`},
		{"float", Float32Value(0.1), nil, `0.1`},
		{"double", Float64Value(1e300), nil, `1e+300`},
		{"decimal", dec, nil, `"-1234.5600"`},
		{"date", DateValue(2024, 1, 2), nil, `"2024-01-02"`},
		{"zero date", DateValue(0, 0, 0), nil, `"0000-00-00"`},
		{"datetime", DatetimeValue(2024, 1, 2, 3, 4, 5, 500000, 3), nil, `"2024-01-02T03:04:05.500"`},
		{"timestamp", TimestampValue(1704164645, 123456, 6), nil, `"2024-01-02T03:04:05.123456Z"`},
		{"time", TimeValue(true, 838, 59, 59, 0, 0), nil, `"-838:59:59"`},
		{"utf8mb4", StringValue([]byte("é\"\n\x01🐬"), 45), utf8mb4, `"é\"\n\u0001🐬"`},
		{"latin1", StringValue([]byte{'c', 0xe9}, 8), latin1, `"cé"`},
		{"bad utf8mb4", StringValue([]byte{0xff, 0xfe}, 45), utf8mb4, `"//4="`},
		{"unknown charset, UTF-8", StringValue([]byte("ok é"), 0), strCol(event.ColumnTypeVarchar, 100, 0), `"ok é"`},
		{"unknown charset, not UTF-8", StringValue([]byte{0xe9}, 0), strCol(event.ColumnTypeVarchar, 100, 0), `"6Q=="`},
		{"binary", BytesValue([]byte{0, 1, 2, 0xff}), nil, `"AAEC/w=="`},
		{"bit", BitValue(0x8000000000000001, 64), nil, `9223372036854775809`},
		{"enum", EnumValue(2, 1), enum, `"q\"uote"`},
		{"enum invalid", EnumValue(0, 1), enum, `""`},
		{"enum without names", EnumValue(2, 1), nil, `2`},
		{"set", SetValue(0b101, 1), set, `"a,c\\d"`},
		{"set without names", SetValue(0b101, 1), nil, `5`},
		{"json", mustJSON(t, `{"a": [1, 2.5, "x"], "b": null}`), jsonCol, `{"a": [1, 2.5, "x"], "b": null}`},
		{"mariadb json", JSONTextValue([]byte(`{"k":1}`)), nil, `{"k":1}`},
		{"mariadb json, not JSON", JSONTextValue([]byte(`{k}`)), nil, `"{k}"`},
		{"json diff", diff, jsonCol, `[{"op":"replace","path":"$.a","value":[1, "x"]},{"op":"remove","path":"$.b"}]`},
		{"geometry", geo, nil, `{"srid":4326,"wkb":"AQEAAAA="}`},
		{"vector", VectorValue(AppendVector(nil, 1.5, -2.25, 3)), nil, `[1.5,-2.25,3]`},
	} {
		got, err := c.v.AppendJSON([]byte("x"), c.col)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if string(got[1:]) != c.want || got[0] != 'x' {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
		if !json.Valid(got[1:]) {
			t.Errorf("%s: %s is not valid JSON", c.name, got[1:])
		}
	}
	if _, err := Absent.AppendJSON(nil, nil); err == nil {
		t.Error("an absent value has a JSON form")
	}
	if _, err := Float64Value(math_NaN()).AppendJSON(nil, nil); !errors.Is(err, ErrCorrupt) {
		t.Errorf("NaN: %v", err)
	}
}

func math_NaN() float64 { z := 0.0; return z / z }

// TestAppendJSONRecorded renders every value of the recorded binlogs and
// checks the JSON against the value: valid JSON, integers equal as
// numbers, strings equal to their UTF-8 conversion, base64 equal to the
// bytes, JSON documents equal (as parsed JSON) to their text.
func TestAppendJSONRecorded(t *testing.T) {
	values := 0
	for _, path := range recordedFiles(t) {
		src, err := binlog.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var ts Tables
		r := binlog.NewReader(src)
		before, after := make([]Value, 4096), make([]Value, 4096)
		for {
			ev, err := r.Next(context.Background())
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			b, ok := ev.Body.(*event.Rows)
			if !ok {
				continue
			}
			tb, err := ts.ForRows(ev)
			if err != nil {
				t.Fatal(err)
			}
			it := tb.Rows(b, before, after)
			for it.Next() {
				for _, img := range [][]Value{it.Before, it.After} {
					for i, v := range img {
						checkJSONValue(t, ev, v, &tb.Columns[i])
						values++
					}
				}
			}
			if err := it.Err(); err != nil {
				t.Fatal(err)
			}
		}
		src.Close()
	}
	if values < 1000 {
		t.Fatalf("only %d values", values)
	}
}

func checkJSONValue(t *testing.T, ev *event.Event, v Value, c *Column) {
	t.Helper()
	out, err := v.AppendJSON(nil, c)
	if v.IsAbsent() {
		if err == nil {
			t.Fatalf("%s:%d: absent value rendered %s", ev.File, ev.Pos, out)
		}
		return
	}
	if err != nil {
		t.Fatalf("%s:%d: column %s: %v", ev.File, ev.Pos, c.Name, err)
	}
	var x any
	d := json.NewDecoder(bytes.NewReader(out))
	d.UseNumber()
	if err := d.Decode(&x); err != nil {
		t.Fatalf("%s:%d: column %s: invalid JSON %q: %v", ev.File, ev.Pos, c.Name, out, err)
	}
	switch v.Kind() {
	case KindInt:
		if x.(json.Number).String() != strconv.FormatInt(v.Int64(), 10) {
			t.Fatalf("column %s: %s for %d", c.Name, out, v.Int64())
		}
	case KindUint:
		if x.(json.Number).String() != strconv.FormatUint(v.Uint64(), 10) {
			t.Fatalf("column %s: %s for %d", c.Name, out, v.Uint64())
		}
	case KindString:
		s, ok := x.(string)
		if !ok {
			t.Fatalf("column %s: %s is not a string", c.Name, out)
		}
		if text, ok := v.AppendUTF8(nil); ok && s != string(text) {
			t.Fatalf("column %s: %q, want %q", c.Name, s, text)
		} else if !ok {
			if raw, err := base64.StdEncoding.DecodeString(s); err != nil || !bytes.Equal(raw, v.Bytes()) {
				t.Fatalf("column %s: %q is not the base64 of the value", c.Name, s)
			}
		}
	case KindBytes:
		if raw, err := base64.StdEncoding.DecodeString(x.(string)); err != nil || !bytes.Equal(raw, v.Bytes()) {
			t.Fatalf("column %s: %s is not the base64 of the value", c.Name, out)
		}
	case KindJSON:
		text, err := v.AppendJSONText(nil)
		if err != nil {
			t.Fatal(err)
		}
		var y any
		if json.Unmarshal(text, &y) == nil {
			a, _ := json.Marshal(y)
			var xx any
			json.Unmarshal(out, &xx)
			b, _ := json.Marshal(xx)
			if !bytes.Equal(a, b) {
				t.Fatalf("column %s: %s, text %s", c.Name, out, text)
			}
		}
	}
}

// TestAppendJSONAllocs checks that rendering the common kinds into a buffer
// with room allocates nothing.
func TestAppendJSONAllocs(t *testing.T) {
	col := strCol(event.ColumnTypeVarchar, 100, 45)
	vals := []Value{IntValue(-5), UintValue(7), Float64Value(2.5), DatetimeValue(2024, 1, 2, 3, 4, 5, 0, 0),
		TimestampValue(1, 0, 0), StringValue([]byte("plain text"), 45), StringValue([]byte("needs \"escape\""), 45),
		BytesValue([]byte{1, 2, 3}), mustJSON(t, `{"a": [1, 2]}`)}
	buf := make([]byte, 0, 4096)
	if n := testing.AllocsPerRun(100, func() {
		b := buf[:0]
		for _, v := range vals {
			var err error
			if b, err = v.AppendJSON(b, col); err != nil {
				t.Fatal(err)
			}
		}
	}); n != 0 {
		t.Errorf("%v allocations", n)
	}
}

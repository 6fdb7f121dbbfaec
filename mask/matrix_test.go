package mask

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// TestValueRuleMatrix runs every value pattern with every action on a text
// column and checks the exact result.
func TestValueRuleMatrix(t *testing.T) {
	patterns := []struct {
		sel, match string
	}{
		{"value: email", "bob.li@example.net"},
		{"value: phone", "+86 139-0000-1111"},
		{"value: cn_id", "44030419851231002X"},
		{"value: card", "5500-0000-0000-0004"},
		{`regex: "EMP-[0-9]{5}"`, "EMP-12345"},
	}
	actions := []struct {
		yaml string
		want func(match string) string
	}{
		{"action: redact", func(string) string { return "***" }},
		{"action: fixed\n    replacement: \"<x>\"", func(string) string { return "<x>" }},
		{"action: hash", func(m string) string { return hmacHex(m, 16) }},
		{"action: keep_last\n    keep: 4", func(m string) string { return string(keepLast([]byte(m), 4, true)) }},
	}
	cols := []binlogtest.Column{varchar("note", 400)}
	for _, p := range patterns {
		for _, a := range actions {
			rules := "key: k\nrules:\n  - " + p.sel + "\n    " + a.yaml + "\n"
			got := maskOne(t, rules, cols, []rowcodec.Value{str("see " + p.match + ", thanks")})
			want := "see " + a.want(p.match) + ", thanks"
			if got[0] != want {
				t.Errorf("%s / %s: got %q, want %q", p.sel, strings.SplitN(a.yaml, "\n", 2)[0], got[0], want)
			}
			if strings.Contains(got[0], p.match) {
				t.Errorf("%s / %s: %q survived", p.sel, a.yaml, p.match)
			}
		}
	}
}

// TestJSONColumnActions: each action on a MySQL JSON column and on a JSON
// partial update.
func TestJSONColumnActions(t *testing.T) {
	doc, err := rowcodec.JSONValue([]byte(`{"a": "secret-value"}`))
	if err != nil {
		t.Fatal(err)
	}
	cols := []binlogtest.Column{{Name: "j", Type: event.ColumnTypeJSON, Meta: 4}}
	text := `{"a": "secret-value"}`
	for _, c := range []struct{ action, want string }{
		{"action: redact", "null"},
		{"action: fixed\n    replacement: '{\"masked\": true}'", `{"masked": true}`},
		{"action: fixed\n    replacement: gone", `"gone"`},
		{"action: hash", `"` + hmacHex(text, 16) + `"`},
		{"action: keep_last\n    keep: 3", string(appendJSONString(nil, keepLast([]byte(text), 3, true)))},
	} {
		got := maskOne(t, "key: k\nrules:\n  - column: j\n    "+c.action+"\n", cols, []rowcodec.Value{doc})
		if got[0] != c.want {
			t.Errorf("%s: got %s, want %s", c.action, got[0], c.want)
		}
	}

	// A partial update keeps its paths; the new values are masked.
	newVal, _ := rowcodec.JSONValue([]byte(`"carol@example.com"`))
	diff, err := rowcodec.JSONDiffValue(rowcodec.JSONDiff{Op: rowcodec.JSONDiffReplace, Path: []byte("$.a"), Value: newVal.Bytes()},
		rowcodec.JSONDiff{Op: rowcodec.JSONDiffRemove, Path: []byte("$.b")})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ rules, want string }{
		{"key: k\nrules:\n  - value: email\n    action: hash\n", `"` + hmacHex("carol@example.com", 16) + `"`},
		{"rules:\n  - column: j\n    action: redact\n", "null"},
	} {
		m := mustMasker(t, c.rules)
		nv, ok, err := m.maskJSONDiff(ruleFor(m), diff)
		if err != nil || !ok {
			t.Fatalf("%s: ok %v err %v", c.rules, ok, err)
		}
		var ops []string
		for d, err := range nv.JSONDiffs() {
			if err != nil {
				t.Fatal(err)
			}
			s := d.Op.String() + " " + string(d.Path)
			if d.Op != rowcodec.JSONDiffRemove {
				v, _ := rowcodec.JSONBinaryValue(d.Value).AppendJSONText(nil)
				s += " " + string(v)
			}
			ops = append(ops, s)
		}
		if want := "REPLACE $.a " + c.want + "|REMOVE $.b"; strings.Join(ops, "|") != want {
			t.Errorf("%s: got %q, want %q", c.rules, strings.Join(ops, "|"), want)
		}
	}
}

// ruleFor returns the Masker's first column rule, or nil (value rules).
func ruleFor(m *Masker) *Rule {
	if len(m.colRules) > 0 {
		return m.colRules[0].rule
	}
	return nil
}

// TestSink: the Sink wrapper hands masked events on.
func TestSink(t *testing.T) {
	data := oneTable(t, []binlogtest.Column{intCol("id", event.ColumnTypeLong, false), varchar("password", 20)},
		[]rowcodec.Value{rowcodec.IntValue(1), str("hunter2")})
	m := mustMasker(t, "rules:\n  - column: password\n    action: redact\n")
	var seen int
	var raws [][]byte
	sink := m.Sink(binlog.SinkFunc(func(ctx context.Context, ev *event.Event) error {
		seen++
		raws = append(raws, bytes.Clone(ev.Raw))
		return nil
	}))
	r := binlog.NewReader(binlog.NewStreamSource(bytes.NewReader(data), "sink"))
	st, err := binlog.Copy(context.Background(), sink, r)
	if err != nil {
		t.Fatal(err)
	}
	if seen == 0 || uint64(seen) != st.Kept {
		t.Fatalf("sink saw %d events, Copy kept %d", seen, st.Kept)
	}
	for _, raw := range raws {
		if bytes.Contains(raw, []byte("hunter2")) {
			t.Errorf("password reached the sink")
		}
	}
}

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

// FuzzStat feeds arbitrary bytes to binlogstat as standard input: it exits
// 0 with a JSON report or 1 with one line naming the problem, never panics.
func FuzzStat(f *testing.F) {
	for _, name := range []string{"mariadb-10_11-full.000003", "mariadb-10_11-minimal.000002", "mariadb-10_11-full.000004"} {
		b, err := os.ReadFile(recordedDir + "/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("\xfebin"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var stdout, stderr bytes.Buffer
		code := run([]string{"--json", "--quiet", "--bucket", "1s", "-"}, bytes.NewReader(data), &stdout, &stderr)
		switch code {
		case exitOK:
			var rep report
			if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
				t.Fatalf("exit 0 with no JSON report: %v", err)
			}
			if len(rep.Histogram.Buckets) > maxBuckets {
				t.Fatalf("%d buckets", len(rep.Histogram.Buckets))
			}
		case exitBadInput:
			if stdout.Len() != 0 || !strings.HasPrefix(stderr.String(), "binlogstat: ") || strings.Count(stderr.String(), "\n") != 1 {
				t.Fatalf("exit 1: stdout %q, stderr %q", stdout.String(), stderr.String())
			}
		default:
			t.Fatalf("exit %d", code)
		}
	})
}

// TestJSONFieldsDocumented checks that the package documentation names
// every field of the JSON report.
func TestJSONFieldsDocumented(t *testing.T) {
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(src[:bytes.Index(src, []byte("\npackage main"))])
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(ty reflect.Type) {
		for ty.Kind() == reflect.Slice || ty.Kind() == reflect.Pointer {
			ty = ty.Elem()
		}
		if ty.Kind() != reflect.Struct || seen[ty] {
			return
		}
		seen[ty] = true
		for i := range ty.NumField() {
			f := ty.Field(i)
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if tag == "" || tag == "-" {
				t.Errorf("%s.%s has no JSON name", ty.Name(), f.Name)
				continue
			}
			if !strings.Contains(doc, tag) {
				t.Errorf("JSON field %q (%s.%s) is not in the package documentation", tag, ty.Name(), f.Name)
			}
			walk(f.Type)
		}
	}
	walk(reflect.TypeOf(report{}))
	if len(seen) < 8 {
		t.Fatalf("walked only %d types", len(seen))
	}
}

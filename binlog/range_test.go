package binlog_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
)

// TestFileListRange: --start-file and --stop-file pick files of a list by
// their base names; a directory among the inputs is refused (archives are
// package backup's).
func TestFileListRange(t *testing.T) {
	var files, names []string
	for i := 1; i <= 4; i++ {
		p := fmt.Sprintf("../testdata/recorded/mariadb-10_11-full.%06d", i)
		if _, err := os.Stat(p); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
		names = append(names, filepath.Base(p))
	}
	for _, c := range []struct {
		name        string
		first, last string
		want        []string
		err         string
	}{
		{"a list", names[1], names[2], names[1:3], ""},
		{"a list, open end", names[2], "", names[2:], ""},
		{"a list, open start", "", names[0], names[:1], ""},
		{"no such file", "mariadb-10_11-full.000009", "", nil, "binlog: no file mariadb-10_11-full.000009 among the inputs ("},
		{"stop before start", names[2], names[1], nil, "binlog: the stop file " + names[1] + " comes before the start file " + names[2]},
	} {
		l := binlog.OpenFiles(files...)
		got, err := l.Range(c.first, c.last)
		if c.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), c.err) {
				t.Errorf("%s: %v, want %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var base []string
		for _, g := range got {
			base = append(base, filepath.Base(g))
		}
		if fmt.Sprint(base) != fmt.Sprint(c.want) {
			t.Errorf("%s: Range = %v, want %v", c.name, base, c.want)
		}
		seen := map[string]bool{}
		for {
			_, err := l.ReadEvent(context.Background())
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			f, _ := l.Position()
			seen[filepath.Base(f)] = true
		}
		l.Close()
		if len(seen) != len(c.want) {
			t.Errorf("%s: read %v, want %v", c.name, seen, c.want)
		}
	}
	if _, err := binlog.OpenFiles(t.TempDir()).Range("", ""); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("a directory: %v", err)
	}
}

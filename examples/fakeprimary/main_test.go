package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestUsageAndErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-h"}, 0, "Examples:"},
		{nil, 2, "no binlog files given"},
		{[]string{"--bogus"}, 2, "flag provided but not defined"},
		{[]string{"--listen", "127.0.0.1:0", "/nonexistent/binlog.000001"}, 1, "no such file"},
		{[]string{"--listen", "127.0.0.1:0", "main.go"}, 1, "magic"},
	} {
		var stderr bytes.Buffer
		if code := run(c.args, &stderr); code != c.code || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("fakeprimary %v: exit %d, want %d; output:\n%s\n(want it to contain %q)", c.args, code, c.code, stderr.String(), c.want)
		}
	}
}

package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestUsage: -h lists every flag with examples (exit 0); bad combinations
// are usage errors (exit 2) that say what is wrong.
func TestUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"-h"}, &out, &errb); code != exitOK {
		t.Fatalf("-h: exit %d", code)
	}
	for _, want := range []string{"--dsn", "--nats", "--stream", "--subject-prefix", "--stdout", "--checkpoint", "--snapshot", "--tables", "--server-id", "--non-blocking", "Examples:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("-h does not show %s", want)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "--dsn is required"},
		{[]string{"--dsn", "root@tcp(127.0.0.1:1)/"}, "give one of --nats URL or --stdout"},
		{[]string{"--dsn", "root@tcp(127.0.0.1:1)/", "--stdout", "--nats", "nats://x"}, "give one of"},
		{[]string{"--dsn", "root@tcp(127.0.0.1:1)/", "--nats", "nats://x"}, "--nats needs --stream"},
		{[]string{"--dsn", "root@tcp(127.0.0.1:1)/", "--nats", "nats://x", "--stream", "S", "--checkpoint", "f"}, "--checkpoint goes with --stdout"},
		{[]string{"--dsn", "not a dsn", "--stdout"}, "--dsn"},
		{[]string{"--bogus"}, "bogus"},
	} {
		errb.Reset()
		if code := run(context.Background(), c.args, &out, &errb); code != exitUsage || !strings.Contains(errb.String(), c.want) {
			t.Errorf("%q: exit %d, %q; want exit 2 and %q", c.args, code, errb.String(), c.want)
		}
	}
}

// TestUnreachable: a server that does not answer is an error (exit 1)
// naming it.
func TestUnreachable(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"--dsn", "root@tcp(127.0.0.1:1)/", "--stdout"}, &out, &errb)
	if code != exitError || !strings.Contains(errb.String(), "127.0.0.1:1") {
		t.Errorf("exit %d, %q", code, errb.String())
	}
}

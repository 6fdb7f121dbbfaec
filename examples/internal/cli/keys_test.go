package cli

import (
	"errors"
	"flag"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
)

// TestKeys: the key flags parse, load the project's test key files, refuse
// what does not go together, and KeyHint names the flag for each kind of
// key error.
func TestKeys(t *testing.T) {
	const dir = "../../../testdata/encrypted"
	parse := func(args ...string) (*Keys, error) {
		var k Keys
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		k.Register(fs)
		if _, err := ParseFlags(fs, args); err != nil {
			return nil, err
		}
		return &k, k.Load()
	}
	k, err := parse()
	if err != nil || k.Provider() != nil {
		t.Fatalf("no flags: %v %v", k.Provider(), err)
	}
	k, err = parse("--key-file", filepath.Join(dir, "keys-filekey.enc"), "--key-file-key", "FILE:"+filepath.Join(dir, "filekey.txt"),
		"--encryption-algorithm", "ctr", "--keyring", filepath.Join(dir, "mysql-9_7-keyring.json"), "--keyring-key", strings.Repeat("ab", 32))
	if err != nil {
		t.Fatal(err)
	}
	keys := k.Provider().(*binlog.Keys)
	if len(keys.MariaDB[1]) != 16 || keys.Cipher != binlog.CipherAESCTR || len(keys.MySQL) != 2 || len(keys.MySQLDefault) != 32 {
		t.Errorf("keys %+v", keys)
	}
	for _, c := range []struct {
		args  []string
		usage bool
		want  string
	}{
		{[]string{"--encryption-algorithm", "ofb"}, true, "want cbc or ctr"},
		{[]string{"--keyring-key", "abcd"}, true, "64 hex digits"},
		{[]string{"--key-file-key", "x"}, true, "--key-file-key goes with --key-file"},
		{[]string{"--encryption-algorithm", "cbc"}, true, "--encryption-algorithm goes with --key-file"},
		{[]string{"--key-file", filepath.Join(dir, "nope.txt")}, false, "--key-file: open"},
		{[]string{"--keyring", filepath.Join(dir, "keys.txt")}, false, "not a component_keyring_file keyring"},
	} {
		_, err := parse(c.args...)
		var ue *UsageError
		if err == nil || errors.As(err, &ue) != c.usage || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v", c.args, err)
		}
	}
	for _, c := range []struct {
		err  error
		want string
	}{
		{&binlog.KeyError{Key: binlog.KeyID{ID: 1, Version: 1}, Err: binlog.ErrNoKey}, "--key-file FILE"},
		{&binlog.KeyError{Key: binlog.KeyID{ID: 1, Version: 1}, Err: binlog.ErrWrongKey}, "check --key-file, --key-file-key and --encryption-algorithm"},
		{&binlog.KeyError{Key: binlog.KeyID{MySQL: "MySQLReplicationKey_u_1"}, Err: binlog.ErrNoKey}, "--keyring FILE"},
		{&binlog.KeyError{Key: binlog.KeyID{MySQL: "MySQLReplicationKey_u_1"}, Err: binlog.ErrWrongKey}, "check --keyring or --keyring-key"},
	} {
		err := KeyHint(&binlog.Error{File: "f", Offset: 296, PayloadOffset: -1, Err: c.err})
		if !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "f: at byte 296: ") || !errors.Is(err, c.err.(*binlog.KeyError).Err) {
			t.Errorf("%v: %v", c.err, err)
		}
	}
	if plain := errors.New("x"); KeyHint(plain) != plain {
		t.Error("KeyHint changed an error that is not about keys")
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
)

// TestEncrypted: the viewer indexes the encrypted recordings with their
// key and shows every transaction (rows, SQL) and exports what it shows for
// the server's plaintext stream of them, reading the details from the
// files at each transaction's position; without the key it stops naming
// the key and the flag.
func TestEncrypted(t *testing.T) {
	const dir = "../../testdata/encrypted"
	files, _ := filepath.Glob(filepath.Join(dir, "mariadb-10_11-enc-ctr.00000?"))
	if len(files) != 4 {
		t.Fatalf("recorded files: %v", files)
	}
	var streams []string
	for _, f := range files {
		streams = append(streams, f+".stream")
	}
	keys := &binlog.Keys{}
	if err := keys.ReadMariaDBKeyFile(filepath.Join(dir, "keys.txt"), ""); err != nil {
		t.Fatal(err)
	}
	serve := func(paths []string, keys binlog.KeyProvider) (*httptest.Server, *index, error) {
		in, err := expandInputs(paths)
		if err != nil {
			t.Fatal(err)
		}
		for i := range in {
			in[i].Keys = keys
		}
		ix, err := buildIndex(context.Background(), in, nil, nil, nil, nil)
		if err != nil {
			return nil, nil, err
		}
		ts := httptest.NewServer(newServer(ix, "", true).handler())
		t.Cleanup(ts.Close)
		return ts, ix, nil
	}
	enc, ix, err := serve(files, keys)
	if err != nil {
		t.Fatal(err)
	}
	plain, ixPlain, err := serve(streams, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ix.txs) != len(ixPlain.txs) || len(ix.txs) < 30 {
		t.Fatalf("%d transactions indexed, %d in the stream", len(ix.txs), len(ixPlain.txs))
	}
	rows := 0
	for id := range ix.txs {
		var a, b detailJSON
		getJSON(t, enc, fmt.Sprintf("/api/transactions/%d", id), &a)
		getJSON(t, plain, fmt.Sprintf("/api/transactions/%d", id), &b)
		a.File, b.File = "", ""
		if !reflect.DeepEqual(a.Rows, b.Rows) || a.SQL != b.SQL || len(a.EventList) != len(b.EventList) {
			x, _ := json.Marshal(a)
			y, _ := json.Marshal(b)
			t.Fatalf("transaction %d:\n%s\nstream:\n%s", id, x, y)
		}
		rows += len(a.Rows)
	}
	if rows < 90 {
		t.Errorf("only %d rows shown", rows)
	}
	for _, q := range []string{"format=sql", "format=jsonl&db=shop&op=insert,update,delete", "format=rollback&table=shop.orders"} {
		_, a := readExport(t, enc, q)
		_, b := readExport(t, plain, q)
		if !bytes.Equal(a, bytes.ReplaceAll(b, []byte(".stream"), nil)) || len(a) < 100 {
			t.Errorf("export %s: %d bytes, %d from the stream; they differ", q, len(a), len(b))
		}
	}
	// Without the key.
	_, _, err = serve(files, nil)
	var ke *binlog.KeyError
	if !errors.As(err, &ke) || !errors.Is(err, binlog.ErrNoKey) {
		t.Fatalf("without the key: %v", err)
	}
	var errb bytes.Buffer
	if code := run(context.Background(), append([]string{"--quiet"}, files...), &errb, nil); code != exitFailure ||
		!strings.Contains(errb.String(), "which was not given") || !strings.Contains(errb.String(), "--key-file") {
		t.Errorf("run without the key: exit %d, %s", code, errb.String())
	}
}

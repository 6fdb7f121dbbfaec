//go:build integration

package mysqlproto

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/internal/mariadbtest"
)

func connectDSN(t *testing.T, dsn string) *Client {
	t.Helper()
	cfg, err := ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := Connect(ctx, cfg)
	if err != nil {
		t.Fatalf("Connect(%s): %v", dsn, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestIntegrationNativeQuery(t *testing.T) {
	s := mariadbtest.Start(t)
	s.Exec(t, "CREATE USER 'nat'@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD('n@t:pw'); GRANT ALL ON *.* TO 'nat'@'%'")
	ctx := context.Background()
	c := connectDSN(t, fmt.Sprintf("nat:n@t:pw@tcp(127.0.0.1:%d)/mysql?sql_mode='ANSI_QUOTES'&time_zone=%%27%%2B02:00%%27", s.Port()))
	if !c.IsMariaDB() || c.AuthPlugin != PluginNativePassword || c.TLS {
		t.Errorf("version %q plugin %q TLS %v", c.ServerVersion, c.AuthPlugin, c.TLS)
	}
	res, err := c.Query(ctx, "SELECT CURRENT_USER(), DATABASE(), @@session.sql_mode, @@session.time_zone, NULL, '', CONNECTION_ID()")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 || len(res.Columns) != 7 {
		t.Fatalf("result %+v", res)
	}
	r := res.Rows[0]
	want := []string{"nat@%", "mysql", "ANSI_QUOTES", "+02:00"}
	for i, w := range want {
		if r[i].Null || r[i].Value != w {
			t.Errorf("column %d (%s) = %+v, want %q", i, res.Columns[i], r[i], w)
		}
	}
	if !r[4].Null || r[5].Null || r[5].Value != "" {
		t.Errorf("NULL/empty columns: %+v %+v", r[4], r[5])
	}
	if r[6].Value != fmt.Sprint(c.ConnectionID) {
		t.Errorf("CONNECTION_ID() %s, handshake said %d", r[6].Value, c.ConnectionID)
	}
	if err := c.Exec(ctx, "CREATE DATABASE test"); err != nil {
		t.Fatal(err)
	}
	if err := c.Exec(ctx, "CREATE TABLE test.t (id INT AUTO_INCREMENT PRIMARY KEY, v TEXT)"); err != nil {
		t.Fatal(err)
	}
	res, err = c.Query(ctx, "INSERT INTO test.t (v) VALUES ('a'),('b'),(NULL)")
	if err != nil {
		t.Fatal(err)
	}
	if res.AffectedRows != 3 || res.LastInsertID != 1 {
		t.Errorf("insert: affected %d last id %d", res.AffectedRows, res.LastInsertID)
	}
	res, err = c.Query(ctx, "SELECT id, v FROM test.t ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 3 || res.Rows[1][1].Value != "b" || !res.Rows[2][1].Null || res.Columns[1] != "v" {
		t.Errorf("select: %+v", res)
	}
	_, err = c.Query(ctx, "SELEC 1")
	var se *ServerError
	if !errors.As(err, &se) || se.Code != 1064 || se.State != "42000" {
		t.Fatalf("bad query error = %v, want 1064 (42000)", err)
	}
	// The connection survives an ERR.
	if res, err := c.Query(ctx, "SELECT 1+1"); err != nil || res.Rows[0][0].Value != "2" {
		t.Fatalf("after ERR: %v %+v", err, res)
	}
	// Wrong password.
	cfg, _ := ParseDSN(fmt.Sprintf("nat:wrong@tcp(127.0.0.1:%d)/", s.Port()))
	if _, err := Connect(ctx, cfg); !errors.As(err, &se) || se.Code != 1045 {
		t.Fatalf("wrong password: %v, want error 1045", err)
	}
	// root over the unix socket without password.
	c2 := connectDSN(t, fmt.Sprintf("root@unix(%s)/", s.Socket()))
	if res, err := c2.Query(ctx, "SELECT CURRENT_USER()"); err != nil || res.Rows[0][0].Value != "root@localhost" {
		t.Fatalf("socket: %v %+v", err, res)
	}
}

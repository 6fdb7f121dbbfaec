//go:build integration

package mysqlproto

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
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

// writeTLSFiles makes a CA and a server certificate for 127.0.0.1 and
// localhost and writes them as PEM files.
func writeTLSFiles(t *testing.T) (dir string, ca *testCA) {
	dir = t.TempDir()
	ca = newTestCA(t, "binlogkit test CA")
	certPEM, keyPEM := ca.issue(t, "mariadbd", []string{"localhost"}, []net.IP{net.ParseIP("127.0.0.1")})
	for name, b := range map[string][]byte{"ca.pem": ca.certPEM, "server.pem": certPEM, "server-key.pem": keyPEM} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir, ca
}

func TestIntegrationTLSEd25519Large(t *testing.T) {
	dir, _ := writeTLSFiles(t)
	s := mariadbtest.Start(t, mariadbtest.WithArgs(
		"--ssl-ca="+filepath.Join(dir, "ca.pem"),
		"--ssl-cert="+filepath.Join(dir, "server.pem"),
		"--ssl-key="+filepath.Join(dir, "server-key.pem"),
		"--max-allowed-packet=64M"))
	ctx := context.Background()
	tcp := fmt.Sprintf("tcp(127.0.0.1:%d)", s.Port())
	s.Exec(t, "CREATE USER 'tl'@'%' IDENTIFIED BY 'tlpw' REQUIRE SSL; GRANT ALL ON *.* TO 'tl'@'%'")

	t.Run("verify-identity", func(t *testing.T) {
		c := connectDSN(t, "tl:tlpw@"+tcp+"/?tls=verify-identity&tls-ca="+filepath.Join(dir, "ca.pem"))
		if !c.TLS {
			t.Fatal("not encrypted")
		}
		res, err := c.Query(ctx, "SHOW STATUS LIKE 'Ssl_cipher'")
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rows) != 1 || res.Rows[0][1].Value == "" {
			t.Fatalf("Ssl_cipher: %+v", res.Rows)
		}
		t.Logf("cipher %s", res.Rows[0][1].Value)
	})
	t.Run("verify-ca", func(t *testing.T) {
		// verify-ca does not check the name: ServerName is off on purpose.
		cfg, err := ParseDSN("tl:tlpw@" + tcp + "/?tls=verify-ca&tls-ca=" + filepath.Join(dir, "ca.pem"))
		if err != nil {
			t.Fatal(err)
		}
		cfg.TLSConfig.ServerName = "not-the-server.example"
		c, err := Connect(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if !c.TLS {
			t.Fatal("not encrypted")
		}
		// The same name under verify-identity is refused.
		cfg.TLSMode = TLSVerifyIdentity
		if _, err := Connect(ctx, cfg); err == nil {
			t.Fatal("verify-identity accepted a certificate for another name")
		}
	})
	t.Run("wrong CA", func(t *testing.T) {
		otherDir, _ := writeTLSFiles(t)
		for _, mode := range []string{"verify-ca", "verify-identity"} {
			cfg, err := ParseDSN("tl:tlpw@" + tcp + "/?tls=" + mode + "&tls-ca=" + filepath.Join(otherDir, "ca.pem"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Connect(ctx, cfg); err == nil || !strings.Contains(err.Error(), "unknown authority") {
				t.Errorf("%s with the wrong CA: %v", mode, err)
			}
		}
	})
	t.Run("require ssl", func(t *testing.T) {
		cfg, _ := ParseDSN("tl:tlpw@" + tcp + "/")
		_, err := Connect(ctx, cfg)
		var se *ServerError
		if !errors.As(err, &se) || se.Code != 1045 {
			t.Fatalf("REQUIRE SSL user without TLS: %v, want error 1045", err)
		}
		c := connectDSN(t, "tl:tlpw@"+tcp+"/?tls=preferred")
		if !c.TLS {
			t.Fatal("preferred did not encrypt")
		}
	})
	t.Run("ed25519", func(t *testing.T) {
		s.Exec(t, "INSTALL SONAME 'auth_ed25519'")
		s.Exec(t, "CREATE USER 'ed'@'%' IDENTIFIED VIA ed25519 USING PASSWORD('ed secret pw'); GRANT ALL ON *.* TO 'ed'@'%'")
		// The server's stored key is the one we derive.
		stored := strings.TrimSpace(s.Query(t, "SELECT JSON_VALUE(Priv, '$.authentication_string') FROM mysql.global_priv WHERE User='ed'"))
		if want := base64.RawStdEncoding.EncodeToString(Ed25519PublicKey("ed secret pw")); stored != want {
			t.Errorf("server stores %q, we derive %q", stored, want)
		}
		c := connectDSN(t, "ed:ed secret pw@"+tcp+"/")
		if c.AuthPlugin != PluginEd25519 {
			t.Errorf("authenticated with %s", c.AuthPlugin)
		}
		res, err := c.Query(ctx, "SELECT CURRENT_USER()")
		if err != nil || res.Rows[0][0].Value != "ed@%" {
			t.Fatalf("%v %+v", err, res)
		}
		cfg, _ := ParseDSN("ed:wrong@" + tcp + "/")
		var se *ServerError
		if _, err := Connect(ctx, cfg); !errors.As(err, &se) || se.Code != 1045 {
			t.Fatalf("ed25519 wrong password: %v", err)
		}
		// Also over TLS.
		if c := connectDSN(t, "ed:ed secret pw@"+tcp+"/?tls=required"); !c.TLS || c.AuthPlugin != PluginEd25519 {
			t.Errorf("ed25519 over TLS: TLS %v plugin %s", c.TLS, c.AuthPlugin)
		}
	})
	t.Run("large", func(t *testing.T) {
		for _, dsn := range []string{"root@" + tcp + "/", "tl:tlpw@" + tcp + "/?tls=required"} {
			c := connectDSN(t, dsn)
			const n = 17 * 1024 * 1024
			res, err := c.Query(ctx, fmt.Sprintf("SELECT REPEAT('x', %d), MD5(REPEAT('x', %d)), 'after'", n, n))
			if err != nil {
				t.Fatal(err)
			}
			v := res.Rows[0][0].Value
			if len(v) != n || strings.Count(v, "x") != n {
				t.Fatalf("%s: %d bytes back, want %d x", dsn, len(v), n)
			}
			if sum := md5.Sum([]byte(v)); hex.EncodeToString(sum[:]) != res.Rows[0][1].Value || res.Rows[0][2].Value != "after" {
				t.Fatalf("%s: checksum or trailing column wrong: %+v", dsn, res.Rows[0][1:])
			}
			// A large statement is split on the way out, too.
			big := strings.Repeat("y", n)
			res, err = c.Query(ctx, "SELECT LENGTH('"+big+"'), MD5('"+big+"')")
			if err != nil {
				t.Fatal(err)
			}
			sum := md5.Sum([]byte(big))
			if res.Rows[0][0].Value != fmt.Sprint(n) || res.Rows[0][1].Value != hex.EncodeToString(sum[:]) {
				t.Fatalf("%s: large statement: %+v", dsn, res.Rows[0])
			}
		}
	})
}

package mysqltest

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// aptDepends is apt-cache depends --recurse output as apt 2.x prints it,
// shortened: a virtual package with its provider, an alternative, and perl
// reachable only through the virtual package the harness leaves out.
const aptDepends = `mysql-server-core
  Depends: libc6
  Depends: libssl3t64
  Depends: <perl:any>
    perl
mysql-client-core
  Depends: libc6
 |Depends: libedit2
  Depends: libreadline8
libc6
  Depends: libgcc-s1
libssl3t64
  Depends: libc6
  Depends: <openssl-provider>
    openssl-provider-legacy
perl
  Depends: perl-base
  Depends: libperl5.42
perl-base
libperl5.42
  Depends: libdb5.3t64
libgcc-s1
  Depends: gcc-16-base
  PreDepends: libc6
gcc-16-base
openssl-provider-legacy
libedit2
libreadline8
`

func TestDependencyClosure(t *testing.T) {
	got := dependencyClosure([]byte(aptDepends), []string{serverPackage, clientPackage}, skipDeps)
	want := []string{"gcc-16-base", "libc6", "libedit2", "libgcc-s1", "libreadline8", "libssl3t64", "mysql-client-core", "mysql-server-core", "openssl-provider-legacy"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("closure\n got %v\nwant %v", got, want)
	}
	if got := dependencyClosure([]byte(aptDepends), []string{"perl"}, nil); !reflect.DeepEqual(got, []string{"libdb5.3t64", "libperl5.42", "perl", "perl-base"}) {
		t.Errorf("perl's closure: %v", got)
	}
}

func TestParseSources(t *testing.T) {
	deb822 := `Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main

Types: deb-src
URIs: http://src.example/debian
Suites: bookworm

Types: deb
URIs: http://mirror.example/debian/
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://disabled.example/debian
Suites: bookworm
Enabled: no
`
	var picked []aptSource
	for _, s := range parseDeb822Sources([]byte(deb822)) {
		if s.archive() {
			picked = append(picked, s)
		}
	}
	if len(picked) != 1 || picked[0].uri != "http://mirror.example/debian" || picked[0].keyring != "/usr/share/keyrings/debian-archive-keyring.gpg" {
		t.Errorf("deb822: picked %+v", picked)
	}
	oneLine := `# comment
deb http://security.debian.org/debian-security bookworm-security main
deb [arch=amd64 signed-by=/etc/apt/keyrings/x.gpg] http://mirror.example/debian bookworm main contrib
deb-src http://mirror.example/debian bookworm main
`
	picked = nil
	for _, s := range parseOneLineSources([]byte(oneLine)) {
		if s.archive() {
			picked = append(picked, s)
		}
	}
	if len(picked) != 1 || picked[0].uri != "http://mirror.example/debian" || picked[0].keyring != "/etc/apt/keyrings/x.gpg" {
		t.Errorf("one-line: picked %+v", picked)
	}
}

func TestVersions(t *testing.T) {
	for v, up := range map[string]string{"9.7.4-2": "9.7.4", "9.7.5-1+b1": "9.7.5", "1:10.0.1-1": "10.0.1", "9.7.10~rc1-1": "9.7.10"} {
		if got := (&Install{Version: v}).ServerVersion(); got != up {
			t.Errorf("ServerVersion(%s) = %s, want %s", v, got, up)
		}
		if err := checkVersion(v); err != nil {
			t.Errorf("checkVersion(%s): %v", v, err)
		}
	}
	for _, v := range []string{"8.4.3-1", "9.6.0-1", "junk"} {
		if err := checkVersion(v); !errors.Is(err, ErrUnavailable) {
			t.Errorf("checkVersion(%s) = %v, want ErrUnavailable", v, err)
		}
	}
}

// TestCopyTemplate checks that the copy of the template leaves out the
// server UUID and the spare redo files, and keeps the rest.
func TestCopyTemplate(t *testing.T) {
	src := t.TempDir()
	for _, f := range []string{"auto.cnf", "ibdata1", "mysql/db.sdi", "#innodb_redo/#ib_redo9", "#innodb_redo/#ib_redo10_tmp"} {
		p := filepath.Join(src, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	dst := filepath.Join(t.TempDir(), "data")
	if err := copyTemplate(src, dst); err != nil {
		t.Fatal(err)
	}
	var got []string
	filepath.WalkDir(dst, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dst, p)
			b, _ := os.ReadFile(p)
			if string(b) != rel {
				t.Errorf("%s holds %q", rel, b)
			}
			got = append(got, rel)
		}
		return nil
	})
	if strings.Join(got, " ") != "#innodb_redo/#ib_redo9 ibdata1 mysql/db.sdi" {
		t.Errorf("copied %v", got)
	}
}

func TestTail(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"a\nb\nc\n", 2, "b\nc"},
		{"a\nb\nc", 5, "a\nb\nc"},
		{"", 3, ""},
		{"x", 1, "x"},
	} {
		if got := string(tail([]byte(c.in), c.n)); got != c.want {
			t.Errorf("tail(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}

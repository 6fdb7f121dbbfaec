package mysqltest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Debian's packages of the MySQL server and client programs, and the suite
// that carries them.
const (
	serverPackage = "mysql-server-core"
	clientPackage = "mysql-client-core"
	suite         = "sid"
)

// minMajor and minMinor are the oldest MySQL the harness accepts: the
// suites are written for 9.7 (tagged GTIDs, SHOW BINARY LOG STATUS,
// caching_sha2_password as the only default).
const minMajor, minMinor = 9, 7

// skipDeps are dependencies left out of the unpacked tree: the programs the
// tests run do not need perl (only helper scripts such as mysqldumpslow do).
var skipDeps = map[string]bool{"<perl:any>": true, "perl": true, "perl-base": true}

// Install is an unpacked MySQL: the programs of Debian's mysql-server-core
// and mysql-client-core packages and every library they need, under Root.
// Nothing is installed system-wide: the programs run through the packages'
// own dynamic loader with the packages' library directories, so they work
// on a system whose C library is older than the one they were built for.
type Install struct {
	// Version is the Debian package version, e.g. "9.7.4-2".
	Version string
	// Root is the directory the packages were unpacked into (it holds
	// usr/sbin/mysqld, usr/bin/mysql, …).
	Root string

	dir     string // the cache entry holding Root, the template datadir and the ready marker
	loader  string // ld-linux of the packages
	libPath string // --library-path for the loader
}

// ServerVersion returns the upstream part of Version: "9.7.4" for "9.7.4-2".
func (in *Install) ServerVersion() string {
	v := in.Version
	if i := strings.IndexByte(v, ':'); i >= 0 {
		v = v[i+1:]
	}
	if i := strings.IndexAny(v, "-+~"); i >= 0 {
		v = v[:i]
	}
	return v
}

// PluginDir returns the directory of the server's plugins and of the
// clients' authentication plugins (mysql_native_password is one since
// MySQL 9.0: a MySQL 9 client that meets a server asking for it loads it
// from here, so client programs need --plugin-dir=PluginDir()).
func (in *Install) PluginDir() string {
	return filepath.Join(in.Root, "usr", "lib", "mysql", "plugin")
}

// ShareDir returns the directory of the server's messages and character
// sets (usr/share/mysql).
func (in *Install) ShareDir() string { return filepath.Join(in.Root, "usr", "share", "mysql") }

// Path returns the path of a program of the installation: mysqld in
// usr/sbin, the others (mysql, mysqlbinlog, mysqldump, mysqladmin, …) in
// usr/bin. It cannot be run directly (see Command).
func (in *Install) Path(name string) string {
	if name == "mysqld" {
		return filepath.Join(in.Root, "usr", "sbin", name)
	}
	return filepath.Join(in.Root, "usr", "bin", name)
}

// Command returns a command running the named program of the installation
// (mysqld, mysql, mysqlbinlog, mysqldump, mysqladmin, …) with args, through
// the packages' loader and libraries, with an environment free of MYSQL_*
// variables. Client programs need --no-defaults as their first argument to
// keep ~/.my.cnf out, and --plugin-dir=PluginDir() to authenticate with
// mysql_native_password.
func (in *Install) Command(name string, args ...string) *exec.Cmd {
	return in.CommandContext(context.Background(), name, args...)
}

// CommandContext is Command with a context that kills the program.
func (in *Install) CommandContext(ctx context.Context, name string, args ...string) *exec.Cmd {
	full := append([]string{"--library-path", in.libPath, in.Path(name)}, args...)
	cmd := exec.CommandContext(ctx, in.loader, full...)
	cmd.Env = cleanEnv()
	return cmd
}

// PrepareOptions steer Prepare.
type PrepareOptions struct {
	// Refresh asks the mirror for the current package version even when a
	// prepared one is in the cache, and prepares the new version if there is
	// one. Without it, a prepared version is used without any network
	// access.
	Refresh bool
	// CacheDir overrides the cache directory (see CacheDir).
	CacheDir string
	// Logf receives progress messages; nil means none.
	Logf func(format string, args ...any)
}

// CacheDir returns where Prepare keeps its work: $BINLOGKIT_MYSQL_CACHE when
// set, else binlogkit/ under the user's cache directory ($XDG_CACHE_HOME or
// ~/.cache). It is outside the repository and shared by every checkout and
// test process of the user.
func CacheDir() (string, error) {
	if d := os.Getenv("BINLOGKIT_MYSQL_CACHE"); d != "" {
		return filepath.Abs(d)
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("mysqltest: no cache directory: %w", err)
	}
	return filepath.Join(d, "binlogkit"), nil
}

// ErrUnavailable is wrapped by Prepare's errors that mean MySQL cannot be
// had on this machine (no apt-get or dpkg-deb, no Debian mirror, the
// packages missing from it, an unsupported architecture): tests skip on it.
var ErrUnavailable = errors.New("mysqltest: MySQL is not available")

// DisableEnv names the environment variable that, set to "off", makes
// Prepare fail with ErrUnavailable: the MySQL suites then skip.
const DisableEnv = "BINLOGKIT_MYSQL"

// readyFile marks a complete cache entry; it holds the package version.
const readyFile = "READY"

// Prepare returns an unpacked MySQL, fetching and unpacking it first when
// the cache has none (or, with Refresh, when the mirror has a newer
// version). The packages come from the Debian mirror the machine's own apt
// sources name, suite sid, through a private apt configuration (its own
// lists, cache and an empty dpkg status): nothing is installed system-wide.
// Each version is prepared once per cache, under a lock that makes
// concurrent test processes wait for the first one instead of racing it.
func Prepare(ctx context.Context, opt PrepareOptions) (*Install, error) {
	logf := opt.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	if os.Getenv(DisableEnv) == "off" {
		return nil, fmt.Errorf("%w: %s=off", ErrUnavailable, DisableEnv)
	}
	base := opt.CacheDir
	if base == "" {
		var err error
		if base, err = CacheDir(); err != nil {
			return nil, err
		}
	}
	arch, err := debianArch()
	if err != nil {
		return nil, err
	}
	if !opt.Refresh {
		if in, err := readyInstall(base, arch); err == nil {
			return in, nil
		}
	}
	if err := os.MkdirAll(base, 0o755); err != nil {
		return nil, fmt.Errorf("mysqltest: %w", err)
	}
	unlock, err := lockFile(ctx, filepath.Join(base, "mysql.lock"), logf)
	if err != nil {
		return nil, err
	}
	defer unlock()
	// Another process may have finished while we waited for the lock.
	if !opt.Refresh {
		if in, err := readyInstall(base, arch); err == nil {
			return in, nil
		}
	}
	for _, tool := range []string{"apt-get", "apt-cache", "dpkg-deb"} {
		if _, err := exec.LookPath(tool); err != nil {
			return nil, fmt.Errorf("%w: %s not found (the harness unpacks Debian's %s and %s packages)", ErrUnavailable, tool, serverPackage, clientPackage)
		}
	}
	a, err := newAptEnv(base, arch)
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	if out, err := a.run(ctx, "apt-get", "update"); err != nil {
		err = fmt.Errorf("%w: apt-get update of %s %s failed: %v\n%s", ErrUnavailable, a.uri, suite, err, tail(out, 20))
		// A refresh that cannot reach the mirror keeps what is prepared.
		if in, rerr := readyInstall(base, arch); rerr == nil {
			logf("%v\nmysqltest: keeping the prepared MySQL %s", err, in.Version)
			return in, nil
		}
		return nil, err
	}
	logf("mysqltest: apt-get update of %s %s took %v", a.uri, suite, time.Since(t0).Round(time.Millisecond))
	version, err := a.candidate(ctx, serverPackage)
	if err != nil {
		return nil, err
	}
	if cv, err := a.candidate(ctx, clientPackage); err != nil {
		return nil, err
	} else if cv != version {
		return nil, fmt.Errorf("%w: %s %s and %s %s differ in %s", ErrUnavailable, serverPackage, version, clientPackage, cv, suite)
	}
	if err := checkVersion(version); err != nil {
		return nil, err
	}
	dir := filepath.Join(base, "mysql-"+version)
	if in, err := openInstall(dir, arch); err == nil {
		logf("mysqltest: MySQL %s is already prepared in %s", version, dir)
		return in, setCurrent(base, dir)
	}
	t0 = time.Now()
	if err := a.unpack(ctx, dir, version, logf); err != nil {
		return nil, err
	}
	in, err := openInstall(dir, arch)
	if err != nil {
		return nil, err
	}
	logf("mysqltest: MySQL %s prepared in %s in %v", version, dir, time.Since(t0).Round(time.Millisecond))
	if err := setCurrent(base, dir); err != nil {
		return nil, err
	}
	if opt.Refresh {
		removeOld(base, dir, logf)
	}
	return in, nil
}

// checkVersion accepts MySQL 9.7 and newer (any patch level).
func checkVersion(v string) error {
	up := (&Install{Version: v}).ServerVersion()
	f := strings.Split(up, ".")
	if len(f) >= 2 {
		ma, err1 := strconv.Atoi(f[0])
		mi, err2 := strconv.Atoi(f[1])
		if err1 == nil && err2 == nil && (ma > minMajor || ma == minMajor && mi >= minMinor) {
			return nil
		}
	}
	return fmt.Errorf("%w: %s %s in %s is older than %d.%d", ErrUnavailable, serverPackage, v, suite, minMajor, minMinor)
}

// debianArch returns the Debian architecture of this machine and the
// loader and multiarch directory of its packages.
func debianArch() (archInfo, error) {
	switch runtime.GOARCH {
	case "amd64":
		return archInfo{"amd64", "x86_64-linux-gnu", "ld-linux-x86-64.so.2"}, nil
	case "arm64":
		return archInfo{"arm64", "aarch64-linux-gnu", "ld-linux-aarch64.so.1"}, nil
	}
	return archInfo{}, fmt.Errorf("%w: no recipe for %s/%s (the harness knows amd64 and arm64 Linux)", ErrUnavailable, runtime.GOOS, runtime.GOARCH)
}

type archInfo struct {
	deb, triplet, loader string
}

// readyInstall returns the entry the cache's "current" file names, if it
// is complete.
func readyInstall(base string, arch archInfo) (*Install, error) {
	b, err := os.ReadFile(filepath.Join(base, "mysql-current"))
	if err != nil {
		return nil, err
	}
	return openInstall(filepath.Join(base, strings.TrimSpace(string(b))), arch)
}

// openInstall checks a cache entry: its ready marker, its loader and its
// mysqld.
func openInstall(dir string, arch archInfo) (*Install, error) {
	v, err := os.ReadFile(filepath.Join(dir, readyFile))
	if err != nil {
		return nil, err
	}
	root := filepath.Join(dir, "root")
	in := &Install{Version: strings.TrimSpace(string(v)), Root: root, dir: dir}
	// Where the loader lands depends on the libc6 package: usr/lib64 (a
	// link into usr/lib/<triplet>), lib64, or usr/lib/<triplet> itself.
	for _, d := range []string{"usr/lib64", "lib64", "usr/lib/" + arch.triplet, "lib/" + arch.triplet, "usr/lib", "lib"} {
		p := filepath.Join(root, d, arch.loader)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			in.loader = p
			break
		}
	}
	if in.loader == "" {
		return nil, fmt.Errorf("mysqltest: %s has no %s", root, arch.loader)
	}
	in.libPath = filepath.Join(root, "usr", "lib", arch.triplet) + ":" + filepath.Join(root, "lib", arch.triplet)
	if _, err := os.Stat(in.Path("mysqld")); err != nil {
		return nil, fmt.Errorf("mysqltest: %w", err)
	}
	return in, nil
}

// setCurrent names dir as the cache's current entry (atomically).
func setCurrent(base, dir string) error {
	tmp := filepath.Join(base, fmt.Sprintf("mysql-current.%d", os.Getpid()))
	if err := os.WriteFile(tmp, []byte(filepath.Base(dir)+"\n"), 0o644); err != nil {
		return fmt.Errorf("mysqltest: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(base, "mysql-current")); err != nil {
		return fmt.Errorf("mysqltest: %w", err)
	}
	return nil
}

// removeOld deletes the cache entries of other versions.
func removeOld(base, keep string, logf func(string, ...any)) {
	old, _ := filepath.Glob(filepath.Join(base, "mysql-*"))
	for _, d := range old {
		fi, err := os.Stat(d)
		if err != nil || !fi.IsDir() || d == keep {
			continue
		}
		if err := os.RemoveAll(d); err == nil {
			logf("mysqltest: removed %s", d)
		}
	}
}

// aptEnv is a private apt configuration: the machine's apt settings
// (proxies, date checks) with its own sources, lists, cache and an empty
// dpkg status, so that nothing of the system's package state is read or
// changed.
type aptEnv struct {
	dir  string
	uri  string
	opts []string
}

func newAptEnv(base string, arch archInfo) (*aptEnv, error) {
	uri, keyring, err := debianMirror()
	if err != nil {
		return nil, err
	}
	a := &aptEnv{dir: filepath.Join(base, "apt"), uri: uri}
	for _, d := range []string{"lists/partial", "archives/partial", "sources.d", "preferences.d"} {
		if err := os.MkdirAll(filepath.Join(a.dir, d), 0o755); err != nil {
			return nil, fmt.Errorf("mysqltest: %w", err)
		}
	}
	src := "Types: deb\nURIs: " + uri + "\nSuites: " + suite + "\nComponents: main\n"
	if keyring != "" {
		src += "Signed-By: " + keyring + "\n"
	}
	sources := filepath.Join(a.dir, "sid.sources")
	status := filepath.Join(a.dir, "status")
	if err := os.WriteFile(sources, []byte(src), 0o644); err != nil {
		return nil, fmt.Errorf("mysqltest: %w", err)
	}
	if err := os.WriteFile(status, nil, 0o644); err != nil {
		return nil, fmt.Errorf("mysqltest: %w", err)
	}
	set := func(k, v string) { a.opts = append(a.opts, "-o", k+"="+v) }
	set("Dir::Etc::sourcelist", sources)
	set("Dir::Etc::sourceparts", filepath.Join(a.dir, "sources.d"))
	set("Dir::Etc::preferences", filepath.Join(a.dir, "preferences"))
	set("Dir::Etc::preferencesparts", filepath.Join(a.dir, "preferences.d"))
	set("Dir::State", a.dir)
	set("Dir::State::lists", filepath.Join(a.dir, "lists"))
	set("Dir::State::status", status)
	set("Dir::Cache", a.dir)
	set("Dir::Cache::archives", filepath.Join(a.dir, "archives"))
	set("Dir::Cache::pkgcache", filepath.Join(a.dir, "pkgcache.bin"))
	set("Dir::Cache::srcpkgcache", "") // no source packages: no cache of them
	set("APT::Architecture", arch.deb)
	set("APT::Architectures", arch.deb)
	set("Acquire::Languages", "none")
	// Only the Packages lists: no AppStream metadata, translations or
	// Contents a desktop configuration may add.
	for _, t := range []string{"DEP-11", "DEP-11-icons", "DEP-11-icons-small", "DEP-11-icons-hidpi", "Contents-deb"} {
		set("Acquire::IndexTargets::deb::"+t+"::DefaultEnabled", "false")
	}
	// The lock is our own (mysql.lock); the system's is none of our
	// business.
	set("Debug::NoLocking", "true")
	if os.Geteuid() == 0 {
		// root's downloads are otherwise done as _apt, which cannot write
		// into the user's cache.
		set("APT::Sandbox::User", "root")
	}
	return a, nil
}

func (a *aptEnv) run(ctx context.Context, tool string, args ...string) ([]byte, error) {
	return a.runIn(ctx, "", tool, args...)
}

func (a *aptEnv) runIn(ctx context.Context, dir, tool string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	full := append(append([]string{}, a.opts...), args...)
	if tool == "apt-get" {
		full = append([]string{"-q"}, full...)
	}
	cmd := exec.CommandContext(ctx, tool, full...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "LC_ALL=C", "DEBIAN_FRONTEND=noninteractive")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.Bytes(), err
}

// candidate returns the version apt would take of pkg.
func (a *aptEnv) candidate(ctx context.Context, pkg string) (string, error) {
	out, err := a.run(ctx, "apt-cache", "policy", pkg)
	if err != nil {
		return "", fmt.Errorf("%w: apt-cache policy %s: %v\n%s", ErrUnavailable, pkg, err, tail(out, 10))
	}
	m := regexp.MustCompile(`(?m)^\s*Candidate:\s*(\S+)`).FindSubmatch(out)
	if m == nil || string(m[1]) == "(none)" {
		return "", fmt.Errorf("%w: %s is not in %s %s", ErrUnavailable, pkg, a.uri, suite)
	}
	return string(m[1]), nil
}

// unpack downloads the two packages and their dependencies and unpacks them
// into dir/root, then writes the ready marker.
func (a *aptEnv) unpack(ctx context.Context, dir, version string, logf func(string, ...any)) error {
	out, err := a.run(ctx, "apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests",
		"--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances", serverPackage, clientPackage)
	if err != nil {
		return fmt.Errorf("%w: apt-cache depends: %v\n%s", ErrUnavailable, err, tail(out, 10))
	}
	pkgs := dependencyClosure(out, []string{serverPackage, clientPackage}, skipDeps)
	if len(pkgs) < 2 {
		return fmt.Errorf("mysqltest: apt-cache depends listed no package:\n%s", tail(out, 10))
	}
	os.RemoveAll(dir) // an earlier attempt that did not finish
	stage, err := os.MkdirTemp(filepath.Dir(dir), filepath.Base(dir)+".tmp")
	if err != nil {
		return fmt.Errorf("mysqltest: %w", err)
	}
	defer os.RemoveAll(stage)
	debs := filepath.Join(stage, "debs")
	root := filepath.Join(stage, "root")
	if err := os.MkdirAll(debs, 0o755); err != nil {
		return fmt.Errorf("mysqltest: %w", err)
	}
	args := []string{"download"}
	for _, p := range pkgs {
		if p == serverPackage || p == clientPackage {
			p += "=" + version
		}
		args = append(args, p)
	}
	t0 := time.Now()
	if out, err := a.runIn(ctx, debs, "apt-get", args...); err != nil {
		return fmt.Errorf("%w: apt-get download: %v\n%s", ErrUnavailable, err, tail(out, 20))
	}
	files, _ := filepath.Glob(filepath.Join(debs, "*.deb"))
	if len(files) != len(pkgs) {
		return fmt.Errorf("mysqltest: apt-get download fetched %d packages, want %d (%s)", len(files), len(pkgs), strings.Join(pkgs, " "))
	}
	var size int64
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil {
			size += fi.Size()
		}
	}
	logf("mysqltest: downloaded %d packages (%.1f MB) in %v", len(files), float64(size)/1e6, time.Since(t0).Round(time.Millisecond))
	t0 = time.Now()
	for _, f := range files {
		cmd := exec.CommandContext(ctx, "dpkg-deb", "-x", f, root)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("mysqltest: dpkg-deb -x %s: %v\n%s", filepath.Base(f), err, tail(out, 10))
		}
	}
	if err := os.RemoveAll(debs); err != nil {
		return fmt.Errorf("mysqltest: %w", err)
	}
	logf("mysqltest: unpacked them in %v", time.Since(t0).Round(time.Millisecond))
	if err := os.WriteFile(filepath.Join(stage, "packages"), []byte(strings.Join(pkgs, "\n")+"\n"), 0o644); err != nil {
		return fmt.Errorf("mysqltest: %w", err)
	}
	// The programs must run before the entry is declared ready.
	arch, _ := debianArch()
	if err := os.WriteFile(filepath.Join(stage, readyFile), []byte(version+"\n"), 0o644); err != nil {
		return fmt.Errorf("mysqltest: %w", err)
	}
	in, err := openInstall(stage, arch)
	if err != nil {
		return err
	}
	vout, err := in.CommandContext(ctx, "mysqld", "--version").CombinedOutput()
	if err != nil || !strings.Contains(string(vout), in.ServerVersion()) {
		os.Remove(filepath.Join(stage, readyFile))
		return fmt.Errorf("mysqltest: the unpacked mysqld does not run: %v\n%s", err, tail(vout, 10))
	}
	logf("mysqltest: %s", strings.TrimSpace(string(vout)))
	t0 = time.Now()
	if err := in.initTemplate(ctx, filepath.Join(stage, templateName)); err != nil {
		return fmt.Errorf("mysqltest: %w", err)
	}
	logf("mysqltest: initialized the template data directory in %v", time.Since(t0).Round(time.Millisecond))
	if err := os.Rename(stage, dir); err != nil {
		return fmt.Errorf("mysqltest: %w", err)
	}
	return nil
}

// dependencyClosure reads the output of apt-cache depends --recurse and
// returns, sorted, the packages reachable from roots without going through
// the names in skip. Virtual packages ("<name>") stand for the providers
// listed under them.
func dependencyClosure(out []byte, roots []string, skip map[string]bool) []string {
	edges := map[string][]string{}
	var pkg, virt string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if trimmed == "" {
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		switch {
		case indent == 0:
			pkg, virt = trimmed, ""
		case indent <= 2:
			kind, name, ok := strings.Cut(strings.TrimPrefix(trimmed, "|"), ":")
			if !ok || (kind != "Depends" && kind != "PreDepends") {
				virt = ""
				continue
			}
			name = strings.TrimSpace(name)
			edges[pkg] = append(edges[pkg], name)
			virt = ""
			if strings.HasPrefix(name, "<") {
				virt = name
			}
		default:
			// A provider of the virtual package (or one choice of an
			// alternative) named on the line above.
			if virt != "" {
				edges[virt] = append(edges[virt], trimmed)
			}
		}
	}
	seen := map[string]bool{}
	var visit func(string)
	visit = func(p string) {
		if seen[p] || skip[p] {
			return
		}
		seen[p] = true
		for _, q := range edges[p] {
			visit(q)
		}
	}
	for _, r := range roots {
		visit(r)
	}
	var list []string
	for p := range seen {
		if !strings.HasPrefix(p, "<") {
			list = append(list, p)
		}
	}
	sort.Strings(list)
	return list
}

// sourcesFiles are where apt keeps the machine's sources.
var sourcesFiles = []string{"/etc/apt/sources.list.d/debian.sources", "/etc/apt/sources.list.d/*.sources", "/etc/apt/sources.list", "/etc/apt/sources.list.d/*.list"}

// debianMirror returns the URI of the Debian archive the machine's apt
// sources name (the first "deb" source whose suites are not -security),
// and its Signed-By keyring when it names one.
func debianMirror() (uri, keyring string, err error) {
	seen := map[string]bool{}
	for _, pat := range sourcesFiles {
		files, _ := filepath.Glob(pat)
		for _, f := range files {
			if seen[f] {
				continue
			}
			seen[f] = true
			b, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			var srcs []aptSource
			if strings.HasSuffix(f, ".sources") {
				srcs = parseDeb822Sources(b)
			} else {
				srcs = parseOneLineSources(b)
			}
			for _, s := range srcs {
				if s.archive() {
					if s.keyring == "" {
						if _, err := os.Stat(defaultKeyring); err == nil {
							s.keyring = defaultKeyring
						}
					}
					return s.uri, s.keyring, nil
				}
			}
		}
	}
	return "", "", fmt.Errorf("%w: no Debian mirror in %s", ErrUnavailable, strings.Join(sourcesFiles, ", "))
}

const defaultKeyring = "/usr/share/keyrings/debian-archive-keyring.gpg"

type aptSource struct {
	types, suites []string
	uri, keyring  string
}

// archive reports whether s is a binary source of the main Debian archive.
func (s aptSource) archive() bool {
	deb := false
	for _, t := range s.types {
		deb = deb || t == "deb"
	}
	if !deb || s.uri == "" || !strings.HasPrefix(s.uri, "http") {
		return false
	}
	for _, su := range s.suites {
		if strings.Contains(su, "security") {
			return false
		}
	}
	return !strings.Contains(s.uri, "security")
}

// parseDeb822Sources reads the stanzas of a .sources file.
func parseDeb822Sources(b []byte) []aptSource {
	var out []aptSource
	var cur aptSource
	enabled := true
	flush := func() {
		if cur.uri != "" && enabled {
			out = append(out, cur)
		}
		cur, enabled = aptSource{}, true
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok || strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t") {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "types":
			cur.types = strings.Fields(v)
		case "uris":
			if f := strings.Fields(v); len(f) > 0 {
				cur.uri = strings.TrimRight(f[0], "/")
			}
		case "suites":
			cur.suites = strings.Fields(v)
		case "signed-by":
			if !strings.Contains(v, "BEGIN PGP") {
				cur.keyring = v
			}
		case "enabled":
			enabled = !strings.EqualFold(v, "no")
		}
	}
	flush()
	return out
}

// parseOneLineSources reads "deb [options] uri suite components" lines.
func parseOneLineSources(b []byte) []aptSource {
	var out []aptSource
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var s aptSource
		f := strings.Fields(line)
		s.types = f[:1]
		f = f[1:]
		if len(f) > 0 && strings.HasPrefix(f[0], "[") {
			opts := ""
			for len(f) > 0 {
				opts += " " + f[0]
				done := strings.HasSuffix(f[0], "]")
				f = f[1:]
				if done {
					break
				}
			}
			for _, o := range strings.Fields(strings.Trim(strings.TrimSpace(opts), "[]")) {
				if k, v, ok := strings.Cut(o, "="); ok && k == "signed-by" {
					s.keyring = v
				}
			}
		}
		if len(f) < 2 {
			continue
		}
		s.uri, s.suites = strings.TrimRight(f[0], "/"), f[1:2]
		out = append(out, s)
	}
	return out
}

// tail returns the last n lines of b.
func tail(b []byte, n int) []byte {
	b = bytes.TrimRight(b, "\n")
	end := len(b)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == '\n' {
			if n--; n == 0 {
				return b[i+1 : end]
			}
		}
	}
	return b
}

// copyDir copies the regular files and directories of src into dst (which
// must not exist), leaving out the paths (relative to src) skip reports.
func copyDir(src, dst string, skip func(rel string) bool) error {
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if skip(rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(target, info.Mode().Perm()|0o700)
		case info.Mode().IsRegular():
			in, err := os.Open(p)
			if err != nil {
				return err
			}
			defer in.Close()
			out, err := os.OpenFile(target, os.O_CREATE|os.O_EXCL|os.O_WRONLY, info.Mode().Perm())
			if err != nil {
				return err
			}
			if _, err := io.Copy(out, in); err != nil {
				out.Close()
				return err
			}
			return out.Close()
		}
		return nil
	})
}

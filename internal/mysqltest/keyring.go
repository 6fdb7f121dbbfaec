package mysqltest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// WithKeyring starts the server with component_keyring_file, its keyring
// at path (a JSON file the component creates and fills, e.g. with the
// replication master keys of --binlog-encryption=ON). MySQL loads
// components only through manifest files: a global mysqld.my beside the
// mysqld program ({"read_local_manifest": true}), the data directory's
// mysqld.my ({"components": "file://component_keyring_file"}), and the
// component's configuration, global in the plugin directory
// ({"read_local_config": true}) and local in the data directory
// ({"path": …, "read_only": false}). The shared installation is left as it
// is: the server runs through a link to mysqld in a directory of its own,
// with a plugin directory of links to the installation's plugins.
func WithKeyring(path string) Option {
	return func(c *config) { c.keyring = path }
}

// setupKeyring writes the manifests and configuration WithKeyring needs and
// points the server at its own program link and plugin directory.
func (s *Server) setupKeyring(keyring string) error {
	keyring, err := filepath.Abs(keyring)
	if err != nil {
		return err
	}
	bin := filepath.Join(s.dir, "bin")
	plugins := filepath.Join(s.dir, "plugin")
	for _, d := range []string{bin, plugins} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	s.mysqld = filepath.Join(bin, "mysqld")
	if err := os.Symlink(s.in.Path("mysqld"), s.mysqld); err != nil {
		return err
	}
	ents, err := os.ReadDir(s.in.PluginDir())
	if err != nil {
		return err
	}
	for _, e := range ents {
		if err := os.Symlink(filepath.Join(s.in.PluginDir(), e.Name()), filepath.Join(plugins, e.Name())); err != nil {
			return err
		}
	}
	files := map[string]string{
		filepath.Join(bin, "mysqld.my"):                        `{"read_local_manifest": true}`,
		filepath.Join(plugins, "component_keyring_file.cnf"):   `{"read_local_config": true}`,
		filepath.Join(s.dataDir, "mysqld.my"):                  `{"components": "file://component_keyring_file"}`,
		filepath.Join(s.dataDir, "component_keyring_file.cnf"): fmt.Sprintf(`{"path": %q, "read_only": false}`, keyring),
	}
	for p, content := range files {
		if err := os.WriteFile(p, []byte(content+"\n"), 0o444); err != nil {
			return err
		}
	}
	s.args = append(s.args, "--plugin-dir="+plugins)
	return nil
}

// command returns the command that runs the server's mysqld (the
// installation's, or WithKeyring's link to it) with args.
func (s *Server) command(args ...string) *exec.Cmd {
	cmd := s.in.Command("mysqld", args...)
	if s.mysqld != "" {
		cmd.Args[3] = s.mysqld // loader, --library-path, its value, program
	}
	return cmd
}

//go:build !linux

package mysqltest

import "os/exec"

// setParentDeathSignal does nothing where the kernel has no parent-death
// signal; t.Cleanup still stops the server on every normal exit.
func setParentDeathSignal(cmd *exec.Cmd) {}

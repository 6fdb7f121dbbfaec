package mariadbtest

import (
	"os/exec"
	"syscall"
)

// setParentDeathSignal asks the kernel to kill mariadbd if the test binary
// dies without running its cleanups (a panic, a -timeout, SIGKILL), so no
// orphan server outlives the test run.
func setParentDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

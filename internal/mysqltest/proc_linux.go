package mysqltest

import (
	"os/exec"
	"syscall"
)

// setParentDeathSignal asks the kernel to kill mysqld if the test binary
// dies without running its cleanups (a panic, a -timeout, SIGKILL), so no
// orphan server outlives the test run. (Linux sends the signal when the OS
// thread that started the process exits; Go keeps its threads unless a
// goroutine exits while locked to one, which Start's callers do not do.)
func setParentDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

//go:build unix && !linux

package binlog

func adviseSequential([]byte) {}

func dropPages([]byte) {}

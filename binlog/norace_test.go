//go:build !race

package binlog

const raceEnabled = false

//go:build !unix

package main

import (
	"errors"
	"os"
)

// mapFile is not available here: the store keeps its records in the heap.
func mapFile(*os.File, int64) ([]byte, error) { return nil, errors.New("no mapping") }

func dropPages([]byte) {}

func unmapFile([]byte) {}

//go:build !cilium09

package main

import (
	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
)

// cilium/ebpf 0.10 and later: CORERelocate(relos, target, byteOrder), the
// relocations carry their local types.
func relocate(prog *ebpf.ProgramSpec, target *btf.Spec, relos []*btf.CORERelocation) ([]btf.COREFixup, error) {
	return btf.CORERelocate(relos, target, prog.ByteOrder)
}

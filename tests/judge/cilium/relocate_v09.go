//go:build cilium09

package main

import (
	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
)

// cilium/ebpf 0.9: CORERelocate(local, target, relos), the local types come
// from the program's own BTF (ProgramSpec.BTF).
func relocate(prog *ebpf.ProgramSpec, target *btf.Spec, relos []*btf.CORERelocation) ([]btf.COREFixup, error) {
	return btf.CORERelocate(prog.BTF, target, relos)
}

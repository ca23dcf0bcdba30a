// btfpack-judge-cilium: report cilium/ebpf's own CO-RE relocation decisions
// for one BPF object against one target BTF, normalized like btfpack-judge
// (tests/judge/judge.c) so runs against a full and a minimized BTF can be
// diffed.
//
//	btfpack-judge-cilium OBJ BTF
//	btfpack-judge-cilium --version
//
// No kernel is needed: the object is read with ebpf.LoadCollectionSpec, the
// target with btf.LoadSpec, and cilium's exported btf.CORERelocate computes
// the fixups, as cilium does when it loads a program (applyRelocations: the
// relocations of one program, after its subprograms were linked in). Each
// program's relocations are grouped by local type, as CORERelocate itself
// groups them, and each group is relocated on its own: groups are
// independent in cilium, and a failing group then names its own relocations
// instead of failing the program with whichever error map order met first.
//
// Output: "judge: cilium/ebpf VERSION", then per program (sorted by name)
// one line per relocation, in instruction order:
//
//	prog 'P': relo #K: insn #I <kind> LOCALTYPE ACCESSOR: ok L -> T
//	prog 'P': relo #K: insn #I <kind> LOCALTYPE ACCESSOR: poisoned
//	prog 'P': relo #K: insn #I <kind> LOCALTYPE ACCESSOR: error: REASON
//
// (T of <target_type_id> is printed "id" or "0": a minimized BTF renumbers
// types), and "prog 'P': CO-RE ok" or "prog 'P': CO-RE failed (N groups)".
// When cilium cannot read an input at all:
//
//	cilium 0.9.1 refuses the object: REASON
//	cilium 0.9.1 refuses the target BTF: REASON
//
// where REASON is "unknown kind ENUM64" (or DECL_TAG, TYPE_TAG) when cilium
// cannot parse a BTF kind, else cilium's error with type ids dropped.
//
// Exit: 0 when the judge ran (whatever cilium decided), 1 on usage or I/O
// errors.
package main

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unsafe"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// loaderVersion is set at build time (-X main.loaderVersion=0.9.1) from the
// Debian package the judge is built against.
var loaderVersion = "unknown"

// libbpf's names of the CO-RE kinds (bpf_core_relo_kind_str)
var kindNames = []string{
	"byte_off", "byte_sz", "field_exists", "signed", "lshift_u64", "rshift_u64",
	"local_type_id", "target_type_id", "type_exists", "type_size",
	"enumval_exists", "enumval_value", "type_matches",
}

const kindTargetTypeID = 7

// unexported returns struct field NAME of the addressable struct value V,
// readable. CORERelocation and COREFixup keep their contents unexported;
// the judge only reads them, to print what cilium decided.
func unexported(v reflect.Value, name string) reflect.Value {
	f := v.FieldByName(name)
	if !f.IsValid() {
		panic("cilium/ebpf " + loaderVersion + ": no field " + v.Type().String() + "." + name)
	}
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}

var (
	reUnknownKind = regexp.MustCompile(`unknown kind: Unknown \((\d+)\)`)
	reTypeID      = regexp.MustCompile(`type id \d+`)
	reFile        = regexp.MustCompile(`^file .*?: `)
	// BTF kinds newer than some cilium versions can read
	newKinds = map[int]string{17: "DECL_TAG", 18: "TYPE_TAG", 19: "ENUM64"}
)

// refusal shortens why cilium cannot read a BTF to what is the same for a
// full and a minimized BTF: "unknown kind ENUM64" for a kind it cannot
// parse (the id of the first such type is not), else the error with type
// ids and the file name dropped.
func refusal(err error) string {
	msg := reFile.ReplaceAllString(err.Error(), "")
	if m := reUnknownKind.FindStringSubmatch(msg); m != nil {
		k, _ := strconv.Atoi(m[1])
		if name, ok := newKinds[k]; ok {
			return "unknown kind " + name
		}
		return "unknown kind " + m[1]
	}
	return reTypeID.ReplaceAllString(msg, "type id N")
}

type relo struct {
	ins   *asm.Instruction
	off   asm.RawInstructionOffset
	cr    *btf.CORERelocation
	typ   btf.Type
	kind  uint64
	descr string // "<kind> struct foo 0:1"
}

func kindName(k uint64) string {
	if k < uint64(len(kindNames)) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind%d", k)
}

func typeWord(t btf.Type) string {
	switch t.(type) {
	case *btf.Struct:
		return "struct"
	case *btf.Union:
		return "union"
	case *btf.Enum:
		return "enum"
	case *btf.Typedef:
		return "typedef"
	case *btf.Int:
		return "int"
	case *btf.Fwd:
		return "fwd"
	case *btf.Pointer:
		return "ptr"
	case *btf.FuncProto:
		return "func_proto"
	case *btf.Func:
		return "func"
	case *btf.Array:
		return "array"
	default:
		return strings.TrimPrefix(fmt.Sprintf("%T", t), "*btf.")
	}
}

func newRelo(ins *asm.Instruction, off asm.RawInstructionOffset, cr *btf.CORERelocation) relo {
	v := reflect.ValueOf(cr).Elem()
	typ, _ := unexported(v, "typ").Interface().(btf.Type)
	kind := unexported(v, "kind").Uint()
	acc := unexported(v, "accessor")
	parts := make([]string, acc.Len())
	for i := range parts {
		parts[i] = fmt.Sprint(acc.Index(i).Int())
	}
	name := "(anon)"
	word := "?"
	if typ != nil {
		word = typeWord(typ)
		if typ.TypeName() != "" {
			name = typ.TypeName()
		}
	}
	return relo{ins: ins, off: off, cr: cr, typ: typ, kind: kind,
		descr: fmt.Sprintf("<%s> %s %s %s", kindName(kind), word, name, strings.Join(parts, ":"))}
}

// decision prints cilium's fixup for R, and whether applying it to R's
// instruction (on a copy) fails as cilium's loader would fail.
func decision(r relo, f *btf.COREFixup) string {
	v := reflect.ValueOf(f).Elem()
	if unexported(v, "poison").Bool() {
		return "poisoned"
	}
	local := unexported(v, "local").Uint()
	target := fmt.Sprint(unexported(v, "target").Uint())
	if r.kind == kindTargetTypeID && target != "0" {
		target = "id"
	}
	s := fmt.Sprintf("ok %d -> %s", local, target)
	ins := *r.ins
	if err := f.Apply(&ins); err != nil {
		s += "; apply fails: " + err.Error()
	}
	return s
}

// relocateGroup runs cilium's CO-RE relocation on RELOS (one local type),
// turning a panic inside cilium into an error.
func relocateGroup(prog *ebpf.ProgramSpec, target *btf.Spec, relos []relo) (fixups []btf.COREFixup, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("cilium panics: %v", p)
		}
	}()
	crs := make([]*btf.CORERelocation, len(relos))
	for i := range relos {
		crs[i] = relos[i].cr
	}
	fixups, err = relocate(prog, target, crs)
	if err == nil && len(fixups) != len(crs) {
		err = fmt.Errorf("judge: %d fixups for %d relocations", len(fixups), len(crs))
	}
	return fixups, err
}

func judgeProgram(prog *ebpf.ProgramSpec, target *btf.Spec) {
	var relos []relo
	iter := prog.Instructions.Iterate()
	for iter.Next() {
		if cr := btf.CORERelocationMetadata(iter.Ins); cr != nil {
			relos = append(relos, newRelo(iter.Ins, iter.Offset, cr))
		}
	}
	if len(relos) == 0 {
		return
	}
	// group by local type, in order of first use
	groups := map[btf.Type][]int{}
	var order []btf.Type
	for i, r := range relos {
		if _, ok := groups[r.typ]; !ok {
			order = append(order, r.typ)
		}
		groups[r.typ] = append(groups[r.typ], i)
	}
	result := make([]string, len(relos))
	failed := 0
	for _, t := range order {
		idx := groups[t]
		sub := make([]relo, len(idx))
		for j, i := range idx {
			sub[j] = relos[i]
		}
		fixups, err := relocateGroup(prog, target, sub)
		if err != nil {
			failed++
		}
		for j, i := range idx {
			if err != nil {
				result[i] = "error: " + err.Error()
			} else {
				result[i] = decision(relos[i], &fixups[j])
			}
		}
	}
	for k, r := range relos {
		fmt.Printf("prog '%s': relo #%d: insn #%d %s: %s\n", prog.Name, k, r.off, r.descr, result[k])
	}
	if failed > 0 {
		fmt.Printf("prog '%s': CO-RE failed (%d of %d groups)\n", prog.Name, failed, len(order))
	} else {
		fmt.Printf("prog '%s': CO-RE ok\n", prog.Name)
	}
}

func usage() {
	fmt.Fprintf(os.Stderr, "usage: btfpack-judge-cilium OBJ BTF | --version\n"+
		"  print cilium/ebpf %s's CO-RE decisions for OBJ against BTF\n", loaderVersion)
}

func readable(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	return f.Close()
}

func main() {
	args := os.Args[1:]
	if len(args) == 1 && args[0] == "--version" {
		fmt.Printf("btfpack-judge-cilium: cilium/ebpf %s\n", loaderVersion)
		return
	}
	if len(args) != 2 || strings.HasPrefix(args[0], "-") || strings.HasPrefix(args[1], "-") {
		usage()
		os.Exit(1)
	}
	for _, p := range args {
		if err := readable(p); err != nil {
			fmt.Fprintf(os.Stderr, "btfpack-judge-cilium: %v\n", err)
			os.Exit(1)
		}
	}
	fmt.Printf("judge: cilium/ebpf %s\n", loaderVersion)
	coll, objErr := ebpf.LoadCollectionSpec(args[0])
	if objErr != nil {
		fmt.Printf("cilium %s refuses the object: %s\n", loaderVersion, refusal(objErr))
	}
	target, btfErr := btf.LoadSpec(args[1])
	if btfErr != nil {
		if errors.Is(btfErr, os.ErrNotExist) {
			btfErr = fmt.Errorf("no BTF in it: %w", btfErr)
		}
		fmt.Printf("cilium %s refuses the target BTF: %s\n", loaderVersion, refusal(btfErr))
	}
	if objErr != nil || btfErr != nil {
		return
	}
	names := make([]string, 0, len(coll.Programs))
	for n := range coll.Programs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		judgeProgram(coll.Programs[n], target)
	}
}

# Minimizer tests on hostile kernel BTF; included from tests/unit/CMakeLists.txt.
# probe_hostile.bpf.o is built here, not with the fixtures or tests/bpf: its
# relocations only make sense against the kernels the test builds itself.
set(_hostile_obj ${CMAKE_CURRENT_BINARY_DIR}/probe_hostile.bpf.o)
add_custom_command(
  OUTPUT ${_hostile_obj}
  COMMAND ${BPF_CLANG} -target bpf -g -O2 -Wall -Werror
          -I/usr/include/${CMAKE_LIBRARY_ARCHITECTURE}
          -c ${CMAKE_CURRENT_SOURCE_DIR}/probe_hostile.bpf.c -o ${_hostile_obj}
  DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/probe_hostile.bpf.c
  COMMENT "BPF probe_hostile"
  VERBATIM)
add_custom_target(probe_hostile DEPENDS ${_hostile_obj})

add_executable(test_min_hostile test_min_hostile.c)
target_link_libraries(test_min_hostile PRIVATE btfpack_core PkgConfig::CMOCKA)
add_dependencies(test_min_hostile probe_hostile)
add_test(NAME unit.min_hostile COMMAND test_min_hostile ${_hostile_obj})

# What each loader's rules keep, on the loaders kernel (tests/fixtures).
add_executable(test_min_loaders test_min_loaders.c)
target_link_libraries(test_min_loaders PRIVATE btfpack_core PkgConfig::CMOCKA)
add_dependencies(test_min_loaders synth_fixtures)
add_test(NAME unit.min_loaders
         COMMAND test_min_loaders ${BTFPACK_SYNTH_LOADERS_KERNEL} ${BTFPACK_SYNTH_LOADERS_PROBE})

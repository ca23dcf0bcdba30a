# Engine known-answer tests against the synthetic kernels.
btfpack_unit_test(engine_synth)
target_link_libraries(test_engine_synth PRIVATE synth_layout)
add_dependencies(test_engine_synth synth_fixtures)

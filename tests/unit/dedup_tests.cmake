# dedup/ unit tests; included from tests/unit/CMakeLists.txt.
foreach(t dedup_hash dedup_blob_store dedup_alias_rules dedup_index_json dedup_index_parse
	  dedup_report)
  btfpack_unit_test(${t})
  target_link_libraries(test_${t} PRIVATE btfpack_dedup)
endforeach()

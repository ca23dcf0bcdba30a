// SPDX-License-Identifier: MIT
#include "core/relo_types.h"

const char *core_kind_str(enum core_kind kind)
{
	/* the names libbpf prints, so traces read the same as its debug log */
	switch (kind) {
	case CORE_FIELD_BYTE_OFFSET: return "byte_off";
	case CORE_FIELD_BYTE_SIZE: return "byte_sz";
	case CORE_FIELD_EXISTS: return "field_exists";
	case CORE_FIELD_SIGNED: return "signed";
	case CORE_FIELD_LSHIFT_U64: return "lshift_u64";
	case CORE_FIELD_RSHIFT_U64: return "rshift_u64";
	case CORE_TYPE_ID_LOCAL: return "local_type_id";
	case CORE_TYPE_ID_TARGET: return "target_type_id";
	case CORE_TYPE_EXISTS: return "type_exists";
	case CORE_TYPE_MATCHES: return "type_matches";
	case CORE_TYPE_SIZE: return "type_size";
	case CORE_ENUMVAL_EXISTS: return "enumval_exists";
	case CORE_ENUMVAL_VALUE: return "enumval_value";
	default: return "unknown";
	}
}

bool core_kind_is_field(enum core_kind kind)
{
	return kind <= CORE_FIELD_RSHIFT_U64;
}

bool core_kind_is_type(enum core_kind kind)
{
	return kind == CORE_TYPE_ID_LOCAL || kind == CORE_TYPE_ID_TARGET ||
	       kind == CORE_TYPE_EXISTS || kind == CORE_TYPE_MATCHES ||
	       kind == CORE_TYPE_SIZE;
}

bool core_kind_is_enumval(enum core_kind kind)
{
	return kind == CORE_ENUMVAL_EXISTS || kind == CORE_ENUMVAL_VALUE;
}
